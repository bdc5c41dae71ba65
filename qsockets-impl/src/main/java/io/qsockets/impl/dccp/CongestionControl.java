package io.qsockets.impl.dccp;

import java.nio.ByteBuffer;

/**
 * The sender half of a CCID (RFC 4340 §10) as a {@link DccpConnection} drives it. Confined to
 * the engine thread; all times are nanoseconds of the engine's clock.
 */
public interface CongestionControl {

    /** Told of the fate of data packets; the connection forwards it to its {@link ConnectionOwner}. */
    interface Listener {
        /** A data packet was acknowledged as received, for the first time. */
        void onAcked(long seqno);

        /** A data packet is presumed lost; at most once per packet. */
        void onLost(long seqno);
    }

    /** Creates one instance per connection. */
    @FunctionalInterface
    interface Factory {
        CongestionControl create(Listener listener);
    }

    /** Whether a data packet may be sent now. */
    boolean canSend();

    /** Every packet the connection sends, in sequence-number order. */
    void onSent(long seqno, long now, boolean isData);

    /**
     * An acknowledgement: its Acknowledgement Number and the concatenated cells of its Ack Vector
     * options ({@code length == 0} when it had none).
     */
    void onAck(long ackno, ByteBuffer cells, int index, int length, long now);

    /** A round-trip sample from Timestamp Echo (RFC 4340 §13.3); ignore it if the CCID measures its own. */
    default void onRttSample(long rttNanos, long now) {
    }

    /**
     * The local Sequence Window (RFC 4340 §7.5.2) is first known or changed: the peer accepts
     * acknowledgements only of the last {@code packets} sequence numbers this side sent, and data
     * only up to about three quarters of it past the last one it received, so a CCID must not keep
     * more than that in flight. Called before the first packet is sent and on every change.
     */
    default void onSequenceWindow(long packets) {
    }

    /**
     * Whether the next data packet should carry an acknowledgement of the peer's latest packet
     * (a DCCP-DataAck), so that the peer can free its acknowledgement state (RFC 4341 §6.2).
     */
    default boolean ackOfAckDue() {
        return false;
    }

    /** A packet acknowledging the peer's latest packet was sent. */
    default void onAckOfAckSent() {
    }

    /** The next time {@link #onTimer} must run, or {@link Long#MAX_VALUE}. */
    long nextTimerNanos();

    /** Runs due timers (e.g. the retransmission timeout). */
    void onTimer(long now);

    /** Congestion window in packets. */
    int cwnd();

    /** Data packets in flight. */
    int pipe();

    /** Retransmission timeout in nanoseconds, or 0 if the CCID has none. */
    long rtoNanos();

    /**
     * The peer newly reported {@code packets} data packets received but dropped before its
     * application (Data Dropped, RFC 4340 §11.7); they were not reported to the listener as
     * acknowledged. By default nothing changes.
     */
    default void onReceiveBufferDrops(int packets) {
    }

    /**
     * The peer reported data packet {@code seqno} dropped as corrupt, delivered corrupt, or with a
     * reserved Drop Code (3 to 7), which must count as if it arrived ECN marked (RFC 4340
     * §11.7.2). By default nothing changes.
     */
    default void onCongestionMarked(long seqno) {
    }

    /**
     * The peer sent a Slow Receiver option (RFC 4340 §11.6): it has trouble keeping up. By
     * default nothing changes.
     */
    default void onSlowReceiver() {
    }

    /**
     * A valid packet from the peer, for the acknowledgements the CCID watches (RFC 4341 §6.1.1).
     *
     * @param nonData whether it cannot carry data (Ack, Sync, SyncAck, Close, CloseReq, Reset)
     */
    default void onPeerPacket(long seqno, boolean nonData) {
    }

    /** @return retransmission timeouts since the last acknowledgement (0 for a CCID without them) */
    default int consecutiveTimeouts() {
        return 0;
    }

}
