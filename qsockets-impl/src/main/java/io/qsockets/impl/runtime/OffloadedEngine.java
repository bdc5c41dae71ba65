package io.qsockets.impl.runtime;

import io.qsockets.Engine;
import io.qsockets.EngineConfig;
import io.qsockets.impl.engine.DutyCycleEngine;
import io.qsockets.impl.kernel.KernelSession;

/**
 * An engine with a kernel path: the engine, and its {@link KernelSession}, which closes after the
 * engine so that the device is left as it was found. Thread-safe, as the engine is.
 */
public final class OffloadedEngine implements Engine {
    private final DutyCycleEngine engine;
    private final KernelSession kernel;

    OffloadedEngine(DutyCycleEngine engine, KernelSession kernel) {
        this.engine = engine;
        this.kernel = kernel;
    }

    /** @return the engine that schedules the sockets */
    DutyCycleEngine engine() {
        return engine;
    }

    /** @return the engine's kernel path, which hands each socket its hook */
    public KernelSession kernel() {
        return kernel;
    }

    @Override
    public EngineConfig config() {
        return engine.config();
    }

    @Override
    public int doWork() {
        return engine.doWork();
    }

    @Override
    public long nextDeadlineNanos() {
        return engine.nextDeadlineNanos();
    }

    @Override
    public boolean isClosed() {
        return engine.isClosed();
    }

    /** Closes the engine and its sockets, then removes the kernel path. Idempotent. */
    @Override
    public void close() {
        try {
            engine.close();
        } finally {
            kernel.close();
        }
    }

    @Override
    public String toString() {
        return engine + " with " + kernel;
    }
}
