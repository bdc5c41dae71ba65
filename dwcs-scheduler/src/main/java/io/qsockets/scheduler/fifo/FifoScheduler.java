package io.qsockets.scheduler.fifo;

import io.qsockets.PacketFlags;
import io.qsockets.SchedulerAttributes;
import io.qsockets.scheduler.common.DroppedFrame;
import io.qsockets.scheduler.common.IndexedHeap;
import io.qsockets.scheduler.common.LossOrder;
import io.qsockets.scheduler.common.PacketList;
import io.qsockets.spi.DropReason;
import io.qsockets.spi.PacketScheduler;
import io.qsockets.spi.ScheduledPacket;
import io.qsockets.spi.SchedulerContext;
import java.util.Comparator;

/**
 * First come, first served within each stream; a stream with a period releases its head no
 * earlier than one period after its previous release. A head whose deadline passed, or that
 * waited past its socket's maximum queue delay, is dropped when it comes up (unless
 * non-droppable), without taking the stream's pace, and so is the rest of its frame. Among streams, the one whose head became
 * eligible first goes first (ties by submission order), so with no pacing this is one FIFO over
 * all sockets. Each decision costs O(log n) in the number of backlogged streams; queueing
 * allocates nothing.
 *
 * <p>Release times: packet {@code k} of a stream leaves at
 * {@code max(submitted_k, release_(k-1) + period)}.
 *
 * <p>Confined to the engine thread.
 */
final class FifoScheduler implements PacketScheduler {
    private static final Comparator<Stream> ELIGIBLE_FIRST = (a, b) -> {
        int c = Long.compare(a.eligibleNanos, b.eligibleNanos);
        return c != 0 ? c : Long.compare(a.queue.peek().sequence(), b.queue.peek().sequence());
    };

    private final SchedulerContext context;
    private final IndexedHeap<Stream> backlogged = new IndexedHeap<>(ELIGIBLE_FIRST);
    private final LossOrder losses = new LossOrder();
    private Stream[] streams = new Stream[16];
    private int size;

    FifoScheduler(SchedulerContext context) {
        this.context = context;
    }

    @Override
    public void addStream(int streamId, SchedulerAttributes attributes) {
        if (streamId < 0) {
            throw new IllegalArgumentException("stream id " + streamId + " must be >= 0");
        }
        if (streamId >= streams.length) {
            streams = java.util.Arrays.copyOf(streams, Math.max(streamId + 1, streams.length * 2));
        }
        if (streams[streamId] != null) {
            throw new IllegalStateException("stream " + streamId + " already added");
        }
        streams[streamId] = new Stream(attributes.periodNanos());
    }

    @Override
    public void changeStream(int streamId, SchedulerAttributes attributes) {
        Stream s = stream(streamId);
        s.periodNanos = attributes.periodNanos();
        if (!s.queue.isEmpty()) {
            s.refreshEligibility();
            backlogged.update(s);
        }
    }

    @Override
    public void removeStream(int streamId) {
        Stream s = stream(streamId);
        backlogged.remove(s);
        streams[streamId] = null;
        ScheduledPacket p;
        while ((p = s.queue.poll()) != null) {
            size--;
            context.dropped(p, DropReason.STREAM_REMOVED);
        }
    }

    @Override
    public void enqueue(ScheduledPacket packet, long nowNanos) {
        Stream s = stream(packet.streamId());
        if (s.restOfDroppedFrame(packet)) {
            context.dropped(packet, DropReason.FRAME_INCOMPLETE);
            return;
        }
        boolean wasEmpty = s.queue.isEmpty();
        s.queue.addLast(packet);
        size++;
        if (wasEmpty) {
            s.refreshEligibility();
            backlogged.add(s);
        }
    }

    @Override
    public ScheduledPacket dequeue(long nowNanos) {
        Stream s;
        ScheduledPacket p;
        while (true) {
            s = backlogged.peek();
            if (s == null || s.eligibleNanos > nowNanos) {
                return null;
            }
            p = s.queue.poll();
            size--;
            DropReason why = uselessAt(p, nowNanos);
            if (why == null) {
                break;
            }
            // dropped without taking the stream's pace: the next datagram may leave in its place
            PacketFlags f = p.flags();
            context.dropped(p, why); // the engine recycles p
            if (f.frameId() != PacketFlags.NO_FRAME && !f.frameEnd()) {
                dropRestOfFrame(s, f.frameId());
            }
            requeue(s);
        }
        // the schedule keeps its phase when the engine is a little late, and catches up by at most
        // one packet when it is later than a whole period
        s.lastReleaseNanos = Math.max(s.eligibleNanos, nowNanos - s.periodNanos);
        s.released = true;
        requeue(s);
        return p;
    }

