package io.qsockets.impl.dccp.ccid2;

/**
 * What a {@link Ccid2Sender} learns from acknowledgements and timeouts, for the layer above (the
 * send queue re-sends lost segments on new sequence numbers; the connection signals Ack Ratio).
 * Called on the engine thread, from inside the sender's methods; an implementation must not call
 * back into the sender.
 */
public interface Ccid2Listener {

    /**
     * A data packet was acknowledged as received (Ack Vector state 0 or 1), for the first time.
     * It may have been reported {@link #onLost lost} before, when the acknowledgement came late.
     *
     * @param seqno its sequence number
     */
    void onAcked(long seqno);

    /**
     * A data packet is presumed lost: three packets sent after it were acknowledged, a transmit
     * timeout expired while it was outstanding, or it fell out of the sender's history unresolved.
     * Called at most once per packet.
     *
     * @param seqno its sequence number
     */
    void onLost(long seqno);

    /**
     * The sender wants the peer to use a new Ack Ratio; the connection sends
     * "Change L(Ack Ratio, ackRatio)" (RFC 4340 §11.3).
     *
     * @param ackRatio the new value, 1 to 65535
     */
    void onAckRatioChange(int ackRatio);
}
