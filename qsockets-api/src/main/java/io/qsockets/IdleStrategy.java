package io.qsockets;

import java.time.Duration;

/**
 * How an {@link ThreadingMode#AGENT AGENT} engine waits when it has nothing to do.
 *
 * <p>{@link #parkThenSpin(Duration)} (the default, with a 100 µs window) sleeps in the I/O
 * selector until shortly before the next timer and spins the last stretch, because a parked Linux
 * thread wakes 50–60 µs late (timer slack). {@link #busySpin()} never sleeps: lowest latency, one
 * core fully used. Immutable.
 */
public final class IdleStrategy {
    private static final IdleStrategy BUSY_SPIN = new IdleStrategy(Long.MAX_VALUE);
    private static final IdleStrategy DEFAULT = new IdleStrategy(100_000);

    private final long spinWindowNanos;

    private IdleStrategy(long spinWindowNanos) {
        this.spinWindowNanos = spinWindowNanos;
    }

    /** @return a strategy that spins and never sleeps */
    public static IdleStrategy busySpin() {
        return BUSY_SPIN;
    }

    /** @return the default strategy: park, then spin the last 100 µs before a timer */
    public static IdleStrategy defaultStrategy() {
        return DEFAULT;
    }

    /**
     * @param spinWindow how long before a timer the engine stops sleeping and spins; zero or more
     * @return a strategy that sleeps until {@code spinWindow} before the next timer, then spins
     */
    public static IdleStrategy parkThenSpin(Duration spinWindow) {
        return new IdleStrategy(Durations.nonNegativeNanos("spin window", spinWindow));
    }

    /** @return the spin window in nanoseconds; {@link Long#MAX_VALUE} for busy spin */
    public long spinWindowNanos() {
        return spinWindowNanos;
    }

    /** @return whether the engine never sleeps */
    public boolean isBusySpin() {
        return spinWindowNanos == Long.MAX_VALUE;
    }

    @Override
    public String toString() {
        return isBusySpin() ? "busySpin" : "parkThenSpin(" + spinWindowNanos + " ns)";
    }
}
