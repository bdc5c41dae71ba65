package io.qsockets.examples.video;

import io.qsockets.examples.stream.FrameType;
import java.nio.ByteBuffer;

/**
 * The video datagram header: magic {@code QVID} (4 bytes), frame number (8), frame type (1),
 * packet index within the frame (2), packets in the frame (2), reserved (1); then frame data.
 * Big-endian. Flyweight over a caller's buffer: no allocation per datagram.
 */
public final class VideoWire {
    /** The header length in bytes. */
    public static final int HEADER = 18;
    /** Marks a qsockets video datagram. */
    public static final int MAGIC = 0x51564944;
    private static final FrameType[] TYPES = FrameType.values();

    private long frame;
    private FrameType type;
    private int index;
    private int count;

    /**
     * @param frameSize the frame's size in bytes
     * @param payload data bytes per datagram, at least 1
     * @return how many datagrams carry the frame
     */
    public static int packetsFor(int frameSize, int payload) {
        return Math.max(1, (frameSize + payload - 1) / payload);
    }

    /** Writes a header at the start of {@code buf}. */
    public static void write(byte[] buf, long frame, FrameType type, int index, int count) {
        ByteBuffer b = ByteBuffer.wrap(buf);
        b.putInt(MAGIC).putLong(frame).put((byte) type.ordinal()).putShort((short) index).putShort((short) count)
                .put((byte) 0);
    }

    /**
     * Reads the header of a received datagram into this flyweight.
     *
     * @return false if the datagram is not a video datagram (too short, wrong magic, bad fields)
     */
    public boolean read(byte[] buf, int offset, int length) {
        if (length < HEADER) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(buf, offset, length);
        if (b.getInt() != MAGIC) {
            return false;
        }
        frame = b.getLong();
        int t = b.get();
        index = Short.toUnsignedInt(b.getShort());
        count = Short.toUnsignedInt(b.getShort());
        if (frame < 0 || t < 0 || t >= TYPES.length || count == 0 || index >= count) {
            return false;
        }
        type = TYPES[t];
        return true;
    }

    /** @return the frame number of the last datagram read */
    public long frame() {
        return frame;
    }

    /** @return its frame type */
    public FrameType type() {
        return type;
    }

    /** @return its index within the frame */
    public int index() {
        return index;
    }

    /** @return the frame's datagram count */
    public int count() {
        return count;
    }
}
