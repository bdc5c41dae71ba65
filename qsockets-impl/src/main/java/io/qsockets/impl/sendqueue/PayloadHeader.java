package io.qsockets.impl.sendqueue;

import java.nio.ByteBuffer;

/**
 * Flyweight over the 24-byte header that precedes the application payload inside DCCP-Data and
 * DataAck packets (layout in {@code docs/wire-format.md}). Fields are in network byte order
 * whatever the buffer's own order. Reading never trusts a length: {@link #wrapForRead} checks the
 * bounds and the version and returns an error code instead of throwing. Not thread-safe; one
 * instance is reused for every packet of a thread.
 */
public final class PayloadHeader {
    /** Header length in bytes. */
    public static final int LENGTH = 24;
    /** The version this code writes and reads. */
    public static final int VERSION = 1;
    /** The largest revision the header carries. */
    public static final int MAX_REVISION = 0xFFFF;
    /** The largest frame id the header carries; larger ids are reduced modulo 2^32. */
    public static final long FRAME_ID_MASK = 0xFFFF_FFFFL;
    /** {@link #remainingLifetimeMicros()} of a segment without a deadline. */
    public static final long NO_LIFETIME = 0xFFFF_FFFFL;
    /** The largest finite remaining lifetime, in microseconds (about 71 minutes). */
    public static final long MAX_LIFETIME_MICROS = NO_LIFETIME - 1;
    /** {@link #frameId()} when the segment belongs to no frame. */
    public static final long NO_FRAME = -1;

    /** Flag: the content replaces an earlier revision (revision &gt; 0). */
    public static final int FLAG_UPDATE = 0x01;
    /** Flag: the sender retransmits it until acknowledged. */
    public static final int FLAG_RELIABLE = 0x02;
    /** Flag: the frame id field is meaningful. */
    public static final int FLAG_FRAME = 0x04;
    /** Flag: the segment opens its frame. */
    public static final int FLAG_FRAME_START = 0x08;
    /** Flag: the segment closes its frame. */
    public static final int FLAG_FRAME_END = 0x10;
    private static final int KNOWN_FLAGS = 0x1F;

    /** {@link #wrapForRead}: the header is valid. */
    public static final int OK = 0;
    /** {@link #wrapForRead}: offset or length lie outside the buffer. */
    public static final int ERR_BOUNDS = -1;
    /** {@link #wrapForRead}: fewer than {@link #LENGTH} bytes. */
    public static final int ERR_TRUNCATED = -2;
    /** {@link #wrapForRead}: a version this code does not read. */
    public static final int ERR_VERSION = -3;

    static final int VERSION_OFFSET = 0;
    static final int FLAGS_OFFSET = 1;
    static final int REVISION_OFFSET = 2;
    static final int SEGMENT_ID_OFFSET = 4;
    static final int FRAME_ID_OFFSET = 12;
    static final int TIMESTAMP_OFFSET = 16;
    static final int LIFETIME_OFFSET = 20;

    private ByteBuffer buffer;
    private int offset;

    /**
     * Reads a header received from the network.
     *
     * @param buffer the packet
     * @param offset where the header starts
     * @param length the bytes available from {@code offset} (header and payload), as the packet says
     * @return {@link #OK}, {@link #ERR_BOUNDS}, {@link #ERR_TRUNCATED} or {@link #ERR_VERSION}; the
     *     getters are meaningful only after {@code OK}
     */
    public int wrapForRead(ByteBuffer buffer, int offset, int length) {
        this.buffer = null;
        if (buffer == null || offset < 0 || length < 0 || offset > buffer.limit() - length) {
            return ERR_BOUNDS;
        }
        if (length < LENGTH) {
            return ERR_TRUNCATED;
        }
        if ((buffer.get(offset + VERSION_OFFSET) & 0xFF) != VERSION) {
            return ERR_VERSION;
        }
        this.buffer = buffer;
        this.offset = offset;
        return OK;
    }

