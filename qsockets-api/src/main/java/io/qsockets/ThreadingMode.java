package io.qsockets;

/** Who drives an {@link Engine}'s duty cycle. */
public enum ThreadingMode {
    /** The engine runs its own thread, which never blocks except waiting for I/O or a timer. */
    AGENT,
    /**
     * The caller drives the engine by calling {@link Engine#doWork()}; nothing runs between calls.
     * Tests and deterministic simulations use this mode with a {@link ManualNanoClock}.
     */
    INVOKER
}
