package io.qsockets.impl.dccp.ccid2;

import io.qsockets.impl.dccp.ackvec.AckVector;
import io.qsockets.impl.dccp.ackvec.AckVectorRecorder;
import io.qsockets.impl.dccp.ackvec.Seq48;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The receiving side of a CCID 2 half-connection (RFC 4341 §6, RFC 4340 §11.3): records the
 * packets the peer sends in an {@link AckVectorRecorder} and says when to acknowledge them.
 *
 * <p>An acknowledgement is due once Ack Ratio data packets arrived since the last one; at once
 * for a data packet that arrived ECN marked or out of order (after a gap, or filling one); and in
 * any case when the oldest unacknowledged data packet has waited the delayed-ack bound
 * ({@link Ccid2Config#delayedAckNanos()}, 200 ms by default). Non-data packets are recorded (the
 * Ack Vector covers them) but do not call for an acknowledgement. Every acknowledgement carries
 * the Ack Vector (mandatory in CCID 2): {@link #writeAckVector}, then {@link #onAckSent} with the
 * sequence number of the packet that carried it, whether a DCCP-Ack or a piggybacked
 * DCCP-DataAck. The peer's Acknowledgement Numbers go to {@link #onAckOfAck} to free state.
 *
 * <p><b>Thread-safety:</b> none; confined to the engine thread. Time is only what the caller
 * passes in.
 */
public final class Ccid2Receiver {

    /** What {@link #ackDeadlineNanos()} returns when no acknowledgement is pending. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;
    /** The least quiet time before the sender is quiescent (RFC 4341 §6.2.1): 200 ms. */
    public static final long MIN_QUIESCENCE_NANOS = 200_000_000L;

    private final AckVectorRecorder recorder;
    private final long delayedAckNanos;
    private int ackRatio = AckRatioPolicy.INITIAL;

    private boolean ackPending;
    private boolean ackAtOnce;
    private int dataSinceAck;
    private long firstUnackedNanos;

    private boolean dataEver;
    private long lastDataNanos;
    private long lastDataSeqno;

    private long dataPacketsReceived;
    private long acksSent;

    /** @param config the half-connection's configuration */
    public Ccid2Receiver(Ccid2Config config) {
        Objects.requireNonNull(config, "config must not be null");
        this.recorder = new AckVectorRecorder(config.ackVectorCells(), config.ackRecords());
        this.delayedAckNanos = config.delayedAckNanos();
    }

    /**
     * Records an acknowledgeable packet from the peer.
     *
     * @param seqno its sequence number
     * @param isData whether it carried application data
     * @param ecnMarked whether it arrived ECN Congestion Experienced
     * @param nowNanos when it arrived
     * @return what the recorder did; after {@link AckVectorRecorder.Outcome#TOO_OLD} the packet
     *     cannot be acknowledged and should be ignored
     */
    public AckVectorRecorder.Outcome onPacketReceived(long seqno, boolean isData, boolean ecnMarked, long nowNanos) {
        AckVectorRecorder.Outcome outcome = recorder.record(seqno, ecnMarked ? AckVector.ECN_MARKED : AckVector.RECEIVED);
        if (!isData || outcome == AckVectorRecorder.Outcome.TOO_OLD || outcome == AckVectorRecorder.Outcome.DUPLICATE) {
            return outcome;
        }
        dataPacketsReceived++;
        if (!dataEver || Seq48.after(seqno, lastDataSeqno)) {
            lastDataSeqno = seqno;
        }
        dataEver = true;
        lastDataNanos = nowNanos;
        if (!ackPending) {
            ackPending = true;
            firstUnackedNanos = nowNanos;
        }
        dataSinceAck++;
        if (ecnMarked || outcome != AckVectorRecorder.Outcome.IN_ORDER) {
            ackAtOnce = true;
        }
        return outcome;
    }

    /** @return whether data packets await an acknowledgement */
    public boolean hasPendingAck() {
        return ackPending;
    }

    /**
     * @param nowNanos the current time
     * @return whether an acknowledgement should be sent now
     */
    public boolean ackDue(long nowNanos) {
        return ackPending && (ackAtOnce || (ackRatio > 0 && dataSinceAck >= ackRatio)
                || nowNanos - firstUnackedNanos >= delayedAckNanos);
    }

    /** @return when a pending acknowledgement is due at the latest, or {@link #NO_DEADLINE} */
    public long ackDeadlineNanos() {
        return ackPending ? firstUnackedNanos + delayedAckNanos : NO_DEADLINE;
    }

    /** @return the Acknowledgement Number to send: the greatest sequence number received */
    public long ackno() {
        return recorder.ackno();
    }

    /**
     * Writes the Ack Vector for {@link #ackno()}; see {@link AckVectorRecorder#writeCells(long, ByteBuffer, int, int)}.
     *
     * @return how many cells were written
     */
    public int writeAckVector(ByteBuffer dst, int index, int maxCells) {
        return recorder.writeCells(dst, index, maxCells);
    }

    /**
     * A packet carrying Acknowledgement Number {@link #ackno()} and its Ack Vector was sent.
     *
     * @param ourSeqno the sequence number of that packet
     */
    public void onAckSent(long ourSeqno) {
        recorder.onAckVectorSent(ourSeqno, recorder.ackno());
        acksSent++;
        ackPending = false;
        ackAtOnce = false;
        dataSinceAck = 0;
    }

    /**
     * @param peerAckno the Acknowledgement Number of a packet from the peer
     * @return whether it acknowledged one of our Ack Vectors, freeing state
     */
    public boolean onAckOfAck(long peerAckno) {
        return recorder.onAckOfAck(peerAckno);
    }

    /**
     * Sets the Ack Ratio the peer asked for ("Change L(Ack Ratio)", RFC 4340 §11.3).
     *
     * @param value 0 to 65535; 0 means acknowledgements by timer and events only
     */
    public void setAckRatio(int value) {
        if (value < 0 || value > AckRatioPolicy.MAX) {
            throw new IllegalArgumentException("Ack Ratio " + value + ": must be 0 to " + AckRatioPolicy.MAX);
        }
        ackRatio = value;
    }

    /** @return the Ack Ratio in force */
    public int ackRatio() {
        return ackRatio;
    }

    /**
     * Whether the peer's data half-connection has gone quiescent (RFC 4341 §6.2.1): no data for
     * {@code max(0.2 s, 2 RTT)}, and the peer has acknowledged Ack Vectors covering all data
     * received.
     *
     * @param nowNanos the current time
     * @param rttNanos the round-trip time if known (e.g. from our own sender), else 0
     */
    public boolean senderQuiescent(long nowNanos, long rttNanos) {
        if (!dataEver) {
            return true;
        }
        long quiet = Math.max(MIN_QUIESCENCE_NANOS, 2 * Math.max(0, rttNanos));
        return nowNanos - lastDataNanos >= quiet && !recorder.holds(lastDataSeqno);
    }

    /** @return the record of received packets */
    public AckVectorRecorder recorder() {
        return recorder;
    }

    /** @return data packets recorded (duplicates and too-old ones excluded) */
    public long dataPacketsReceived() {
        return dataPacketsReceived;
    }

    /** @return acknowledgements sent */
    public long acksSent() {
        return acksSent;
    }

    @Override
    public String toString() {
        return "Ccid2Receiver[ackRatio=" + ackRatio + ", pending=" + ackPending + ", dataSinceAck=" + dataSinceAck + ", "
                + recorder + "]";
    }
}
