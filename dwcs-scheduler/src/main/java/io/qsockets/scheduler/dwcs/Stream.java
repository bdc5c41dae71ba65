package io.qsockets.scheduler.dwcs;

import io.qsockets.PacketFlags;
import io.qsockets.scheduler.common.DroppedFrame;
import io.qsockets.spi.ScheduledPacket;

/**
 * One socket's state in the scheduler: its policy, window constraint, counters, the request
 * period of its next deadline-constrained unit, its two queues and the frames they are in.
 *
 * <p>A <em>unit</em> is what one deadline covers: a single packet, or a whole frame (the packets
 * sharing a frame id from the first mark to the last). Each unit either meets its deadline or
 * misses it; in a periodic stream each unit also takes one request period.
 *
 * <p>Not thread-safe (engine thread), except {@link #counters}, which any thread may read.
 */
final class Stream {
    final int id;
    final WindowConstraint window;
    final StreamCounters counters = new StreamCounters();
    final DeadlineQueue deadlineQueue = new DeadlineQueue(this);
    final BestEffortQueue bestEffortQueue = new BestEffortQueue(this);
    final FrameCursor deadlineFrames = new FrameCursor();
    final FrameCursor bestEffortFrames = new FrameCursor();
    StreamPolicy policy;

    /** The deadline {@code d} of the next unit's request period {@code [d - T, d]} (periodic streams). */
    long slotDeadline;
    /** Whether {@link #slotDeadline} is set. */
    boolean slotSet;
    /** Whether {@link #slotDeadline} follows a previous period rather than an arrival. */
    boolean slotAdvanced;
    /** Whether the head of the deadline queue has missed a deadline already. */
    boolean headLate;
    /** A frame that lost a packet: the rest of it is dropped as it arrives. */
    private final DroppedFrame droppingFrame = new DroppedFrame();
    /** The frame being submitted, and whether it goes to the deadline queue. */
    private long routedFrame = PacketFlags.NO_FRAME;
    private boolean routedToDeadlines;

    Stream(int id, StreamPolicy policy) {
        this.id = id;
        this.policy = policy;
        this.window = new WindowConstraint(policy.x(), policy.y());
        publishWindow();
    }

    /**
     * @return whether {@code p} may be dropped when late: the stream drops late packets (by its own
     *     deadline, or by the stream's period) and {@code p} is not non-droppable
     */
    boolean droppable(ScheduledPacket p) {
        boolean drops = p.deadlineNanos() != ScheduledPacket.NO_DEADLINE ? policy.dropsOwnLate() : policy.dropsLate();
        return drops && !p.flags().nonDroppable();
    }

    /** @return whether {@code p} is never to be dropped */
    boolean nonDroppable(ScheduledPacket p) {
        return policy.nonDroppable() || p.flags().nonDroppable();
    }

    /** @return whether {@code p}, just submitted, is the rest of a frame that lost a packet (and may be dropped) */
    boolean restOfDroppedFrame(ScheduledPacket p) {
        return droppingFrame.continues(p.flags()) && !nonDroppable(p);
    }

    /** Drops the rest of {@code frame} as it arrives. */
    void dropRestOfFrame(long frame) {
        droppingFrame.set(frame);
    }

    /**
     * @return whether {@code p}, just submitted, goes to the deadline queue: it has a deadline,
     *     the stream has a period, or it continues a frame that went there
     */
    boolean routesToDeadlines(ScheduledPacket p) {
        PacketFlags f = p.flags();
        if (f.frameId() != PacketFlags.NO_FRAME && f.frameId() == routedFrame && !f.frameStart()) {
            return routedToDeadlines;
        }
        routedFrame = f.frameId();
        routedToDeadlines = p.deadlineNanos() != ScheduledPacket.NO_DEADLINE || policy.periodic();
        return routedToDeadlines;
    }

    /** A unit submitted at {@code submitted} reached the head of an empty deadline queue (periodic streams). */
    void slotOnArrival(long submitted) {
        long fromArrival = saturatedAdd(submitted, policy.periodNanos());
        if (!slotSet || fromArrival > slotDeadline) {
            slotDeadline = fromArrival;
            slotSet = true;
            slotAdvanced = false;
        }
    }

    /** {@code n} request periods passed (units served, dropped or missed). */
    void advanceSlot(long n) {
        long period = policy.periodNanos();
        slotDeadline = saturatedAdd(slotDeadline, n == 1 ? period : saturatedMultiply(n, period));
        slotAdvanced = true;
    }

    /**
     * The period changed from {@code oldPeriod} to the policy's at {@code now}. A period that
     * follows a previous one starts one new period after that one did; an arrival's starts at the
     * arrival. A period that would already have ended starts now: a change never makes a miss.
     */
    void periodChanged(long oldPeriod, long now) {
        long period = policy.periodNanos();
        if (period == 0) {
            slotSet = false;
            return;
        }
        if (!slotSet || oldPeriod == 0) {
            slotDeadline = saturatedAdd(now, period);
            slotSet = true;
            slotAdvanced = false;
            return;
        }
        long start = slotDeadline - oldPeriod;
        if (slotAdvanced) {
            start = start - oldPeriod + period;
        }
        slotDeadline = saturatedAdd(start, period);
        if (slotDeadline < now) {
            slotDeadline = saturatedAdd(now, period);
        }
    }

    /** Applies {@code n} missed deadlines to the window and the counters. */
    void missed(long n) {
        long violations = window.missed(n);
        counters.missed(n, violations);
        publishWindow();
    }

    /** Applies a met deadline to the window. */
    void met() {
        window.serviced();
        publishWindow();
    }

    void publishWindow() {
        counters.window(window.currentX(), window.currentY());
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? (b < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : r;
    }

    private static long saturatedMultiply(long n, long period) {
        long hi = Math.multiplyHigh(n, period);
        long lo = n * period;
        return hi == 0 && lo >= 0 ? lo : Long.MAX_VALUE;
    }

    @Override
    public String toString() {
        return "Stream[" + id + ", " + policy + ", window " + window + "]";
    }
}
