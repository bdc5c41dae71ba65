package io.qsockets.impl.dccp;

import io.qsockets.impl.dccp.ackvec.Seq48;
import io.qsockets.impl.dccp.wire.DropCode;
import java.util.Arrays;

/**
 * The data packets this side received but could not hand to the application (its receive queue
 * was full), reported to the peer in Data Dropped options with Drop Code 2 (RFC 4340 §11.7) until
 * the peer acknowledged an acknowledgement covering them, so the peer does not take them for
 * delivered. Holds the most recent {@value #CAPACITY}; older ones are forgotten. Engine thread;
 * allocates nothing after construction.
 */
final class ReceiveBufferDrops {
    static final int CAPACITY = 64;
    /** Most blocks written on one packet. */
    static final int MAX_BLOCKS = 64;
    private static final int DROP_BLOCK = 0x80 | DropCode.RECEIVE_BUFFER.code() << 4;

    /** Ascending sequence numbers, oldest first. */
    private final long[] seqnos = new long[CAPACITY];
    private int count;
    private final byte[] blocks = new byte[MAX_BLOCKS];
    private long recorded;

    /** {@code seqno}'s data was dropped in the receive buffer. */
    void add(long seqno) {
        recorded++;
        if (count == CAPACITY) {
            System.arraycopy(seqnos, 1, seqnos, 0, --count);
        }
        int i = count;
        while (i > 0 && Seq48.delta(seqnos[i - 1], seqno) > 0) { // rarely out of order
            seqnos[i] = seqnos[i - 1];
            i--;
        }
        seqnos[i] = seqno;
        count++;
    }

    /** Forgets the drops older than {@code lowest}: the peer has acknowledged their report. */
    void pruneBelow(long lowest) {
        int keep = 0;
        while (keep < count && Seq48.delta(seqnos[keep], lowest) < 0) {
            keep++;
        }
        if (keep > 0) {
            System.arraycopy(seqnos, keep, seqnos, 0, count - keep);
            count -= keep;
        }
    }

    /** @return whether any drop is held */
    boolean isEmpty() {
        return count == 0;
    }

    /**
     * Encodes the held drops at or below {@code ackno} as Data Dropped blocks, newest first
     * (Normal Blocks for the packets between them), in at most {@code maxBlocks} bytes.
     *
     * @return the number of block bytes in {@link #blocks()}; 0 if there is nothing to report
     */
    int encode(long ackno, int maxBlocks) {
        int limit = Math.min(maxBlocks, MAX_BLOCKS);
        int n = 0;
        long next = ackno; // the newest packet not yet described
        int i = count - 1;
        while (i >= 0 && Seq48.delta(seqnos[i], ackno) > 0) {
            i--; // not acknowledged by this packet: reported later
        }
        while (i >= 0) {
            long gap = Seq48.delta(next, seqnos[i]);
            int normals = (int) ((gap + 127) / 128);
            int run = 1;
            while (run < 16 && i - run >= 0 && Seq48.delta(seqnos[i], seqnos[i - run]) == run) {
                run++;
            }
            if (n + normals + 1 > limit) {
                break;
            }
            for (long left = gap; left > 0; left -= 128) {
                blocks[n++] = (byte) (Math.min(left, 128) - 1);
            }
            blocks[n++] = (byte) (DROP_BLOCK | run - 1);
            next = Seq48.add(seqnos[i], -run);
            i -= run;
        }
        return n;
    }

    /** @return the blocks {@link #encode} wrote */
    byte[] blocks() {
        return blocks;
    }

    /** @return drops recorded since the connection began */
    long recorded() {
        return recorded;
    }

    @Override
    public String toString() {
        return "ReceiveBufferDrops" + Arrays.toString(Arrays.copyOf(seqnos, count));
    }
}
