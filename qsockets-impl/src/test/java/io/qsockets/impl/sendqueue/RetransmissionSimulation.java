package io.qsockets.impl.sendqueue;

import io.qsockets.linkemu.LinkModel;
import io.qsockets.linkemu.LinkProfile;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A discrete-event simulation of one sender and one receiver on simulated time: the application
 * submits {@link TestSegment}s into a {@link SendWindow}; a fixed-rate sender pulls one segment
 * per slot (a converged congestion controller, no CCID), binds its content and sends
 * {@code [seq][payload header][content]} over a {@link LinkModel}; the receiver de-duplicates with
 * a {@link Deduplicator} and answers every packet with an acknowledgement carrying the highest
 * sequence number and a 64-bit vector of the ones before it (an Ack Vector in miniature) over a
 * second {@link LinkModel}; the sender declares a packet lost when three later ones are
 * acknowledged (RFC 4341's NUMDUPACK) or after a timeout, and reports both to the window.
 */
final class RetransmissionSimulation {
    static final long MS = 1_000_000L;
    private static final int SEQ_BYTES = 8;
    private static final int MAX_SEQ = 1 << 21;
    private static final int OUTSTANDING = 0;
    private static final int ACKED = 1;
    private static final int LOST = 2;

    final SendWindow window;
    final Deduplicator dedup = new Deduplicator(1 << 16);
    final LinkModel dataLink;
    final LinkModel ackLink;
    final List<TestSegment> segments = new ArrayList<>();
    /** Per segment id: arrival time of the first delivered revision, or -1. */
    final List<Long> firstArrival = new ArrayList<>();
    /** Per segment id: the content version (first 4 content bytes) last delivered, or -1. */
    final List<Integer> deliveredVersion = new ArrayList<>();
    /** Per segment id: deliveries to the application (revisions). */
    final List<Integer> deliveries = new ArrayList<>();
    final int contentLength;
    long contentBytesSent;
    long transmissions;
    long slots;
    long busySlots;
    long refused;
    int maxWindowSize;
    long now;

    private final long slotNanos;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private long eventOrder;
    private final PayloadHeader header = new PayloadHeader();
    private final PayloadHeader readHeader = new PayloadHeader();
    private final ByteBuffer packet;
    private final ByteBuffer ack = ByteBuffer.allocate(16);
    // sender: sequence numbers
    private long nextSeq;
    private final long[] sentAt = new long[MAX_SEQ];
    private final byte[] status = new byte[MAX_SEQ];
    private long lowestOutstanding;
    private final long[] topAcked = {-1, -1, -1};
    private long srtt;
    private long rtoFloorNanos = 200 * MS;
    // receiver
    private long highestReceived = -1;
    private long receivedBits;

    private record Event(long time, long order, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            return time != o.time ? Long.compare(time, o.time) : Long.compare(order, o.order);
        }
    }

    RetransmissionSimulation(SendWindowConfig config, LinkProfile data, LinkProfile acks, long slotNanos,
            int contentLength) {
        this.window = new SendWindow(config);
        this.dataLink = new LinkModel(data);
        this.ackLink = new LinkModel(acks);
        this.slotNanos = slotNanos;
        this.contentLength = contentLength;
        this.packet = ByteBuffer.allocate(SEQ_BYTES + PayloadHeader.LENGTH + contentLength);
        at(0, this::senderSlot);
    }

    /** Runs {@code action} at {@code time}. */
    void at(long time, Runnable action) {
        events.add(new Event(time, eventOrder++, action));
    }

    /** Submits a segment now, as the application would; content version 0. */
    TestSegment submit(long deadline, long grace, int priority, int maxAttempts, boolean reliable) {
        long id = segments.size();
        TestSegment s = new TestSegment(id, now, deadline, grace, priority, maxAttempts, reliable,
                content(0));
        segments.add(s);
        firstArrival.add(-1L);
        deliveredVersion.add(-1);
        deliveries.add(0);
        if (!window.submit(s, now)) {
            refused++;
            s.settle(io.qsockets.SegmentState.DROPPED);
        }
        maxWindowSize = Math.max(maxWindowSize, window.size());
        return s;
    }

    /** Content whose first four bytes hold {@code version}. */
    byte[] content(int version) {
        byte[] c = new byte[contentLength];
        ByteBuffer.wrap(c).putInt(version);
        return c;
    }

    /** Runs every event up to {@code end}. */
    void runUntil(long end) {
        while (true) {
            long next = Math.min(events.isEmpty() ? Long.MAX_VALUE : events.peek().time,
                    Math.min(dataLink.nextDeliveryNanos(), ackLink.nextDeliveryNanos()));
            next = Math.min(next, Math.min(window.nextExpiryNanos(), nextTimeout()));
            if (next > end) {
                now = end;
                return;
            }
            now = Math.max(now, next);
            dataLink.poll(now, this::onData);
            ackLink.poll(now, this::onAck);
            checkTimeouts();
            window.expire(now);
            while (!events.isEmpty() && events.peek().time <= now) {
                events.poll().action.run();
            }
        }
    }

    private void senderSlot() {
        slots++;
        SegmentRecord r = window.poll(now);
        if (r != null) {
            packet.clear();
            long seq = nextSeq++;
            packet.putLong(seq);
            packet.position(SEQ_BYTES + PayloadHeader.LENGTH);
            int rev = r.bindContent(packet);
            if (rev == SegmentRecord.NOT_BOUND) {
                window.unsent();
                nextSeq--;
            } else {
                TestSegment s = (TestSegment) r;
                header.write(packet, SEQ_BYTES, s.id, rev, s.reliable, PayloadHeader.NO_FRAME, false, false, now,
                        s.deadlineNanos());
                packet.flip();
                sentAt[(int) seq] = now;
                status[(int) seq] = OUTSTANDING;
                window.sent(seq, rev, now);
                transmissions++;
                busySlots++;
                contentBytesSent += packet.remaining() - SEQ_BYTES - PayloadHeader.LENGTH;
                dataLink.offer(packet, null, now);
            }
        }
        at(now + slotNanos, this::senderSlot);
    }

    private void onData(ByteBuffer p, Object flow, long at) {
        long seq = p.getLong(0);
        if (seq > highestReceived) {
            long d = seq - highestReceived;
            receivedBits = highestReceived < 0 || d > 64 ? 0 : (d == 64 ? 0 : receivedBits << d) | (1L << (d - 1));
            highestReceived = seq;
        } else if (seq < highestReceived && highestReceived - seq <= 64) {
            receivedBits |= 1L << (highestReceived - seq - 1);
        }
        if (readHeader.wrapForRead(p, SEQ_BYTES, p.limit() - SEQ_BYTES) != PayloadHeader.OK) {
            throw new AssertionError("malformed header");
        }
        int id = (int) readHeader.segmentId();
        Deduplicator.Outcome outcome = dedup.accept(id, readHeader.revision());
        if (outcome.deliver()) {
            deliveries.set(id, deliveries.get(id) + 1);
            if (firstArrival.get(id) < 0) {
                firstArrival.set(id, at);
            }
            deliveredVersion.set(id, p.getInt(SEQ_BYTES + PayloadHeader.LENGTH));
        }
        ack.clear();
        ack.putLong(highestReceived).putLong(receivedBits).flip();
        ackLink.offer(ack, null, at);
    }

    private void onAck(ByteBuffer p, Object flow, long at) {
        long highest = p.getLong(0);
        long bits = p.getLong(8);
        for (long seq = Math.max(highest - 64, 0); seq <= highest; seq++) {
            boolean received = seq == highest || (bits & (1L << (highest - seq - 1))) != 0;
            if (!received || status[(int) seq] == ACKED) {
                continue;
            }
            if (seq == highest && status[(int) seq] == OUTSTANDING) {
                long sample = now - sentAt[(int) seq];
                srtt = srtt == 0 ? sample : srtt - srtt / 8 + sample / 8;
                window.smoothedRtt(srtt);
            }
            status[(int) seq] = ACKED; // a lost verdict may be revised, as CCID 2 does
            window.onAcked(seq, now);
            noteAcked(seq);
        }
        long third = topAcked[2];
        for (long seq = lowestOutstanding; seq < third; seq++) {
            if (status[(int) seq] == OUTSTANDING) {
                status[(int) seq] = LOST;
                window.onLost(seq, now);
            }
        }
        advanceLowest();
    }

    private void noteAcked(long seq) {
        if (seq > topAcked[0]) {
            topAcked[2] = topAcked[1];
            topAcked[1] = topAcked[0];
            topAcked[0] = seq;
        } else if (seq > topAcked[1] && seq != topAcked[0]) {
            topAcked[2] = topAcked[1];
            topAcked[1] = seq;
        } else if (seq > topAcked[2] && seq != topAcked[1] && seq != topAcked[0]) {
            topAcked[2] = seq;
        }
    }

    private void advanceLowest() {
        while (lowestOutstanding < nextSeq && status[(int) lowestOutstanding] != OUTSTANDING) {
            lowestOutstanding++;
        }
    }

    private long rto() {
        return Math.max(rtoFloorNanos, 3 * srtt);
    }

    private long nextTimeout() {
        return lowestOutstanding < nextSeq ? sentAt[(int) lowestOutstanding] + rto() : Long.MAX_VALUE;
    }

    private void checkTimeouts() {
        while (lowestOutstanding < nextSeq && sentAt[(int) lowestOutstanding] + rto() <= now) {
            status[(int) lowestOutstanding] = LOST;
            window.onLost(lowestOutstanding, now);
            advanceLowest();
        }
    }

    /** @return the data link's measured loss rate */
    double dataLossRate() {
        var c = dataLink.counters();
        return c.offered() == 0 ? 0 : (double) c.droppedByLoss() / c.offered();
    }
}
