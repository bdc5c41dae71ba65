package io.qsockets.spi;

import io.qsockets.NanoClock;

/** What the engine offers the scheduler it created. Confined to the engine thread. */
public interface SchedulerContext {

    /** @return the engine's clock */
    NanoClock clock();

    /**
     * Hands a packet the scheduler gives up back to the engine, which counts it and recycles it.
     * The scheduler must have unlinked it already.
     */
    void dropped(ScheduledPacket packet, DropReason reason);
}
