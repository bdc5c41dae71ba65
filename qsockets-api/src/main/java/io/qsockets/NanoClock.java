package io.qsockets;

/**
 * A monotonic source of nanoseconds. Everything in qsockets that reads time reads it from the
 * clock of its {@link Engine}, so protocol, scheduler and pacing rules can run on simulated time.
 *
 * <p>Implementations must be thread-safe and must never go backwards.
 */
@FunctionalInterface
public interface NanoClock {

    /** @return the current time in nanoseconds, on an arbitrary but fixed origin */
    long nanoTime();

    /** @return the clock backed by {@link System#nanoTime()} */
    static NanoClock system() {
        return System::nanoTime;
    }
}
