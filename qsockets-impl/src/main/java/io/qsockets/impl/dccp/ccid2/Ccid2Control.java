package io.qsockets.impl.dccp.ccid2;

import io.qsockets.impl.dccp.CongestionControl;
import java.nio.ByteBuffer;

/**
 * CCID 2 (RFC 4341) as a connection's {@link CongestionControl}: a {@link Ccid2Sender} whose
 * window, loss detection and retransmission timeout decide when the connection may send data.
 * Engine thread only.
 */
public final class Ccid2Control implements CongestionControl {
    private final Ccid2Sender sender;

    /**
     * @param config the CCID 2 settings
     * @param listener told of acknowledged and lost data packets
     */
    public Ccid2Control(Ccid2Config config, CongestionControl.Listener listener) {
        this.sender = new Ccid2Sender(config, new Ccid2Listener() {
            @Override
            public void onAcked(long seqno) {
                listener.onAcked(seqno);
            }

            @Override
            public void onLost(long seqno) {
                listener.onLost(seqno);
            }

            @Override
            public void onAckRatioChange(int ackRatio) {
                // the receiver keeps its negotiated Ack Ratio; acks stay at least as frequent
            }
        });
    }

    /** @return a factory of CCID 2 controls with {@code config} */
    public static CongestionControl.Factory factory(Ccid2Config config) {
        return listener -> new Ccid2Control(config, listener);
    }

    @Override
    public boolean canSend() {
        return sender.canSend();
    }

    @Override
    public void onSent(long seqno, long now, boolean isData) {
        sender.onSent(seqno, now, isData);
    }

    @Override
    public void onAck(long ackno, ByteBuffer cells, int index, int length, long now) {
        sender.onAck(ackno, cells, index, length, now);
    }

    @Override
    public boolean ackOfAckDue() {
        return sender.ackOfAckDue();
    }

    @Override
    public void onAckOfAckSent() {
        sender.onAckOfAckSent();
    }

    /** Caps the window at three quarters of the Sequence Window, the most the peer accepts in flight. */
    @Override
    public void onSequenceWindow(long packets) {
        sender.limitWindow((int) Math.min(Integer.MAX_VALUE, packets * 3 / 4));
    }

    @Override
    public long nextTimerNanos() {
        return sender.rtoDeadlineNanos();
    }

    @Override
    public void onTimer(long now) {
        sender.onRtoExpired(now);
    }

    @Override
    public int cwnd() {
        return sender.cwnd();
    }

    @Override
    public int pipe() {
        return sender.pipe();
    }

    @Override
    public long rtoNanos() {
        return sender.rtoNanos();
    }

    @Override
    public void onReceiveBufferDrops(int packets) {
        sender.onReceiveBufferDrops(packets); // RFC 4341 §5.2 via RFC 4340 §11.7.2
    }

    @Override
    public void onCongestionMarked(long seqno) {
        sender.onCongestionMarked(seqno); // RFC 4340 §11.7.2: as if ECN marked
    }

    @Override
    public void onSlowReceiver() {
        sender.onSlowReceiver(); // RFC 4341 §5.2: leave slow start
    }

    @Override
    public void onPeerPacket(long seqno, boolean nonData) {
        sender.onPeerPacket(seqno, nonData, false);
    }

    @Override
    public int consecutiveTimeouts() {
        return sender.rtoBackoffs();
    }

    /** @return the sender, for its counters */
    public Ccid2Sender sender() {
        return sender;
    }
}