    /**
     * Makes room for a non-droppable datagram (FIFO refuses drop priorities, so every other
     * datagram ranks 0): the stream loses its oldest whole droppable unit.
     */
    @Override
    public int evict(int streamId, int rank, long nowNanos) {
        Stream s = stream(streamId);
        if (!losses.find(s.queue, false, rank, FifoScheduler::nonDroppable)) {
            return 0;
        }
        boolean head = losses.first() == s.queue.peek();
        int n = losses.remove(s.queue, this::evicted);
        if (head) {
            requeue(s);
        }
        return n;
    }

    private void evicted(ScheduledPacket p) {
        size--;
        context.dropped(p, DropReason.OVERFLOW);
    }

    private static boolean nonDroppable(ScheduledPacket p) {
        return p.flags().nonDroppable();
    }

    /** @return why {@code p} must be dropped rather than sent at {@code now}, or null if it may leave */
    private static DropReason uselessAt(ScheduledPacket p, long now) {
        if (p.flags().nonDroppable()) {
            return null;
        }
        if (now > p.staleNanos()) {
            return DropReason.STALE;
        }
        return p.deadlineNanos() != ScheduledPacket.NO_DEADLINE && now > p.deadlineNanos() ? DropReason.LATE : null;
    }

    /** Drops the queued rest of {@code frame} (but non-droppable datagrams), and its later datagrams as they come. */
    private void dropRestOfFrame(Stream s, long frame) {
        ScheduledPacket q;
        while ((q = s.queue.peek()) != null) {
            PacketFlags f = q.flags();
            if (f.frameId() != frame || f.frameStart()) {
                return;
            }
            s.queue.poll();
            size--;
            boolean last = f.frameEnd();
            if (f.nonDroppable()) {
                s.kept.addLast(q);
            } else {
                context.dropped(q, DropReason.FRAME_INCOMPLETE);
            }
            if (last) {
                s.queue.prependAll(s.kept);
                return;
            }
        }
        s.queue.prependAll(s.kept);
        s.droppingFrame.set(frame);
    }

    /** Puts {@code s} back where its new head says, or out of the heap if it is empty. */
    private void requeue(Stream s) {
        if (s.queue.isEmpty()) {
            backlogged.remove(s);
        } else {
            s.refreshEligibility();
            backlogged.update(s);
        }
    }

    @Override
    public long nextEligibleNanos(long nowNanos) {
        Stream s = backlogged.peek();
        return s == null ? Long.MAX_VALUE : s.eligibleNanos;
    }

    @Override
    public int size() {
        return size;
    }

    private Stream stream(int streamId) {
        Stream s = streamId >= 0 && streamId < streams.length ? streams[streamId] : null;
        if (s == null) {
            throw new IllegalArgumentException("unknown stream " + streamId);
        }
        return s;
    }

    private static final class Stream implements IndexedHeap.Node {
        final PacketList queue = new PacketList();
        /** Non-droppable datagrams set aside while the rest of their frame is dropped. */
        final PacketList kept = new PacketList();
        /** A frame that lost a datagram: the rest of it is dropped as it arrives. */
        final DroppedFrame droppingFrame = new DroppedFrame();
        long periodNanos;
        long lastReleaseNanos;
        boolean released;
        long eligibleNanos;
        int heapIndex = -1;

        Stream(long periodNanos) {
            this.periodNanos = periodNanos;
        }

        /** @return whether {@code p}, just submitted, is the rest of a frame that lost a datagram (and may go) */
        boolean restOfDroppedFrame(ScheduledPacket p) {
            return droppingFrame.continues(p.flags()) && !p.flags().nonDroppable();
        }

        void refreshEligibility() {
            long submitted = queue.peek().submittedNanos();
            eligibleNanos = released && periodNanos > 0
                    ? Math.max(submitted, lastReleaseNanos + periodNanos)
                    : submitted;
        }

        @Override
        public int heapIndex() {
            return heapIndex;
        }

        @Override
        public void heapIndex(int index) {
            heapIndex = index;
        }
    }
}
