package io.qsockets.impl.dccp.wire;

/**
 * Allocation-free iterator over Data Dropped blocks (RFC 4340 §11.7): Normal Blocks (7-bit run
 * length, up to 128 packets) and Drop Blocks (3-bit Drop Code, 4-bit run length, up to 16 packets), each covering the sequence range
 * [{@link #lowSeqno()}, {@link #highSeqno()}], walking back from the Acknowledgement Number.
 */
public final class DataDroppedCursor extends RunLengthCursor {

    @Override
    boolean accepts(int optionType) {
        return optionType == OptionType.DATA_DROPPED;
    }

    @Override
    int runLengthOf(int cell) {
        return (cell & 0x80) == 0 ? cell & 0x7F : cell & 0x0F;
    }

    /** True for a Drop Block, false for a Normal Block. */
    public boolean isDropBlock() {
        return (cell() & 0x80) != 0;
    }

    /** The Drop Code of a Drop Block, or {@code null} for a Normal Block. */
    public DropCode dropCode() {
        return isDropBlock() ? DropCode.fromCode(cell() >>> 4) : null;
    }
}
