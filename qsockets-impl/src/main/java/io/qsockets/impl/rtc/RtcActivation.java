package io.qsockets.impl.rtc;

/**
 * What an {@link Rtc} runs when a timer it holds expires. It runs on the RTC thread, one
 * activation at a time in deadline order, so it should be short: record, signal another thread,
 * or schedule the next request (scheduling from the RTC thread skips the request queue).
 */
@FunctionalInterface
public interface RtcActivation {

    /**
     * @param deadlineNanos the deadline the timer was scheduled for
     * @param firedAtNanos the RTC clock's time just before this call; never before
     *     {@code deadlineNanos}
     */
    void activate(long deadlineNanos, long firedAtNanos);
}
