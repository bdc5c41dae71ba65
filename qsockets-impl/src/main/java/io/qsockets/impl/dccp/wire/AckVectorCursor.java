package io.qsockets.impl.dccp.wire;

/**
 * Allocation-free iterator over Ack Vector cells (RFC 4340 §11.4): each cell yields a state and
 * the sequence range [{@link #lowSeqno()}, {@link #highSeqno()}] it covers, walking back from
 * the Acknowledgement Number; several Ack Vector options continue one another.
 *
 * <pre>{@code
 * vector.start(header.ackNumber(gss));
 * ... for each option: if (vector.load(options)) while (vector.next()) use(vector.state(), vector.lowSeqno(), vector.highSeqno());
 * }</pre>
 */
public final class AckVectorCursor extends RunLengthCursor {

    private int nonce;

    @Override
    boolean accepts(int optionType) {
        return optionType == OptionType.ACK_VECTOR_0 || optionType == OptionType.ACK_VECTOR_1;
    }

    @Override
    void loaded(int optionType) {
        nonce = optionType - OptionType.ACK_VECTOR_0;
    }

    @Override
    int runLengthOf(int cell) {
        return cell & 0x3F;
    }

    /** The ECN Nonce Echo of the loaded option: 0 for type 38, 1 for type 39 (§12.2). */
    public int nonce() {
        return nonce;
    }

    /** The current cell's state. */
    public AckVectorState state() {
        return AckVectorState.fromCode(cell() >>> 6);
    }
}
