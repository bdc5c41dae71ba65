package io.qsockets;

/**
 * One scheduler discipline with its sockets, timers and egress shaper, driven by one duty cycle:
 * drain submissions, read datagrams, fire timers, transmit what the scheduler releases, idle.
 * Created by {@link QSockets#init(EngineConfig)}; a default engine per scheduler is created on
 * first use.
 *
 * <p>Thread-safe, except {@link #doWork()}, which one thread at a time calls, and only in
 * {@link ThreadingMode#INVOKER} mode.
 */
public interface Engine extends AutoCloseable {

    /** @return the configuration the engine was built from */
    EngineConfig config();

    /**
     * Runs one duty cycle. Only for {@link ThreadingMode#INVOKER} engines.
     *
     * @return how much work the cycle did (0 when idle)
     * @throws IllegalStateException if the engine runs its own thread or is closed
     */
    int doWork();

    /**
     * @return the earliest time, on the engine's clock, at which the engine has a timer or a
     *     paced release due, or {@link Long#MAX_VALUE} when nothing is pending; tests on simulated
     *     time advance the clock to it
     */
    long nextDeadlineNanos();

    /** @return whether {@link #close()} was called */
    boolean isClosed();

    /**
     * Stops the engine and closes every socket on it. Idempotent. Datagrams still queued are
     * discarded and counted as dropped.
     */
    @Override
    void close();
}
