package io.qsockets.spi;

import io.qsockets.SchedulerAttributes;

/**
 * Makes {@link PacketScheduler}s of one discipline, found by {@link #name()} through
 * {@link java.util.ServiceLoader}. Thread-safe and stateless.
 */
public interface PacketSchedulerProvider {

    /** @return the discipline's name, as users give it in {@code QosParams} and {@code EngineConfig} */
    String name();

    /** @return one line saying what the discipline does */
    String description();

    /**
     * Checks attributes before a stream is added or changed.
     *
     * @throws IllegalArgumentException naming the bad value and what the discipline accepts
     */
    void validate(SchedulerAttributes attributes);

    /** @return a new, empty scheduler for one engine */
    PacketScheduler create(SchedulerContext context);
}
