package io.qsockets.impl.engine;

import io.qsockets.PacketFlags;
import io.qsockets.SegmentState;
import io.qsockets.impl.dccp.DccpConnection;
import io.qsockets.impl.sendqueue.PayloadHeader;
import io.qsockets.impl.sendqueue.SegmentRecord;
import io.qsockets.impl.sendqueue.SendWindow;
import io.qsockets.impl.sendqueue.SendWindowConfig;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sending side of one DCCP peer: the datagrams the scheduler released for it, waiting in order
 * for room in its {@link SendWindow}, and that window, which hands out, as the connection's
 * congestion window opens, the best segment to transmit (highest priority, then earliest
 * deadline). Each transmission is a DCCP-Data packet on a new sequence number, a
 * {@link PayloadHeader} before the content, which is copied from the segment only then (late
 * binding). Acknowledgements and losses from the Ack Vectors, and a loss timer for what they cannot
 * show, decide what is sent again; a datagram leaves the send queue when its segment settles.
 * Engine thread only.
 */
final class PeerSender {
    /** Most segments a peer's send window holds; more wait, in order, for room. */
    static final int MAX_WINDOW = 1024;
    /** Least time a transmission stays unacknowledged before the loss timer presumes it lost. */
    static final long MIN_LOSS_TIMEOUT_NANOS = 20_000_000;
    /**
     * Most doublings of the loss timeout while nothing is acknowledged (as TCP backs off its
     * retransmission timer): a peer that went silent is resent to 64 times less often, until the
     * peer idle timeout gives it up.
     */
    static final int MAX_LOSS_BACKOFF = 6;
    /**
     * How far ahead of the oldest segment in its window a new one may be: the peer's
     * de-duplicator's reach ({@link DccpSession#DEDUP_WINDOW} ids), less room for ids that
     * application threads drew concurrently and submit out of order.
     */
    static final int DEDUP_REACH = DccpSession.DEDUP_WINDOW - 256;

    /**
     * What the senders of one socket share: the engine, the window configuration, scratch buffers
     * and the counters. Engine thread; the counters may be read from any thread.
     */
    static final class Shared {
        final DutyCycleEngine engine;
        final SendWindowConfig windowConfig;
        final long ackDelayNanos;
        final ByteBuffer content = ByteBuffer.allocate(65_536);
        final PayloadHeader header = new PayloadHeader();
        final AtomicLong expired = new AtomicLong();
        final AtomicLong retransmitted = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong heldForOldSegment = new AtomicLong();

        /**
         * @param sendQueueCapacity the socket's send queue bound: a window holds no more
         * @param ackDelayNanos how long the peer may delay an acknowledgement
         */
        Shared(DutyCycleEngine engine, int sendQueueCapacity, long ackDelayNanos) {
            this.engine = engine;
            int capacity = Math.min(MAX_WINDOW, sendQueueCapacity);
            this.windowConfig = SendWindowConfig.builder().capacity(capacity)
                    .sequenceRing(Math.max(1024, Integer.highestOneBit(capacity) * 4)).build();
            this.ackDelayNanos = ackDelayNanos;
        }

        /** A segment left a window; its datagram leaves the send queue. */
        void released(SegmentRecord r) {
            WindowRecord record = (WindowRecord) r;
            OutboundPacket p = record.packet();
            SegmentState outcome = record.state();
            if (outcome == SegmentState.EXPIRED) {
                expired.incrementAndGet();
            }
            if (p.attempts == 0 && (outcome == SegmentState.DROPPED || outcome == SegmentState.EXPIRED
                    || outcome == SegmentState.FAILED)) {
                p.endpoint.stats().dropped(p.length); // never sent: as the scheduler counts what it drops
            }
            engine.letGo(p);
        }
    }

    private final Shared shared;
    private final ArrayDeque<OutboundPacket> waiting = new ArrayDeque<>();
    /** Created with the first datagram, so a peer that only sends to us costs none. */
    private SendWindow window;
    /** At most the smallest segment id in the window (refreshed when it holds a segment back). */
    private long oldestIdBound;
    private long dataSent;
    /** Doublings of the loss timeout: one per timeout with no acknowledgement since. */
    private int lossBackoff;
    private long ackedSeen;

    PeerSender(Shared shared) {
        this.shared = shared;
    }

    /** The scheduler released {@code p} for this peer. */
    void add(OutboundPacket p) {
        waiting.add(p);
    }

    /**
     * Admits, gives up and transmits on {@code connection} what may go now.
     *
     * @return when this needs to run again (a give-up time, the loss timer, a waiting datagram's
     *     deadline), or {@code Long.MAX_VALUE}
     */
    long run(DccpConnection connection, long now) {
        admit(now);
        long next = Long.MAX_VALUE;
        if (window != null) {
            if (window.acked() != ackedSeen) {
                ackedSeen = window.acked();
                lossBackoff = 0; // the peer answers: the loss timer is the round trip's again
            }
            long lossTimeout = Math.max(MIN_LOSS_TIMEOUT_NANOS, 2 * connection.srttNanos() + shared.ackDelayNanos)
                    << lossBackoff;
            window.smoothedRtt(connection.srttNanos());
            window.expire(now);
            long timedOut = window.timedOut();
            window.lossTimeout(now, lossTimeout);
            if (window.timedOut() != timedOut && window.acked() == ackedSeen) {
                lossBackoff = Math.min(lossBackoff + 1, MAX_LOSS_BACKOFF); // nothing came back: wait longer
            }
            while (connection.canSendData()) {
                SegmentRecord r = window.poll(now);
                if (r == null) {
                    if (waiting.isEmpty() || !admit(now)) {
                        break;
                    }
                    continue;
                }
                if (!transmit(connection, (WindowRecord) r, now)) {
                    break; // refused: writable() or the next event resumes
                }
            }
            next = Math.min(window.nextExpiryNanos(), window.lossTimeout(now, lossTimeout));
        }
        OutboundPacket head = waiting.peekFirst();
        if (head != null && droppable(head) && deadline(head) != OutboundPacket.NO_DEADLINE) {
            next = Math.min(next, deadline(head) + 1);
        }
        return next;
    }

