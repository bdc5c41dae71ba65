package io.qsockets.spi;

import io.qsockets.PacketFlags;

/**
 * What a {@link PacketScheduler} sees of a queued datagram. The engine owns and recycles these
 * objects: a scheduler keeps a reference only while the packet is queued in it, and links packets
 * through {@link #schedulerNext()} so that queueing allocates nothing.
 *
 * <p>Confined to the engine thread.
 */
public interface ScheduledPacket {
    /** A deadline that never comes. */
    long NO_DEADLINE = Long.MAX_VALUE;

    /** @return the stream (socket) the packet belongs to */
    int streamId();

    /** @return the payload length in bytes */
    int length();

    /** @return the engine-clock time of submission */
    long submittedNanos();

    /** @return the absolute engine-clock deadline, or {@link #NO_DEADLINE} */
    long deadlineNanos();

    /**
     * @return the engine-clock time after which the packet has waited longer than its socket's
     *     {@link io.qsockets.QosParams#maxQueueDelay() maxQueueDelay} and must be dropped rather
     *     than sent (unless it is non-droppable), or {@link #NO_DEADLINE}. A scheduler drops such a
     *     packet through {@link SchedulerContext#dropped} with {@link DropReason#STALE} when it
     *     meets it, without giving it its stream's pace; the engine drops what a scheduler releases
     *     stale.
     */
    default long staleNanos() {
        return NO_DEADLINE;
    }

    /** @return the per-packet flags */
    PacketFlags flags();

    /** @return the engine-wide submission order, increasing */
    long sequence();

    /** @return the scheduler's link to the next packet, or null */
    ScheduledPacket schedulerNext();

    /** @param next the scheduler's link to the next packet */
    void schedulerNext(ScheduledPacket next);
}
