package io.qsockets.scheduler.dwcs;

import io.qsockets.SchedulerStats;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A stream's counters. One writer, the engine thread, which publishes every change with a
 * release store (a plain store on x86); any thread reads a {@link #snapshot()} with acquire
 * loads. Each counter is exact; a snapshot is not atomic across counters, except {@code x'/y'},
 * which are packed into one word so that a reader never sees half a window.
 */
final class StreamCounters {
    private static final VarHandle SERVICED;
    private static final VarHandle MISSED;
    private static final VarHandle DROPPED;
    private static final VarHandle VIOLATIONS;
    private static final VarHandle LATE;
    private static final VarHandle WINDOW;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SERVICED = l.findVarHandle(StreamCounters.class, "serviced", long.class);
            MISSED = l.findVarHandle(StreamCounters.class, "missed", long.class);
            DROPPED = l.findVarHandle(StreamCounters.class, "dropped", long.class);
            VIOLATIONS = l.findVarHandle(StreamCounters.class, "violations", long.class);
            LATE = l.findVarHandle(StreamCounters.class, "late", long.class);
            WINDOW = l.findVarHandle(StreamCounters.class, "window", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long serviced;
    private long missed;
    private long dropped;
    private long violations;
    private long late;
    private long window;

    // ---- engine thread ----

    /** A datagram left by its deadline, or had none. */
    void serviced() {
        SERVICED.setRelease(this, serviced + 1);
    }

    /** A datagram left after a deadline it had missed (LOSSLESS, or non-droppable). */
    void late() {
        LATE.setRelease(this, late + 1);
    }

    /** {@code n} deadlines passed unmet, {@code v} of them violations. */
    void missed(long n, long v) {
        MISSED.setRelease(this, missed + n);
        if (v != 0) {
            VIOLATIONS.setRelease(this, violations + v);
        }
    }

    /** The scheduler dropped a datagram. */
    void dropped() {
        DROPPED.setRelease(this, dropped + 1);
    }

    /** Publishes the current window {@code x'/y'}. */
    void window(int xc, int yc) {
        WINDOW.setRelease(this, (long) xc << 32 | yc & 0xFFFF_FFFFL);
    }

    // ---- any thread ----

    /** @return datagrams sent late (LOSSLESS); not part of {@link SchedulerStats} yet */
    long lateCount() {
        return (long) LATE.getAcquire(this);
    }

    /** @return the counters now */
    SchedulerStats snapshot() {
        long w = (long) WINDOW.getAcquire(this);
        return new SchedulerStats((long) SERVICED.getAcquire(this), (long) MISSED.getAcquire(this),
                (long) DROPPED.getAcquire(this), (long) VIOLATIONS.getAcquire(this), (int) (w >>> 32), (int) w);
    }
}
