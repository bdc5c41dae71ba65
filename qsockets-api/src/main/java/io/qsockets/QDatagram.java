package io.qsockets;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A received datagram with what its sender's payload header said of it: returned by
 * {@link QSocket#receiveQ()}. On the DCCP transport every datagram carries the sender's segment
 * id, the revision of its content, its frame marks and the sender's transmission time; the
 * receiver has already removed duplicates, so a segment arrives once per revision and a newer
 * revision of one delivered before is marked {@link #isUpdate()}. On the UDP transport there is no
 * header and only {@link #data()} and {@link #sender()} are meaningful. Immutable, except that
 * {@link #data()} is the receiver's own array.
 *
 * @param data the payload (the receiver's own copy)
 * @param sender where it came from
 * @param segmentId the sender's segment id, or {@link #NO_SEGMENT}
 * @param revision the content revision: 0 for the original, more for each update
 * @param isUpdate whether it replaces content of the same segment delivered before
 * @param frameId the frame it belongs to, modulo 2^32, or {@link #NO_FRAME}
 * @param frameStart whether it opens its frame
 * @param frameEnd whether it closes its frame
 * @param senderTimestampMicros the sender's clock at transmission, in microseconds modulo 2^32,
 *     or {@link #NO_TIMESTAMP}
 */
public record QDatagram(byte[] data, InetSocketAddress sender, long segmentId, int revision, boolean isUpdate,
        long frameId, boolean frameStart, boolean frameEnd, long senderTimestampMicros) {
    /** {@link #segmentId()} of a datagram without a payload header. */
    public static final long NO_SEGMENT = -1;
    /** {@link #frameId()} of a datagram outside any frame. */
    public static final long NO_FRAME = -1;
    /** {@link #senderTimestampMicros()} when the sender's clock is not known. */
    public static final long NO_TIMESTAMP = -1;

    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code data} or {@code sender} is null
     * @throws IllegalArgumentException if an id, revision or timestamp is out of range
     */
    public QDatagram {
        Objects.requireNonNull(data, "data must not be null");
        Objects.requireNonNull(sender, "sender must not be null");
        if (segmentId < NO_SEGMENT) {
            throw new IllegalArgumentException("segment id " + segmentId + " must be >= 0, or " + NO_SEGMENT);
        }
        if (revision < 0 || revision > 0xFFFF) {
            throw new IllegalArgumentException("revision " + revision + " must be between 0 and 65535");
        }
        if (frameId < NO_FRAME) {
            throw new IllegalArgumentException("frame id " + frameId + " must be >= 0, or " + NO_FRAME);
        }
        if (senderTimestampMicros < NO_TIMESTAMP || senderTimestampMicros > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("sender timestamp " + senderTimestampMicros
                    + " must be between 0 and 4294967295, or " + NO_TIMESTAMP);
        }
    }

    /** A datagram without a payload header (the UDP transport). */
    public static QDatagram plain(byte[] data, InetSocketAddress sender) {
        return new QDatagram(data, sender, NO_SEGMENT, 0, false, NO_FRAME, false, false, NO_TIMESTAMP);
    }

    /** @return the payload length in bytes */
    public int length() {
        return data.length;
    }
}
