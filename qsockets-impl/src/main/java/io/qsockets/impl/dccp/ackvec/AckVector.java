package io.qsockets.impl.dccp.ackvec;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The Ack Vector cell format of RFC 4340 §11.4, and a walker over a vector.
 *
 * <p>A cell is one byte: the state in the two most significant bits ({@link #RECEIVED},
 * {@link #ECN_MARKED}, reserved 2, {@link #NOT_RECEIVED}) and in the low six bits the run length
 * minus one, so one cell covers 1 to {@value #MAX_RUN} consecutive packets. A vector is a
 * sequence of cells walking back from the Acknowledgement Number: its first cell starts at the
 * Acknowledgement Number, every next cell covers the packets just older than the previous one.
 * When a packet carries several Ack Vector options, the second continues where the first ends.
 *
 * <p>Stateless; thread-safe.
 */
public final class AckVector {

    /** State 0: received. */
    public static final int RECEIVED = 0;
    /** State 1: received with ECN Congestion Experienced. */
    public static final int ECN_MARKED = 1;
    /** State 2: reserved; a vector that holds it is invalid. */
    public static final int RESERVED = 2;
    /** State 3: not yet received. */
    public static final int NOT_RECEIVED = 3;
    /** The most packets one cell covers. */
    public static final int MAX_RUN = 64;
    /** The most cells one Ack Vector option holds (its length byte counts two header bytes). */
    public static final int MAX_CELLS_PER_OPTION = 253;

    private AckVector() {
    }

    /**
     * @param state 0, 1 or 3
     * @param length packets covered, 1 to {@value #MAX_RUN}
     * @return the cell byte
     */
    public static byte cell(int state, int length) {
        if (state != RECEIVED && state != ECN_MARKED && state != NOT_RECEIVED) {
            throw new IllegalArgumentException("Ack Vector state " + state + " is not allowed: must be 0, 1 or 3");
        }
        if (length < 1 || length > MAX_RUN) {
            throw new IllegalArgumentException("Ack Vector run of " + length + " packets: must be 1 to " + MAX_RUN);
        }
        return (byte) (state << 6 | (length - 1));
    }

    /** @return the state of a cell, 0 to 3 */
    public static int state(byte cell) {
        return (cell >> 6) & 3;
    }

    /** @return how many packets a cell covers, 1 to {@value #MAX_RUN} */
    public static int length(byte cell) {
        return (cell & 0x3F) + 1;
    }

    /**
     * Walks a vector newest run first. Nothing is read outside {@code [index, index + count)};
     * the buffer's position and limit are not changed.
     *
     * <p>A vector with a reserved state (2) is invalid as a whole: the visitor is not called and
     * the result is -1, so that the caller can count and ignore it.
     *
     * @param ackno the Acknowledgement Number the vector starts at
     * @param cells the buffer holding the cells
     * @param index the absolute index of the first cell
     * @param count how many cells; 0 is an empty vector
     * @param visitor called once per cell, newest first, until it returns {@code false}
     * @return how many sequence numbers the whole vector covers (also when the visitor stopped
     *     early), or -1 when it is invalid
     */
    public static long forEachRun(long ackno, ByteBuffer cells, int index, int count, AckRunVisitor visitor) {
        Seq48.check("Acknowledgement Number", ackno);
        Objects.requireNonNull(visitor, "visitor must not be null");
        Objects.checkFromIndexSize(index, count, cells.limit());
        long covered = 0;
        for (int i = index; i < index + count; i++) {
            byte cell = cells.get(i);
            if (state(cell) == RESERVED) {
                return -1;
            }
            covered += length(cell);
        }
        long high = ackno;
        for (int i = index; i < index + count; i++) {
            byte cell = cells.get(i);
            int length = length(cell);
            if (!visitor.onRun(high, length, state(cell))) {
                break;
            }
            high = Seq48.add(high, -length);
        }
        return covered;
    }
}