    /** The transmission on {@code seqno} arrived. */
    void onAcked(long seqno, long now) {
        if (window != null) {
            window.onAcked(seqno, now);
        }
    }

    /** The transmission on {@code seqno} was lost: sent again if still useful. */
    void onLost(long seqno, long now) {
        if (window != null) {
            window.onLost(seqno, now);
        }
    }

    /** What was in flight on the old connection goes again, if still useful, on the one that replaced it. */
    void newConnection(long now) {
        if (window != null) {
            window.newConnection(now);
        }
    }

    /** Every segment is dropped: the window's and those waiting for it. */

    void dropAll() {
        if (window != null) {
            window.settleAll(SegmentState.DROPPED);
        }
        OutboundPacket p;
        while ((p = waiting.pollFirst()) != null) {
            shared.engine.discard(p, SegmentState.DROPPED);
        }
    }

    /**
     * The peer was given up: every segment not yet final, in the window or waiting for it, ends
     * {@link SegmentState#FAILED}.
     *
     * @return how many segments failed
     */
    long failAll() {
        long failed = window != null ? window.settleAll(SegmentState.FAILED) : 0;
        OutboundPacket p;
        while ((p = waiting.pollFirst()) != null) {
            shared.engine.discard(p, SegmentState.FAILED);
            failed++;
        }
        shared.failed.addAndGet(failed);
        return failed;
    }

    /** @return data packets transmitted to this peer */
    long dataSent() {
        return dataSent;
    }

    /**
     * Moves waiting datagrams into the window while it has room; those already late are given up
     * on the way.
     *
     * @return whether any entered the window
     */
    private boolean admit(long now) {
        boolean admitted = false;
        OutboundPacket p;
        while ((p = waiting.peekFirst()) != null) {
            if (isLate(p, now)) {
                waiting.pollFirst();
                shared.expired.incrementAndGet();
                shared.engine.discard(p, SegmentState.EXPIRED);
                continue;
            }
            if (p.isStale(now)) {
                waiting.pollFirst();
                shared.engine.discard(p, SegmentState.DROPPED);
                continue;
            }
            if (window == null) {
                window = new SendWindow(shared.windowConfig, shared::released);
            }
            if (beyondDedupWindow(p.segmentId) || !window.submit(p.windowRecord(), now)) {
                break;
            }
            waiting.pollFirst();
            admitted = true;
        }
        return admitted;
    }

    /**
     * Whether {@code id} is too far ahead of the oldest segment still in the window: the peer's
     * de-duplicator would drop a retransmission of that old segment as too old once this one
     * arrived. It then waits, in order, until the old one settles.
     */
    private boolean beyondDedupWindow(long id) {
        if (id - oldestIdBound < DEDUP_REACH) {
            return false;
        }
        long oldest = window.oldestId(); // the cached bound is stale-low: walk the window again
        oldestIdBound = oldest == Long.MAX_VALUE ? id : oldest;
        if (id - oldestIdBound < DEDUP_REACH) {
            return false;
        }
        shared.heldForOldSegment.incrementAndGet();
        return true;
    }

    /** @return false if the connection refused the packet; the segment stays pending */
    private boolean transmit(DccpConnection connection, WindowRecord r, long now) {
        OutboundPacket p = r.packet();
        if (p.attempts == 0 && p.isStale(now) && r.settle(SegmentState.DROPPED)) {
            window.unsent(); // waited too long for the congestion window: it never leaves
            return true;
        }
        ByteBuffer content = shared.content;
        content.clear().position(PayloadHeader.LENGTH);
        int revision = r.bindContent(content);
        if (revision == SegmentRecord.NOT_BOUND) {
            window.unsent(); // cancelled meanwhile: it leaves the window
            return true;
        }
        content.flip();
        PacketFlags f = p.flags;
        shared.header.write(content, 0, p.segmentId, revision, r.reliable(), f.frameId(), f.frameStart(),
                f.frameEnd(), now, r.deadlineNanos());
        int length = content.remaining();
        long seqno = connection.sendData(content, now);
        if (seqno < 0) {
            window.unsent();
            return false;
        }
        window.sent(seqno, revision, now);
        dataSent++;
        if (p.attempts++ > 0) {
            shared.retransmitted.incrementAndGet();
        }
        shared.engine.transmitted(p, length, p.attempts == 1, now);
        return true;
    }

    private static boolean droppable(OutboundPacket p) {
        return !p.flags.nonDroppable();
    }

    private static long deadline(OutboundPacket p) {
        return p.segment != null ? p.segment.deadlineNanos() : p.deadlineNanos;
    }

    private static boolean isLate(OutboundPacket p, long now) {
        long d = deadline(p);
        return d != OutboundPacket.NO_DEADLINE && now > d && droppable(p);
    }
}