    /**
     * Writes a complete header at {@code offset}; the buffer's position and limit are not moved.
     *
     * @param segmentId the segment id, at least 0
     * @param revision the content revision, 0 to {@link #MAX_REVISION}
     * @param reliable whether the sender retransmits until acknowledged
     * @param frameId the frame id (at least 0, carried modulo 2^32) or {@link #NO_FRAME}
     * @param frameStart whether the segment opens its frame
     * @param frameEnd whether the segment closes its frame
     * @param nowNanos the sender's clock at transmission
     * @param deadlineNanos the absolute deadline on the same clock, or {@link Long#MAX_VALUE} for none
     * @return this
     * @throws IllegalArgumentException if a value is out of range or the header does not fit
     */
    public PayloadHeader write(ByteBuffer buffer, int offset, long segmentId, int revision, boolean reliable,
            long frameId, boolean frameStart, boolean frameEnd, long nowNanos, long deadlineNanos) {
        if (offset < 0 || offset > buffer.limit() - LENGTH) {
            throw new IllegalArgumentException("header at offset " + offset + " does not fit in a buffer of limit "
                    + buffer.limit() + ": it needs " + LENGTH + " bytes");
        }
        if (segmentId < 0) {
            throw new IllegalArgumentException("segment id " + segmentId + " must be >= 0");
        }
        if (revision < 0 || revision > MAX_REVISION) {
            throw new IllegalArgumentException("revision " + revision + " must be between 0 and " + MAX_REVISION);
        }
        if (frameId < NO_FRAME) {
            throw new IllegalArgumentException("frame id " + frameId + " must be >= 0, or " + NO_FRAME + " for none");
        }
        int flags = (revision > 0 ? FLAG_UPDATE : 0) | (reliable ? FLAG_RELIABLE : 0);
        if (frameId != NO_FRAME) {
            flags |= FLAG_FRAME | (frameStart ? FLAG_FRAME_START : 0) | (frameEnd ? FLAG_FRAME_END : 0);
        }
        buffer.put(offset + VERSION_OFFSET, (byte) VERSION);
        buffer.put(offset + FLAGS_OFFSET, (byte) flags);
        putShort(buffer, offset + REVISION_OFFSET, revision);
        putLong(buffer, offset + SEGMENT_ID_OFFSET, segmentId);
        putInt(buffer, offset + FRAME_ID_OFFSET, frameId == NO_FRAME ? 0 : frameId & FRAME_ID_MASK);
        putInt(buffer, offset + TIMESTAMP_OFFSET, Math.floorDiv(nowNanos, 1000L) & 0xFFFF_FFFFL);
        putInt(buffer, offset + LIFETIME_OFFSET, lifetimeMicros(nowNanos, deadlineNanos));
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * @return the remaining lifetime field for a transmission at {@code nowNanos}: microseconds
     *     to the deadline, 0 once it has passed, at most {@link #MAX_LIFETIME_MICROS}, or
     *     {@link #NO_LIFETIME} without a deadline ({@code Long.MAX_VALUE})
     */
    public static long lifetimeMicros(long nowNanos, long deadlineNanos) {
        if (deadlineNanos == Long.MAX_VALUE) {
            return NO_LIFETIME;
        }
        if (deadlineNanos <= nowNanos) {
            return 0;
        }
        long remaining = deadlineNanos - nowNanos;
        if (remaining < 0) {
            return MAX_LIFETIME_MICROS; // the subtraction overflowed: far in the future
        }
        return Math.min(remaining / 1000L, MAX_LIFETIME_MICROS);
    }

    /** @return the version byte */
    public int version() {
        return get(VERSION_OFFSET) & 0xFF;
    }

    /** @return the flag bits; unknown bits (sent as zero by version 1) are masked off */
    public int flags() {
        return get(FLAGS_OFFSET) & KNOWN_FLAGS;
    }

    /** @return whether the content replaces an earlier revision */
    public boolean isUpdate() {
        return (flags() & FLAG_UPDATE) != 0;
    }

    /** @return whether the sender retransmits the segment until acknowledged */
    public boolean isReliable() {
        return (flags() & FLAG_RELIABLE) != 0;
    }

    /** @return whether the segment opens its frame (false without a frame) */
    public boolean frameStart() {
        return (flags() & (FLAG_FRAME | FLAG_FRAME_START)) == (FLAG_FRAME | FLAG_FRAME_START);
    }

    /** @return whether the segment closes its frame (false without a frame) */
    public boolean frameEnd() {
        return (flags() & (FLAG_FRAME | FLAG_FRAME_END)) == (FLAG_FRAME | FLAG_FRAME_END);
    }

    /** @return the frame id modulo 2^32, or {@link #NO_FRAME} */
    public long frameId() {
        return (flags() & FLAG_FRAME) == 0 ? NO_FRAME : getInt(FRAME_ID_OFFSET);
    }

    /** @return the content revision, 0 to {@link #MAX_REVISION} */
    public int revision() {
        return ((get(REVISION_OFFSET) & 0xFF) << 8) | (get(REVISION_OFFSET + 1) & 0xFF);
    }

    /**
     * @return the segment id; a value below 0 cannot come from a conforming sender and should be
     *     treated as malformed
     */
    public long segmentId() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (get(SEGMENT_ID_OFFSET + i) & 0xFF);
        }
        return v;
    }

    /** @return the sender's clock at transmission in microseconds, modulo 2^32 */
    public long senderTimestampMicros() {
        return getInt(TIMESTAMP_OFFSET);
    }

    /** @return microseconds the segment had left when transmitted, or {@link #NO_LIFETIME} */
    public long remainingLifetimeMicros() {
        return getInt(LIFETIME_OFFSET);
    }

    private byte get(int field) {
        if (buffer == null) {
            throw new IllegalStateException("no header wrapped: call wrapForRead (and check OK) or write first");
        }
        return buffer.get(offset + field);
    }

    private long getInt(int field) {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (get(field + i) & 0xFF);
        }
        return v;
    }

    private static void putShort(ByteBuffer b, int at, int v) {
        b.put(at, (byte) (v >>> 8));
        b.put(at + 1, (byte) v);
    }

    private static void putInt(ByteBuffer b, int at, long v) {
        for (int i = 3; i >= 0; i--) {
            b.put(at + i, (byte) v);
            v >>>= 8;
        }
    }

    private static void putLong(ByteBuffer b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b.put(at + i, (byte) v);
            v >>>= 8;
        }
    }
}
