package io.qsockets.impl.rtc;

/**
 * The callback of a {@link TimingWheel} timer. It runs on the thread that calls
 * {@link TimingWheel#expire(long)}, inside that call, and may schedule or cancel timers on the
 * same wheel.
 */
@FunctionalInterface
public interface TimerHandler {

    /**
     * Called once when the timer expires.
     *
     * @param timerId the id {@link TimingWheel#schedule(long, TimerHandler)} returned; no longer
     *     pending when this runs
     * @param deadlineNanos the deadline the timer was scheduled for
     * @param nowNanos the time passed to {@link TimingWheel#expire(long)}; never before
     *     {@code deadlineNanos}
     */
    void onTimer(long timerId, long deadlineNanos, long nowNanos);
}
