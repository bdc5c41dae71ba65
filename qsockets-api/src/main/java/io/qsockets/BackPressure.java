package io.qsockets;

/**
 * What a send does when the socket's send queue is full ({@link QosParams#sendQueueCapacity()}).
 * Neither throws: a full queue is an outcome, not an error.
 */
public enum BackPressure {
    /** The sending thread waits for room, as a blocking {@code DatagramSocket.send} does. */
    BLOCK,
    /**
     * The new datagram is not queued: it is counted as dropped in {@link QInfo}, and its
     * {@link Segment}, if one was asked for, ends {@link SegmentState#DROPPED}.
     */
    DROP
}
