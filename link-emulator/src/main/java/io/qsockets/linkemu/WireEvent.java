package io.qsockets.linkemu;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One packet offered to a link, as a {@link WireTap} sees it.
 *
 * @param offeredNanos when it was offered, on the link's clock
 * @param direction the direction of the link that carried it
 * @param flow what the offerer attached to it: {@code null} for
 *     {@link LinkModel#offer(byte[], int, long)}, the {@link UdpLinkEmulator.Route} in a relay
 * @param payload a read-only copy of its bytes (position 0, limit its length)
 * @param verdict what the link decided
 * @param deliveryNanos when it is delivered (the first copy when duplicated), or
 *     {@link Long#MIN_VALUE} when dropped
 * @param reordered whether it got the reordering delay
 * @param duplicated whether a second copy will be delivered
 */
public record WireEvent(long offeredNanos, Direction direction, Object flow, ByteBuffer payload,
        Verdict verdict, long deliveryNanos, boolean reordered, boolean duplicated) {

    /** Checks the references; the payload is kept as given. */
    public WireEvent {
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(verdict, "verdict");
    }

    /** @return a fresh read-only view of the payload, so every caller starts at position 0 */
    @Override
    public ByteBuffer payload() {
        return payload.duplicate();
    }

    /** @return the payload length in bytes */
    public int length() {
        return payload.remaining();
    }

    /** @return a copy of the payload bytes */
    public byte[] bytes() {
        byte[] copy = new byte[payload.remaining()];
        payload.duplicate().get(copy);
        return copy;
    }
}
