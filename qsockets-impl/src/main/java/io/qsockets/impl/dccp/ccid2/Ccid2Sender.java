package io.qsockets.impl.dccp.ccid2;

import io.qsockets.impl.dccp.ackvec.AckRunVisitor;
import io.qsockets.impl.dccp.ackvec.AckVector;
import io.qsockets.impl.dccp.ackvec.Seq48;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The sending side of a CCID 2 half-connection: TCP-like congestion control in packets
 * (RFC 4341 §5), fed by Ack Vectors.
 *
 * <p><b>Window.</b> {@link #canSend()} while {@code pipe < cwnd}. cwnd starts at
 * {@link Ccid2Config#initialCwnd()}, ssthresh "arbitrarily high". In slow start
 * ({@code cwnd < ssthresh}) cwnd grows by one per two newly acknowledged unmarked data packets,
 * at most {@code ceil(AckRatio / 2)} per acknowledgement, i.e. about 1.5x per round trip with Ack
 * Ratio 2, as RFC 4341 §5 prescribes; in congestion avoidance by one per cwnd of them.
 *
 * <p><b>Loss.</b> Every packet sent is given to {@link #onSent}, data or not. A packet is lost
 * once {@value #NUMDUPACK} packets sent after it (of any kind) have been acknowledged as received;
 * a data packet acknowledged in state 1 (ECN marked) is delivered but is a congestion signal.
 * Either halves cwnd (ssthresh = the new cwnd, at least 2), once per congestion event: losses
 * and marks of packets sent before the last halving was decided belong to it. Only data packets
 * count in pipe and move cwnd. Each lost data packet is reported once to
 * {@link Ccid2Listener#onLost}, each delivered one once to {@link Ccid2Listener#onAcked} (also
 * after a loss report, when the acknowledgement comes late; pipe is then not touched again).
 * Ack Vector state 3 changes nothing (RFC 4340 §11.4.1: received stays received).
 *
 * <p><b>Timeout.</b> SRTT/RTTVAR/RTO per RFC 6298, sampled at most once per window of data from
 * the send time of the newest packet an acknowledgement newly covers. The timer runs while data is
 * outstanding and restarts when new data is acknowledged. On expiry ({@link #onRtoExpired}):
 * ssthresh = cwnd / 2 (at least 2; kept on back-to-back timeouts), cwnd = 1, every outstanding
 * data packet is lost (pipe = 0), and the timeout doubles up to the maximum until data is
 * acknowledged again.
 *
 * <p><b>Acknowledgement congestion.</b> The peer's packets are given to {@link #onPeerPacket};
 * losses among them (and ECN marks on its non-data packets) steer the Ack Ratio
 * (RFC 4341 §6.1.2, see {@link Ccid2Listener#onAckRatioChange}). {@link #ackOfAckDue()} says
 * when to acknowledge the peer's acknowledgements (once per window, RFC 4341 §6.2). If every
 * acknowledgement is lost, the timeout takes over.
 *
 * <p><b>Idle and application-limited periods</b> (RFC 4341 §5.1, RFC 2861, unless
 * {@link Ccid2Config#cwndValidation()} is off): when data is sent after an idle time longer than
 * the RTO, cwnd is halved once per RTO idle, not below the initial window (ssthresh first rises to
 * 3/4 of cwnd); cwnd grows only if the window was full within the last two round trips.
 *
 * <p><b>Memory.</b> The last {@link Ccid2Config#historyCapacity()} sequence numbers are
 * remembered; an outstanding packet that falls out of the history is lost. Nothing is allocated
 * after construction. Time is only what the caller passes in.
 *
 * <p><b>Thread-safety:</b> none; confined to the engine thread.
 */
public final class Ccid2Sender {

    /** Packets acknowledged after a hole that make it a loss (RFC 4341 §5). */
    public static final int NUMDUPACK = 3;
    /** What {@link #rtoDeadlineNanos()} returns when the timer is not running. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private final Ccid2Config config;
    private final Ccid2Listener listener;
    private final SentHistory history;
    private final RttEstimator rtt;
    private final AckRatioPolicy ackRatio;
    private final PeerLossDetector peerLoss = new PeerLossDetector();
    private final AckRunVisitor runVisitor = this::onAckRun;

    private int cwnd;
    private int windowLimit = Integer.MAX_VALUE;
    private int ssthresh = Integer.MAX_VALUE;
    private int pipe;
    private int slowStartAcked;
    private int avoidanceAcked;

    /** Whether a congestion response happened; losses of packets up to {@link #reductionSeq} belong to it. */
    private boolean reduced;
    private long reductionSeq;

    private boolean anyAcked;
    private long highestAcked;
    /** Packets before it have been examined for loss. */
    private long lossScan;
    /** Every held packet before it is acknowledged (or was never sent). */
    private long lowestUnacked;
    /** The first sequence number whose acknowledgement may give an RTT sample. */
    private long rttSampleFrom;

    private boolean rtoArmed;
    private long rtoDeadline;
    private boolean timeoutSeries;

    private boolean dataSentEver;
    private long lastDataSentNanos;
    private boolean windowFilled;
    private long windowFilledNanos;

    private boolean peerAcksPending;
    private long dataSinceAckOfAck;

    // scratch of the acknowledgement being processed
    private boolean anyNewlyAcked;
    private long newestNewlyAcked;
    private int ackedUnmarked;
    private boolean dataProgress;
    private boolean congestedThisAck;

    private long packetsSent;
    private long dataPacketsSent;
    private long acksProcessed;
    private long invalidAcks;
    private long dataAcked;
    private long dataLost;
    private long ecnMarks;
    private long lateAcks;
    private long congestionEvents;
    private long timeouts;
    private long evictions;
    private long idleRestarts;

    /**
     * @param config the half-connection's configuration
     * @param listener told of acknowledged and lost data packets and Ack Ratio changes
     */
    public Ccid2Sender(Ccid2Config config, Ccid2Listener listener) {
        this.config = Objects.requireNonNull(config, "config must not be null");
        this.listener = Objects.requireNonNull(listener, "listener must not be null");
        this.history = new SentHistory(config.historyCapacity());
        this.rtt = new RttEstimator(config.initialRtoNanos(), config.minRtoNanos(), config.maxRtoNanos());
        this.ackRatio = new AckRatioPolicy(listener);
        this.cwnd = config.initialCwnd();
    }

    /** @return whether a data packet may be sent now: {@code pipe < cwnd} */
    public boolean canSend() {
        return pipe < cwnd;
    }

    /**
     * Records a packet just sent. Every packet of the half-connection's sender is given, in
     * sequence-number order (skipped numbers are allowed).
     *
     * @param seqno its sequence number, after the previous one
     * @param nowNanos when it was sent
     * @param isData whether it carries application data (DCCP-Data, DCCP-DataAck, or a Request
     *     or Response with data); only data packets need {@link #canSend()}
     * @throws IllegalStateException for a data packet when {@code pipe >= cwnd}
     */
    public void onSent(long seqno, long nowNanos, boolean isData) {
        Seq48.check("sequence number", seqno);
        if (isData && pipe >= cwnd) {
            throw new IllegalStateException("data packet " + seqno + " sent with pipe " + pipe + " >= cwnd " + cwnd
                    + ": check canSend() first");
        }
        if (history.isEmpty()) {
            resetPointers(seqno);
        } else {
            long d = Seq48.delta(seqno, history.newest());
            if (d <= 0) {
                throw new IllegalArgumentException("sequence number " + seqno + " does not follow the last one sent, "
                        + history.newest());
            }
            if (d > config.historyCapacity()) {
                forgetAll();
                resetPointers(seqno);
            } else {
                for (long s = Seq48.add(history.newest(), 1); s != seqno; s = Seq48.add(s, 1)) {
                    append(s, nowNanos, (byte) 0);
                }
            }
        }
        if (isData) {
            restartAfterIdle(nowNanos);
        }
        append(seqno, nowNanos, isData ? (byte) (SentHistory.SENT | SentHistory.DATA) : SentHistory.SENT);
        packetsSent++;
        if (isData) {
            pipe++;
            dataPacketsSent++;
            dataSinceAckOfAck++;
            dataSentEver = true;
            lastDataSentNanos = nowNanos;
            if (pipe >= cwnd) {
                windowFilled = true;
                windowFilledNanos = nowNanos;
            }
            if (!rtoArmed) {
                armRto(nowNanos);
            }
        }
    }

    private void resetPointers(long seqno) {
        lossScan = seqno;
        lowestUnacked = seqno;
        rttSampleFrom = seqno;
        anyAcked = false;
    }

    private void append(long seqno, long nowNanos, byte flags) {
        if (history.isFull()) {
            evictOldest();
        }
        history.append(seqno, nowNanos, flags);
    }

    private void evictOldest() {
        long oldest = history.oldest();
        byte f = history.flags(oldest);
        if (SentHistory.outstanding(f) && (f & SentHistory.DATA) != 0) {
            evictions++;
            markLost(oldest, f, true);
        }
        history.dropOldest();
    }

    private void forgetAll() {
        while (!history.isEmpty()) {
            evictOldest();
        }
    }

    private void restartAfterIdle(long nowNanos) {
        if (!config.cwndValidation() || pipe > 0 || !dataSentEver) {
            return;
        }
        long rto = rtt.rto();
        long idle = nowNanos - lastDataSentNanos;
        int restart = config.initialCwnd();
        if (idle <= rto || cwnd <= restart) {
            return;
        }
        idleRestarts++;
        ssthresh = Math.max(ssthresh, cwnd / 4 * 3);
        for (long periods = idle / rto; periods > 0 && cwnd > restart; periods--) {
            cwnd = Math.max(restart, cwnd / 2);
        }
        ackRatio.clamp(cwnd);
    }

    /**
     * Processes an acknowledgement: its Acknowledgement Number and the cells of its Ack Vector.
     * When a packet carries several Ack Vector options, copy their cells one after the other into
     * one buffer (a reused one: at most a few hundred bytes) and pass that. An acknowledgement
     * without Ack Vector ({@code length == 0}) acknowledges the Acknowledgement Number alone.
     * Invalid ones (an Acknowledgement Number never sent, a reserved state) are counted and
     * ignored. Newly acknowledged packets are reported newest first.
     *
     * @param ackno the Acknowledgement Number
     * @param cells the buffer holding the Ack Vector cells; may be null when {@code length} is 0
     * @param index the absolute index of the first cell
     * @param length how many cells, 0 for an acknowledgement without Ack Vector
     * @param nowNanos when it arrived
     * @return whether it was valid and processed
     */
    public boolean onAck(long ackno, ByteBuffer cells, int index, int length, long nowNanos) {
        Seq48.check("Acknowledgement Number", ackno);
        if (history.isEmpty() || Seq48.after(ackno, history.newest())) {
            invalidAcks++;
            return false;
        }
        anyNewlyAcked = false;
        ackedUnmarked = 0;
        dataProgress = false;
        congestedThisAck = false;
        long covered;
        if (length == 0) {
            covered = 1;
            onAckRun(ackno, 1, AckVector.RECEIVED);
        } else {
            covered = AckVector.forEachRun(ackno, cells, index, length, runVisitor);
        }
        if (covered < 0) {
            invalidAcks++;
            return false;
        }
        acksProcessed++;
        peerAcksPending = true;
        detectLosses();
        if (ackedUnmarked > 0) {
            grow(ackedUnmarked, nowNanos);
        }
        if (anyNewlyAcked) {
            if (Seq48.delta(newestNewlyAcked, rttSampleFrom) >= 0) {
                rtt.sample(nowNanos - history.sendTime(newestNewlyAcked));
                rttSampleFrom = Seq48.add(history.newest(), 1);
            }
            ackRatio.onAcked(highestAcked, history.newest(), cwnd);
            advanceLowestUnacked();
        }
        if (dataProgress) {
            timeoutSeries = false;
            rtt.clearBackoff();
            if (pipe > 0) {
                armRto(nowNanos);
            } else {
                rtoArmed = false;
            }
        }
        return true;
    }

    private boolean onAckRun(long high, int length, int state) {
        if (state == AckVector.NOT_RECEIVED) {
            return true;
        }
        long span = Seq48.delta(high, heldFrom(lowestUnacked));
        if (span < 0) {
            return false;
        }
        long n = Math.min(length, span + 1);
        for (long i = 0; i < n; i++) {
            long s = Seq48.add(high, -i);
            byte f = history.flags(s);
            if ((f & SentHistory.SENT) != 0 && (f & SentHistory.ACKED) == 0) {
                markAcked(s, f, state);
            }
        }
        return true;
    }

    private void markAcked(long s, byte f, int state) {
        history.addFlags(s, SentHistory.ACKED);
        if (!anyAcked || Seq48.after(s, highestAcked)) {
            highestAcked = s;
            anyAcked = true;
        }
        if (!anyNewlyAcked || Seq48.after(s, newestNewlyAcked)) {
            newestNewlyAcked = s;
            anyNewlyAcked = true;
        }
        if ((f & SentHistory.DATA) == 0) {
            return;
        }
        dataProgress = true;
        dataAcked++;
        if ((f & SentHistory.LOST) != 0) {
            lateAcks++;
        } else {
            pipe--;
            if (state == AckVector.ECN_MARKED) {
                ecnMarks++;
                congestion(s);
            } else {
                ackedUnmarked++;
            }
        }
        listener.onAcked(s);
    }

    /** Marks lost every outstanding packet with {@link #NUMDUPACK} acknowledged packets after it. */
    private void detectLosses() {
        if (!anyAcked || !history.holds(highestAcked)) {
            return;
        }
        long positions = Seq48.delta(highestAcked, history.oldest());
        int found = 0;
        long third = highestAcked;
        for (long i = 0; i <= positions && found < NUMDUPACK; i++) {
            third = Seq48.add(highestAcked, -i);
            if ((history.flags(third) & SentHistory.ACKED) != 0) {
                found++;
            }
        }
        if (found < NUMDUPACK) {
            return;
        }
        for (long s = heldFrom(lossScan); Seq48.delta(third, s) > 0; s = Seq48.add(s, 1)) {
            byte f = history.flags(s);
            if (SentHistory.outstanding(f)) {
                markLost(s, f, true);
            }
        }
        lossScan = Seq48.max(lossScan, third);
    }

    private void markLost(long s, byte f, boolean respond) {
        history.addFlags(s, SentHistory.LOST);
        if ((f & SentHistory.DATA) == 0) {
            return;
        }
        pipe--;
        dataLost++;
        if (respond) {
            congestion(s);
        }
        listener.onLost(s);
    }

    /** A lost or marked data packet: halves cwnd unless it belongs to the last congestion event. */
    private void congestion(long seqno) {
        if (reduced && Seq48.delta(seqno, reductionSeq) <= 0) {
            return;
        }
        reduced = true;
        reductionSeq = history.newest();
        congestionEvents++;
        congestedThisAck = true;
        cwnd = Math.max(1, cwnd / 2);
        ssthresh = Math.max(2, cwnd);
        slowStartAcked = 0;
        avoidanceAcked = 0;
        ackRatio.clamp(cwnd);
    }

    private void grow(int acked, long nowNanos) {
        if (congestedThisAck || (config.cwndValidation() && !windowRecentlyFull(nowNanos))) {
            return;
        }
        int maxCwnd = Math.min(config.maxCwnd(), windowLimit);
        int slowStartBudget = (ackRatio.ratio() + 1) / 2;
        while (acked > 0 && cwnd < maxCwnd) {
            if (cwnd < ssthresh) {
                if (slowStartBudget == 0) {
                    break;
                }
                acked--;
                if (++slowStartAcked >= 2) {
                    slowStartAcked = 0;
                    slowStartBudget--;
                    cwnd++;
                }
            } else {
                avoidanceAcked += acked;
                acked = 0;
                while (avoidanceAcked >= cwnd && cwnd < maxCwnd) {
                    avoidanceAcked -= cwnd;
                    cwnd++;
                }
            }
        }
        if (cwnd >= maxCwnd) {
            avoidanceAcked = 0;
        }
        ackRatio.clamp(cwnd);
    }

    private boolean windowRecentlyFull(long nowNanos) {
        long span = rtt.sampled() ? 2 * rtt.srtt() + RttEstimator.GRANULARITY_NANOS : rtt.rto();
        return windowFilled && nowNanos - windowFilledNanos <= span;
    }

    private void advanceLowestUnacked() {
        long s = heldFrom(lowestUnacked);
        while (history.holds(s)) {
            byte f = history.flags(s);
            if ((f & SentHistory.SENT) != 0 && (f & SentHistory.ACKED) == 0) {
                break;
            }
            s = Seq48.add(s, 1);
        }
        lowestUnacked = s;
    }

    /** @return {@code seqno}, or the oldest held sequence number if it is older */
    private long heldFrom(long seqno) {
        if (history.isEmpty()) {
            return seqno;
        }
        long oldest = history.oldest();
        return Seq48.delta(seqno, oldest) < 0 ? oldest : seqno;
    }

    private void armRto(long nowNanos) {
        rtoArmed = true;
        rtoDeadline = nowNanos + rtt.rto();
    }

    /** @return whether the transmit timer is running */
    public boolean isRtoArmed() {
        return rtoArmed;
    }

    /** @return when the transmit timer expires, or {@link #NO_DEADLINE} when it is not running */
    public long rtoDeadlineNanos() {
        return rtoArmed ? rtoDeadline : NO_DEADLINE;
    }

    /**
     * Fires the transmit timer. Calls before the deadline, or when the timer is not running
     * (e.g. it was restarted since it was scheduled), do nothing.
     *
     * @param nowNanos the current time
     * @return whether it had expired and was handled
     */
    public boolean onRtoExpired(long nowNanos) {
        if (!rtoArmed || nowNanos - rtoDeadline < 0) {
            return false;
        }
        timeouts++;
        rtoArmed = false;
        if (!timeoutSeries) {
            ssthresh = Math.max(2, cwnd / 2);
            timeoutSeries = true;
        }
        cwnd = 1;
        slowStartAcked = 0;
        avoidanceAcked = 0;
        rtt.backOff();
        reduced = true;
        reductionSeq = history.newest();
        for (long s = heldFrom(lowestUnacked); history.holds(s); s = Seq48.add(s, 1)) {
            byte f = history.flags(s);
            if (SentHistory.outstanding(f) && (f & SentHistory.DATA) != 0) {
                markLost(s, f, false);
            }
        }
        pipe = 0;
        ackRatio.clamp(cwnd);
        return true;
    }

    /**
     * Records a packet received from the peer (the HC-Receiver), to detect lost and marked
     * acknowledgements (RFC 4341 §6.1.1). Every lost packet counts as a lost acknowledgement.
     *
     * @param peerSeqno its sequence number
     * @param nonData whether it cannot carry data (DCCP-Ack, Close, CloseReq, Reset, Sync, SyncAck)
     * @param ecnMarked whether it arrived ECN Congestion Experienced
     */
    public void onPeerPacket(long peerSeqno, boolean nonData, boolean ecnMarked) {
        Seq48.check("peer sequence number", peerSeqno);
        boolean lost = peerLoss.onReceived(peerSeqno);
        if (lost || (nonData && ecnMarked)) {
            ackRatio.onAckCongestion(cwnd);
        }
    }

    /**
     * @return whether the connection should acknowledge the peer's acknowledgements now (send a
     *     DCCP-DataAck, or a DCCP-Ack when the application is silent): acknowledgements arrived and
     *     a window of data went out since the last time (RFC 4341 §6.2)
     */
    public boolean ackOfAckDue() {
        return peerAcksPending && dataSinceAckOfAck >= cwnd;
    }

    /** A packet with an Acknowledgement Number for the peer's latest packet was sent. */
    public void onAckOfAckSent() {
        peerAcksPending = false;
        dataSinceAckOfAck = 0;
    }

    /**
     * The receiver reported data packet {@code seqno} with a Drop Code that counts as an ECN mark
     * (RFC 4340 §11.7.2): a congestion event, as a marked packet is.
     */
    public void onCongestionMarked(long seqno) {
        Seq48.check("marked sequence number", seqno);
        congestion(seqno);
    }

    /** The receiver sent a Slow Receiver option (RFC 4341 §5.2): leave slow start. */
    public void onSlowReceiver() {
        ssthresh = Math.min(ssthresh, Math.max(2, cwnd));
    }

    /**
     * The receiver newly reported packets dropped at its receive buffer (Data Dropped, Drop Code
     * 2; RFC 4341 §5.2): cwnd falls by one per packet, not below one, and slow start ends.
     *
     * @param packets how many packets are newly reported, at least 0
     */
    public void onReceiveBufferDrops(int packets) {
        if (packets < 0) {
            throw new IllegalArgumentException("receive buffer drops " + packets + ": must be >= 0");
        }
        cwnd = Math.max(1, cwnd - packets);
        ssthresh = Math.min(ssthresh, Math.max(2, cwnd));
        ackRatio.clamp(cwnd);
    }

    /**
     * Caps cwnd below {@link Ccid2Config#maxCwnd()}: the connection's Sequence Window lets the peer
     * accept only so many packets in flight (RFC 4340 §7.5.2). A smaller cap cuts cwnd at once;
     * ssthresh is kept.
     *
     * @param packets the most packets cwnd may hold, at least 2
     */
    public void limitWindow(int packets) {
        if (packets < 2) {
            throw new IllegalArgumentException("window limit " + packets + " packets: must be >= 2");
        }
        windowLimit = packets;
        if (cwnd > packets) {
            cwnd = packets;
            ackRatio.clamp(cwnd);
        }
    }

    /** @return the cap set by {@link #limitWindow}, or {@link Integer#MAX_VALUE} */
    public int windowLimit() {
        return windowLimit;
    }

    /** @return the congestion window, in packets */
    public int cwnd() {
        return cwnd;
    }

    /** @return the slow-start threshold, in packets ({@link Integer#MAX_VALUE} until the first congestion) */
    public int ssthresh() {
        return ssthresh;
    }

    /** @return the data packets believed in the network */
    public int pipe() {
        return pipe;
    }

    /** @return whether cwnd is below ssthresh */
    public boolean inSlowStart() {
        return cwnd < ssthresh;
    }

    /** @return the smoothed round-trip time, or 0 before the first sample */
    public long srttNanos() {
        return rtt.srtt();
    }

    /** @return the round-trip time variation, or 0 before the first sample */
    public long rttvarNanos() {
        return rtt.rttvar();
    }

    /** @return the current transmit timeout, backoff included */
    public long rtoNanos() {
        return rtt.rto();
    }

    /** @return how many times the timeout has been doubled since data was last acknowledged */
    public int rtoBackoffs() {
        return rtt.backoffs();
    }

    /** @return the Ack Ratio the peer should use */
    public int ackRatio() {
        return ackRatio.ratio();
    }

    /** @return every packet given to {@link #onSent} */
    public long packetsSent() {
        return packetsSent;
    }

    /** @return data packets sent */
    public long dataPacketsSent() {
        return dataPacketsSent;
    }

    /** @return acknowledgements processed */
    public long acksProcessed() {
        return acksProcessed;
    }

    /** @return acknowledgements ignored as invalid */
    public long invalidAcks() {
        return invalidAcks;
    }

    /** @return data packets acknowledged (late ones included) */
    public long dataPacketsAcked() {
        return dataAcked;
    }

    /** @return data packets presumed lost */
    public long dataPacketsLost() {
        return dataLost;
    }

    /** @return data packets acknowledged after being presumed lost */
    public long lateAcks() {
        return lateAcks;
    }

    /** @return data packets acknowledged ECN marked */
    public long ecnMarks() {
        return ecnMarks;
    }

    /** @return congestion events that halved cwnd */
    public long congestionEvents() {
        return congestionEvents;
    }

    /** @return transmit timeouts */
    public long timeouts() {
        return timeouts;
    }

    /** @return outstanding data packets that fell out of the history and were presumed lost */
    public long evictions() {
        return evictions;
    }

    /** @return idle restarts that decayed cwnd */
    public long idleRestarts() {
        return idleRestarts;
    }

    /** @return windows with lost or marked acknowledgements (each doubled the Ack Ratio, within bounds) */
    public long ackCongestionEvents() {
        return ackRatio.ackCongestionEvents();
    }

    /** @return Ack Ratio changes requested */
    public long ackRatioChanges() {
        return ackRatio.changes();
    }

    @Override
    public String toString() {
        return "Ccid2Sender[cwnd=" + cwnd + ", ssthresh=" + (ssthresh == Integer.MAX_VALUE ? "inf" : ssthresh) + ", pipe="
                + pipe + ", srtt=" + rtt.srtt() + " ns, rto=" + rtt.rto() + " ns, ackRatio=" + ackRatio.ratio() + "]";
    }
}
