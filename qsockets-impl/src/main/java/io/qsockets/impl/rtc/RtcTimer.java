package io.qsockets.impl.rtc;

/**
 * A timing request held by an {@link Rtc}: activated once at its deadline unless cancelled first.
 * Thread-safe: any thread may cancel or query it.
 */
public interface RtcTimer {

    /** @return the deadline the request was scheduled for, on the RTC clock */
    long deadlineNanos();

    /**
     * Cancels the request if it has not been activated yet. Never blocks.
     *
     * @return true if this call prevented the activation; false if the activation already started
     *     or the request was already cancelled
     */
    boolean cancel();

    /** @return true until the request is activated or cancelled */
    boolean isPending();
}
