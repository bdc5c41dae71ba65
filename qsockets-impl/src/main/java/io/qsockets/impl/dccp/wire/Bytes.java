package io.qsockets.impl.dccp.wire;

import java.nio.ByteBuffer;

/**
 * Big-endian (network order) absolute reads and writes, independent of the buffer's byte order.
 * Every access goes through {@link ByteBuffer#get(int)}/{@link ByteBuffer#put(int, byte)}, so it is
 * bounds-checked against the buffer's limit.
 */
final class Bytes {

    private Bytes() {
    }

    static int u8(ByteBuffer b, int i) {
        return b.get(i) & 0xFF;
    }

    static int u16(ByteBuffer b, int i) {
        return (b.get(i) & 0xFF) << 8 | b.get(i + 1) & 0xFF;
    }

    static int u24(ByteBuffer b, int i) {
        return (b.get(i) & 0xFF) << 16 | (b.get(i + 1) & 0xFF) << 8 | b.get(i + 2) & 0xFF;
    }

    static long u32(ByteBuffer b, int i) {
        return (long) u16(b, i) << 16 | u16(b, i + 2);
    }

    static long u48(ByteBuffer b, int i) {
        return (long) u24(b, i) << 24 | u24(b, i + 3);
    }

    /** Reads an unsigned big-endian number of {@code n} bytes (0 to 7). */
    static long uN(ByteBuffer b, int i, int n) {
        long v = 0;
        for (int k = 0; k < n; k++) {
            v = v << 8 | b.get(i + k) & 0xFF;
        }
        return v;
    }

    static void put8(ByteBuffer b, int i, int v) {
        b.put(i, (byte) v);
    }

    static void put16(ByteBuffer b, int i, int v) {
        b.put(i, (byte) (v >>> 8));
        b.put(i + 1, (byte) v);
    }

    static void put24(ByteBuffer b, int i, long v) {
        b.put(i, (byte) (v >>> 16));
        b.put(i + 1, (byte) (v >>> 8));
        b.put(i + 2, (byte) v);
    }

    static void put32(ByteBuffer b, int i, long v) {
        put16(b, i, (int) (v >>> 16));
        put16(b, i + 2, (int) v);
    }

    static void put48(ByteBuffer b, int i, long v) {
        put24(b, i, v >>> 24);
        put24(b, i + 3, v);
    }

    /** Writes the low {@code n} bytes of {@code v} big-endian. */
    static void putN(ByteBuffer b, int i, long v, int n) {
        for (int k = n - 1; k >= 0; k--) {
            b.put(i + k, (byte) v);
            v >>>= 8;
        }
    }

    /** The number of bytes (at least 1) needed to hold the non-negative {@code v}. */
    static int minimalLength(long v) {
        int n = 1;
        while (n < 8 && (v >>> (8 * n)) != 0) {
            n++;
        }
        return n;
    }
}
