package io.qsockets.spi;

/** Why a scheduler gave a packet up. */
public enum DropReason {
    /** Its deadline passed and its stream does not send late packets. */
    LATE,
    /** The stream's loss tolerance allowed dropping it to make room for others. */
    LOSS_TOLERANCE,
    /** Another packet of its frame was dropped, so the rest of the frame is useless. */
    FRAME_INCOMPLETE,
    /** Its stream was removed while it was queued. */
    STREAM_REMOVED,
    /** It waited longer than its socket's {@code maxQueueDelay}. */
    STALE,
    /**
     * Its socket's send queue was full ({@code BackPressure.DROP}) when a datagram of higher rank
     * (drop priority, or non-droppable) came: the least valued queued one made room.
     */
    OVERFLOW
}
