package io.qsockets.impl.dccp;

/**
 * A token bucket of {@code perSecond} tokens that refills continuously (a generic cell rate
 * algorithm); simulated time in nanoseconds. Engine-thread confined.
 */
final class RateLimiter {

    private final long interval;
    private final long burst;
    private long theoretical;
    private boolean started;

    RateLimiter(int perSecond) {
        this.interval = 1_000_000_000L / perSecond;
        this.burst = (long) perSecond * interval;
    }

    /** Takes a token if one is left at {@code now}. */
    boolean tryAcquire(long now) {
        if (!started || theoretical < now) {
            theoretical = now;
            started = true;
        }
        if (theoretical + interval - now > burst) {
            return false;
        }
        theoretical += interval;
        return true;
    }
}
