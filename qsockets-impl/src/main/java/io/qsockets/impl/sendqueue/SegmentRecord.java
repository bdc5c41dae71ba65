package io.qsockets.impl.sendqueue;

import io.qsockets.SegmentState;
import java.nio.ByteBuffer;

/**
 * One segment as a {@link SendWindow} sees it: the descriptor the window holds while the content
 * stays with the application (late binding). The engine's segment handle implements it.
 *
 * <p>Threading: the getters may be called on the engine thread while application threads update,
 * cancel or relax the segment, so an implementation publishes those changes safely (e.g. under
 * its monitor). {@link #bindContent}, {@link #acknowledge}, {@link #transmitted} and
 * {@link #settle} are called on the engine thread only and must be atomic with respect to the
 * application's {@code update} and {@code cancel}.
 *
 * <p>A window holds a record until it settles it, or, for a record cancelled by the application,
 * until it next looks at it (a poll, an acknowledgement or loss of one of its transmissions, or
 * its expiry); an implementation that pools records must not reuse one before then.
 */
public interface SegmentRecord {
    /** {@link #deadlineNanos()} of a segment without a deadline. */
    long NO_DEADLINE = Long.MAX_VALUE;
    /** {@link #graceNanos()} of a segment without a grace period. */
    long NO_GRACE = -1;
    /** {@link #maxAttempts()} without a limit. */
    int UNLIMITED_ATTEMPTS = 0;
    /** {@link #bindContent} of a segment that must not be transmitted any more. */
    int NOT_BOUND = -1;

    /** @return the segment id, unique and increasing within its socket */
    long id();

    /** @return the engine-clock time of the submission */
    long submittedNanos();

    /** @return the absolute deadline on the engine clock, or {@link #NO_DEADLINE}; may move later */
    long deadlineNanos();

    /** @return how long after the submission a transmission may be attempted, or {@link #NO_GRACE} */
    long graceNanos();

    /** @return 0–255, higher is served first */
    int priority();

    /** @return the most transmissions, or {@link #UNLIMITED_ATTEMPTS} */
    int maxAttempts();

    /** @return whether the segment is retransmitted until acknowledged, its deadline notwithstanding */
    boolean reliable();

    /** @return the revision of the current content: 0, plus one per update */
    int revision();

    /** @return the current state; a final state other than one the window set means cancelled */
    SegmentState state();

    /**
     * Engine thread: copies the current content into {@code out} at its position (late binding).
     *
     * @return the revision copied, or {@link #NOT_BOUND} (nothing copied) if the segment is final
     */
    int bindContent(ByteBuffer out);

    /** Engine thread: {@code revision} left at {@code nowNanos}; state SENT_UNACKED, one more attempt. */
    void transmitted(int revision, long nowNanos);

    /**
     * Engine thread: the peer acknowledged a transmission carrying {@code revision}.
     *
     * @return true if the segment is now ACKED; false if {@code revision} is no longer the current
     *     one (an update is pending) or the segment was already final
     */
    boolean acknowledge(int revision);

    /**
     * Engine thread: moves to {@code finalState} (EXPIRED or DROPPED) unless already final.
     *
     * @return whether this call settled it
     */
    boolean settle(SegmentState finalState);
}
