package io.qsockets.impl.dccp.wire;

import java.nio.ByteBuffer;

/**
 * Walks the one-byte cells of run-length encoded acknowledgement options (Ack Vector, Data
 * Dropped) back from the Acknowledgement Number; a later option of the same kind continues where
 * the previous one left off (§11.4, §11.7).
 */
abstract class RunLengthCursor {

    private ByteBuffer buffer;
    private int position;
    private int end;
    private long nextSeqno;
    private int cell;
    private long high;
    private long low;

    /**
     * Starts a walk at {@code ackNumber}: the first cell of the first option loaded describes it.
     *
     * @throws IllegalArgumentException if {@code ackNumber} is not a 48-bit sequence number
     */
    public final void start(long ackNumber) {
        nextSeqno = SequenceNumbers.requireValid(ackNumber, "ackNumber");
        buffer = null;
        position = 0;
        end = 0;
    }

    /**
     * Loads the cells of the cursor's current option, continuing the walk; false (and nothing
     * loaded) if that option is not of this cursor's kind or has an invalid length.
     */
    public final boolean load(OptionCursor option) {
        if (!accepts(option.type()) || !option.hasValidLength()) {
            return false;
        }
        buffer = option.buffer();
        position = option.bodyOffset();
        end = position + option.bodyLength();
        loaded(option.type());
        return true;
    }

    abstract boolean accepts(int optionType);

    void loaded(int optionType) {
    }

    /** Decodes how many packets after the first one a cell covers. */
    abstract int runLengthOf(int cell);

    /** Advances to the next cell of the loaded option; false when it has none left. */
    public final boolean next() {
        if (buffer == null || position >= end) {
            return false;
        }
        cell = Bytes.u8(buffer, position++);
        high = nextSeqno;
        low = SequenceNumbers.add(high, -runLengthOf(cell));
        nextSeqno = SequenceNumbers.add(low, -1);
        return true;
    }

    /** The raw byte of the current cell. */
    public final int cell() {
        return cell;
    }

    /** The run length of the current cell: it covers {@code runLength() + 1} packets. */
    public final int runLength() {
        return runLengthOf(cell);
    }

    /** The newest (greatest) sequence number the current cell covers. */
    public final long highSeqno() {
        return high;
    }

    /** The oldest (smallest) sequence number the current cell covers. */
    public final long lowSeqno() {
        return low;
    }

    /** The sequence number the next cell will start at (one before {@link #lowSeqno()}). */
    public final long nextSeqno() {
        return nextSeqno;
    }
}
