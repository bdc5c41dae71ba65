package io.qsockets.spi;

import io.qsockets.PacketFlags;
import io.qsockets.SchedulerAttributes;
import io.qsockets.Transport;

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

    /**
     * Checks the per-datagram flags a socket sends with, once per distinct {@link PacketFlags}
     * object. A discipline that cannot honour a flag (a deadline, non-droppable, a frame, a drop
     * priority, a priority) refuses it here rather than ignore it.
     *
     * @param transport the socket's transport: on {@link Transport#DCCP} the transport's send
     *     window serves higher priorities first, whatever the scheduler
     * @throws IllegalArgumentException naming the flag, the discipline and what would honour it
     */
    default void validate(PacketFlags flags, Transport transport) {
    }

    /** @return a new, empty scheduler for one engine */
    PacketScheduler create(SchedulerContext context);
}
