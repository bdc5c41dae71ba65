package io.qsockets;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The handle of one submitted datagram, returned by {@code QSocket.send(packet, flags)}: its
 * state, its outcome, and the controls an application keeps over it until it is transmitted
 * (late binding: the content is read when the datagram leaves, not when it was submitted).
 *
 * <p>Thread-safe.
 */
public interface Segment {

    /** @return the segment's id, unique within its socket */
    long id();

    /** @return the current state */
    SegmentState state();

    /** @return completes with the final state; never completes exceptionally */
    CompletionStage<SegmentState> outcome();

    /** @return how many times the datagram has been transmitted */
    int attempts();

    /** @return the payload length in bytes */
    int length();

    /** @return the engine-clock time of the submission */
    long submittedNanos();

    /** @return the engine-clock time of the last transmission, or -1 if none */
    long lastTransmitNanos();

    /**
     * Stops any further transmission.
     *
     * @return true if the segment is now {@link SegmentState#CANCELLED}; false if it had already
     *     reached another final state
     */
    boolean cancel();

    /**
     * Replaces the content that the next transmission carries.
     *
     * @param content the new content; at most {@link #length()} bytes, which becomes the new length
     * @return true if a later transmission will carry it; false if the segment is final or sent
     *     on a transport that will not transmit it again
     * @throws IllegalArgumentException if the content is larger than the original
     */
    boolean update(byte[] content);

    /**
     * Moves the segment's deadline to {@code deadline} after its submission.
     *
     * @param deadline the new relative deadline, positive and at most {@link PacketFlags#MAX_DEADLINE}
     * @return true if the new deadline applies; false if the segment is already final
     * @throws IllegalArgumentException if {@code deadline} is null, not positive or too long
     */
    boolean relaxDeadline(Duration deadline);
}
