package io.qsockets.spi;

import io.qsockets.SchedulerAttributes;
import io.qsockets.SchedulerStats;

/**
 * A packet scheduler: decides which queued datagram of which stream leaves next, and when. One
 * instance per engine; every stream is one socket.
 *
 * <p>Confined to the engine thread, except {@link #stats}: no other method is called concurrently,
 * and none may block.
 */
public interface PacketScheduler {

    /** Adds a stream with attributes the provider has validated. */
    void addStream(int streamId, SchedulerAttributes attributes);

    /** Changes a stream's attributes; the change applies to packets already queued. */
    void changeStream(int streamId, SchedulerAttributes attributes);

    /**
     * Removes a stream; each packet it still holds goes back through
     * {@link SchedulerContext#dropped} with {@link DropReason#STREAM_REMOVED}.
     */
    void removeStream(int streamId);

    /** Queues a packet of a stream that was added. */
    void enqueue(ScheduledPacket packet, long nowNanos);

    /**
     * Makes room for a datagram of {@code streamId} that found its socket's send queue full under
     * {@link io.qsockets.BackPressure#DROP}: the stream loses the queued unit (a datagram, or a
     * whole frame) it values least, if that ranks below {@code rank} — a drop priority, or
     * 256 for a non-droppable
     * datagram; the oldest among equals. Each packet lost goes through
     * {@link SchedulerContext#dropped} with {@link DropReason#OVERFLOW}. A scheduler that does not
     * choose among queued packets keeps the default, which loses none (the newcomer is dropped).
     *
     * @param rank the newcomer's rank, 1 to 256
     * @return how many packets were dropped to make room
     */
    default int evict(int streamId, int rank, long nowNanos) {
        return 0;
    }

    /**
     * @return the packet to transmit now, unlinked from the scheduler, or null if no packet is
     *     eligible at {@code nowNanos}; packets the scheduler drops on the way go through
     *     {@link SchedulerContext#dropped}
     */
    ScheduledPacket dequeue(long nowNanos);

    /**
     * @return the earliest time at which {@link #dequeue} could return a packet: at most
     *     {@code nowNanos} if one is eligible now, {@link Long#MAX_VALUE} if nothing is queued
     */
    long nextEligibleNanos(long nowNanos);

    /** @return packets queued across all streams */
    int size();

    /**
     * Reports a stream's statistics. Unlike every other method, this one is called from any
     * thread (an application's {@code info()}): implementations publish what it reads safely.
     *
     * @return the stream's statistics, or {@link SchedulerStats#NONE} if the scheduler keeps none
     *     or the stream is unknown
     */
    default SchedulerStats stats(int streamId) {
        return SchedulerStats.NONE;
    }
}
