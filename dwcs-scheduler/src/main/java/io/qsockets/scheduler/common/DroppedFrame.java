package io.qsockets.scheduler.common;

import io.qsockets.PacketFlags;

/**
 * The frame a stream lost a datagram of: the rest of it is useless, so the stream drops its
 * datagrams as they arrive, until the frame ends or another one begins. Not thread-safe.
 */
public final class DroppedFrame {
    private long frame = PacketFlags.NO_FRAME;

    /** The stream lost a datagram of {@code frameId}. */
    public void set(long frameId) {
        frame = frameId;
    }

    /**
     * @param f the flags of a datagram just submitted
     * @return whether it continues the dropped frame (the caller drops it unless it must never be
     *     dropped); a datagram that ends that frame, or is not part of it, forgets the frame
     */
    public boolean continues(PacketFlags f) {
        if (frame == PacketFlags.NO_FRAME) {
            return false;
        }
        if (f.frameId() != frame || f.frameStart()) {
            frame = PacketFlags.NO_FRAME;
            return false;
        }
        if (f.frameEnd()) {
            frame = PacketFlags.NO_FRAME;
        }
        return true;
    }
}
