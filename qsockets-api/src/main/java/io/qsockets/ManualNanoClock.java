package io.qsockets;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link NanoClock} that moves only when told to: simulated time for tests and deterministic
 * simulations, usually with an {@link Engine} in {@link ThreadingMode#INVOKER} mode.
 *
 * <p>Thread-safe. Time never goes backwards: {@link #set(long)} to an earlier time is rejected.
 */
public final class ManualNanoClock implements NanoClock {
    private final AtomicLong now;

    /** Starts at time zero. */
    public ManualNanoClock() {
        this(0);
    }

    /** @param startNanos the initial reading */
    public ManualNanoClock(long startNanos) {
        this.now = new AtomicLong(startNanos);
    }

    @Override
    public long nanoTime() {
        return now.get();
    }

    /**
     * Moves the clock forward.
     *
     * @param nanos how far, at least zero
     * @return the new reading
     * @throws IllegalArgumentException if {@code nanos} is negative, or the reading would pass
     *     {@link Long#MAX_VALUE}
     */
    public long advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("cannot advance a clock by " + nanos + " ns: must be >= 0");
        }
        return now.accumulateAndGet(nanos, (current, by) -> {
            if (by > Long.MAX_VALUE - current) {
                throw new IllegalArgumentException("cannot advance the clock at " + current + " ns by " + by
                        + " ns: the reading must stay at most " + Long.MAX_VALUE + " ns");
            }
            return current + by;
        });
    }

    /** Moves the clock forward by {@code duration}, zero or more; see {@link #advance(long)}. */
    public long advance(Duration duration) {
        return advance(Durations.nonNegativeNanos("clock advance", duration));
    }

    /**
     * Sets the clock to an absolute reading.
     *
     * @param nanos the new reading, not earlier than the current one
     */
    public void set(long nanos) {
        long current = now.get();
        if (nanos < current) {
            throw new IllegalArgumentException(
                    "cannot set the clock back from " + current + " ns to " + nanos + " ns: must be >= " + current);
        }
        now.set(nanos);
    }
}
