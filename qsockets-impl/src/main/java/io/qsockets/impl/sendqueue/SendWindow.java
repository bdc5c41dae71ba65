package io.qsockets.impl.sendqueue;

import io.qsockets.SegmentState;
import java.util.Objects;

/**
 * The segments a DCCP connection has taken from the send queue and not yet settled, with
 * selective retransmission on dynamic sequence numbers: each (re)transmission of a segment goes
 * out on a new DCCP sequence number, and a bounded ring maps every sequence number back to the
 * segment and the content revision it carried.
 *
 * <h2>Flow (engine thread)</h2>
 * <pre>{@code
 * while (ccid.canSend()) {
 *     SegmentRecord r = window.poll(now);                  // best pending segment, or null
 *     if (r == null) { take the next segment from the scheduler, window.submit(it, now), retry; }
 *     int rev = r.bindContent(payload);                   // late binding
 *     if (rev == SegmentRecord.NOT_BOUND) { window.unsent(); continue; }
 *     long seq = connection.send(header + payload);
 *     window.sent(seq, rev, now);
 * }
 * ccid listener: onAcked(seq) -> window.onAcked(seq, now); onLost(seq) -> window.onLost(seq, now)
 * timer at window.nextExpiryNanos() -> window.expire(now); RTT estimate -> window.smoothedRtt(srtt)
 * }</pre>
 *
 * <h2>Policy</h2>
 * Pending segments (new, or lost and worth retransmitting) are served highest {@code priority}
 * first, then earliest deadline, then submission order; so when the congestion window shrinks,
 * the slots go to the high-priority segments and the rest wait. A segment may be transmitted at
 * {@code now} only while all of these hold:
 * <ul>
 * <li>fewer than {@code maxAttempts} transmissions so far (when limited);
 * <li>unless it is {@code reliable}: {@code now < submitted + grace} (when it has a grace period),
 *     and {@code now + srtt/2 + margin < deadline} (when it has a deadline), i.e. it can still
 *     arrive in time.
 * </ul>
 * A segment that may not be transmitted any more and has no transmission outstanding is settled
 * {@link SegmentState#EXPIRED}; with transmissions outstanding it waits for them: acknowledged, it
 * is ACKED, lost, EXPIRED. It is never transmitted again. A segment without deadline and grace is
 * retransmitted until acknowledged. A cancelled segment is treated as acknowledged: it leaves the
 * window at the next look and its outstanding sequence numbers are ignored.
 *
 * <p>An acknowledgement settles a segment ACKED only if it carried the current revision. When the
 * application updated the content after the last transmission, the segment becomes pending again
 * once no transmission of the current revision is outstanding (the older one was acknowledged or
 * lost), so the peer ends with the latest content.
 *
 * <p>When the window is full, {@link #submit} evicts the lowest-priority pending segment with
 * nothing in flight, if its priority is lower than the newcomer's, settling it
 * {@link SegmentState#DROPPED}; otherwise it refuses the newcomer.
 *
 * <p>Single-threaded (engine thread); the counters may be read from any thread. Nothing is
 * allocated after construction.
 */
public final class SendWindow {
    /** Told each time the window lets a segment go, whatever its outcome; engine thread. */
    @FunctionalInterface
    public interface ReleaseListener {
        /** {@code record} left the window; the window holds no reference to it any more. */
        void released(SegmentRecord record);
    }

    private static final ReleaseListener NO_LISTENER = r -> { };
    private static final int ELIGIBLE = 0;
    private static final int PAST_DEADLINE = 1;
    private static final int PAST_GRACE = 2;
    private static final int NO_ATTEMPTS_LEFT = 3;
    private static final int HISTOGRAM_BUCKETS = 8;

    private final SendWindowConfig config;
    private final ReleaseListener listener;
    private final WindowEntry[] entries;
    private final int[] free;
    private int freeCount;
    private final EntryHeap pending;
    private final EntryHeap pendingWorst;
    private final EntryHeap expiry;

    private final long[] ringSeq;
    private final int[] ringEntry;
    private final int[] ringGeneration;
    private final int[] ringRevision;
    private final long[] ringSentAt;
    private final int ringMask;
    /** No transmission below it is unresolved; the loss timer walks it up. */
    /** The oldest transmission the loss timer has not yet looked at, or -1 before the first. */
    private long oldestUnresolved = -1;
    private long newestSent = -1;
    /** DCCP sequence numbers are 48 bits and wrap (RFC 4340 §7.1): their arithmetic is modulo 2^48. */
    private static final long SEQ_MASK = (1L << 48) - 1;
    private static final long SEQ_HALF = 1L << 47;

    private WindowEntry inHand;
    private long nextOrder;
    private long smoothedRttNanos;

    private volatile long submitted;
    private volatile long refused;
    private volatile long firstTransmissions;
    private volatile long retransmissions;
    private volatile long acked;
    private volatile long expiredDeadline;
    private volatile long expiredGrace;
    private volatile long expiredAttempts;
    private volatile long dropped;
    private volatile long cancelled;
    private volatile long olderRevisionAcks;
    private volatile long unknownSequences;
    private volatile long overwrittenInFlight;
    private volatile long timedOut;
    private final long[] ackedAfterAttempts = new long[HISTOGRAM_BUCKETS];

    /** A window with {@code config} that tells no one when it releases a segment. */
    public SendWindow(SendWindowConfig config) {
        this(config, NO_LISTENER);
    }

    /** A window with {@code config} that tells {@code listener} whenever it releases a segment. */
    public SendWindow(SendWindowConfig config, ReleaseListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        int capacity = config.capacity();
        entries = new WindowEntry[capacity];
        free = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            entries[i] = new WindowEntry(i);
            free[i] = capacity - 1 - i;
        }
        freeCount = capacity;
        pending = new EntryHeap(capacity, WindowEntry.PENDING_BEST, SendWindow::servedBefore);
        pendingWorst = new EntryHeap(capacity, WindowEntry.PENDING_WORST, (a, b) -> servedBefore(b, a));
        expiry = new EntryHeap(capacity, WindowEntry.EXPIRY, (a, b) -> a.giveUpNanos < b.giveUpNanos);
        int ring = config.sequenceRing();
        ringSeq = new long[ring];
        ringEntry = new int[ring];
        ringGeneration = new int[ring];
        ringRevision = new int[ring];
        ringSentAt = new long[ring];
        ringMask = ring - 1;
        java.util.Arrays.fill(ringSeq, -1);
    }

    private static boolean servedBefore(WindowEntry a, WindowEntry b) {
        if (a.priority != b.priority) {
            return a.priority > b.priority;
        }
        if (a.orderDeadline != b.orderDeadline) {
            return a.orderDeadline < b.orderDeadline;
        }
        return a.order < b.order;
    }

    /** Updates the round-trip estimate used to predict when a transmission arrives. */
    public void smoothedRtt(long srttNanos) {
        if (srttNanos < 0) {
            throw new IllegalArgumentException("smoothed RTT " + srttNanos + " ns must be >= 0");
        }
        smoothedRttNanos = srttNanos;
    }

    /** @return the predicted time from transmission to arrival: {@code srtt / 2 + margin} */
    public long expectedDeliveryNanos() {
        return smoothedRttNanos / 2 + config.deliveryMarginNanos();
    }

    /**
     * Takes a new segment into the window, pending its first transmission.
     *
     * @return false if the window is full and no lower-priority pending segment could be dropped
     *     for it; the segment is untouched then
     */
    public boolean submit(SegmentRecord record, long nowNanos) {
        Objects.requireNonNull(record, "record");
        if (freeCount == 0 && !evictFor(record.priority())) {
            refused++;
            return false;
        }
        WindowEntry e = entries[free[--freeCount]];
        e.reset(record, nextOrder++);
        addPending(e);
        submitted++;
        return true;
    }

    private boolean evictFor(int priority) {
        WindowEntry worst = pendingWorst.peek();
        if (worst == null || worst.priority >= priority || worst.inFlight > 0) {
            return false;
        }
        if (worst.record.settle(SegmentState.DROPPED)) {
            dropped++;
        } else {
            cancelled++;
        }
        release(worst);
        return true;
    }

    /**
     * Picks the segment to transmit now: the best pending one that may still be transmitted.
     * Segments found cancelled or past their limits on the way are settled. The caller must follow
     * a non-null result with {@link #sent} or {@link #unsent} before the next poll.
     *
     * @return the segment, or null if none is pending
     */
    public SegmentRecord poll(long nowNanos) {
        if (inHand != null) {
            throw new IllegalStateException("segment " + inHand.record.id()
                    + " was polled and neither sent nor unsent: call sent(...) or unsent() first");
        }
        WindowEntry e;
        while ((e = pending.peek()) != null) {
            if (releaseIfCancelled(e)) {
                continue;
            }
            int verdict = eligibility(e, nowNanos);
            if (verdict != ELIGIBLE) {
                removePending(e);
                if (e.inFlight == 0) {
                    giveUp(e, verdict);
                }
                continue;
            }
            removePending(e);
            inHand = e;
            return e.record;
        }
        return null;
    }

    /**
     * The segment last {@link #poll polled} left on sequence number {@code seqno}, carrying
     * {@code revision}.
     */
    public void sent(long seqno, int revision, long nowNanos) {
        if (inHand == null) {
            throw new IllegalStateException("no segment was polled");
        }
        if (seqno < 0) {
            throw new IllegalArgumentException("sequence number " + seqno + " must be >= 0");
        }
        if (revision < 0) {
            throw new IllegalArgumentException("revision " + revision + " must be >= 0");
        }
        int slot = (int) (seqno & ringMask);
        if (ringSeq[slot] >= 0) {
            overwrittenInFlight++;
            onLost(ringSeq[slot], nowNanos); // the segment in hand is not made pending by this
        }
        WindowEntry e = takeInHand();
        ringSeq[slot] = seqno;
        ringSentAt[slot] = nowNanos;
        if (oldestUnresolved < 0) {
            oldestUnresolved = seqno;
            newestSent = seqno;
        } else {
            long ahead = forward(oldestUnresolved, seqno);
            if (ahead >= ringSeq.length && ahead < SEQ_HALF) {
                oldestUnresolved = (seqno - ringSeq.length + 1) & SEQ_MASK; // the slots below were reused
            }
            if (forward(newestSent, seqno) < SEQ_HALF) {
                newestSent = seqno;
            }
        }
        ringEntry[slot] = e.index;
        ringGeneration[slot] = e.generation;
        ringRevision[slot] = revision;
        e.inFlight++;
        e.lastSentSeq = seqno;
        e.lastSentRevision = revision;
        e.attempts++;
        if (e.attempts == 1) {
            firstTransmissions++;
        } else {
            retransmissions++;
        }
        e.record.transmitted(revision, nowNanos);
    }

    /**
     * The segment last {@link #poll polled} was not transmitted: cancelled while binding (it leaves
     * the window), or the engine could not send it now (it stays pending).
     */
    public void unsent() {
        WindowEntry e = takeInHand();
        if (!releaseIfCancelled(e)) {
            addPending(e);
        }
    }

    private WindowEntry takeInHand() {
        WindowEntry e = inHand;
        if (e == null) {
            throw new IllegalStateException("no segment was polled");
        }
        inHand = null;
        return e;
    }

    /** The transmission on {@code seqno} was acknowledged (Ack Vector state 0 or 1). */
    public void onAcked(long seqno, long nowNanos) {
        WindowEntry e = resolve(seqno);
        if (e == null) {
            return;
        }
        int revision = ringRevision[(int) (seqno & ringMask)];
        if (e.record.acknowledge(revision)) {
            acked++;
            ackedAfterAttempts[Math.min(e.attempts, HISTOGRAM_BUCKETS) - 1]++;
            release(e);
            return;
        }
        if (releaseIfCancelled(e)) {
            return;
        }
        olderRevisionAcks++;
        retransmitIfNeeded(e, seqno, nowNanos);
    }

    /** The transmission on {@code seqno} is presumed lost. */
    public void onLost(long seqno, long nowNanos) {
        WindowEntry e = resolve(seqno);
        if (e == null) {
            return;
        }
        if (releaseIfCancelled(e)) {
            return;
        }
        retransmitIfNeeded(e, seqno, nowNanos);
    }

    private void retransmitIfNeeded(WindowEntry e, long resolvedSeq, long nowNanos) {
        boolean latestStillOut = e.inFlight > 0 && resolvedSeq != e.lastSentSeq
                && e.lastSentRevision == e.record.revision();
        if (latestStillOut || e == inHand || pending.contains(e)) {
            return;
        }
        int verdict = eligibility(e, nowNanos);
        if (verdict == ELIGIBLE) {
            addPending(e);
        } else if (e.inFlight == 0) {
            giveUp(e, verdict);
        }
    }

    /** @return the entry a known, current sequence number maps to, after clearing its slot; else null */
    private WindowEntry resolve(long seqno) {
        int slot = (int) (seqno & ringMask);
        if (seqno < 0 || ringSeq[slot] != seqno) {
            unknownSequences++;
            return null;
        }
        ringSeq[slot] = -1;
        WindowEntry e = entries[ringEntry[slot]];
        if (e.generation != ringGeneration[slot] || e.record == null) {
            return null; // the segment settled meanwhile (acked on another transmission, cancelled, expired)
        }
        e.inFlight--;
        return e;
    }

    /**
     * The loss timer: a transmission still unresolved {@code timeoutNanos} after it left is
     * presumed lost, as {@link #onLost} would be told. It repairs what the Ack Vectors cannot show
     * lost: the last transmissions before a pause (no later packet is acknowledged after them) and
     * transmissions whose every acknowledgement was lost.
     *
     * @return when the oldest unresolved transmission times out, or {@code Long.MAX_VALUE} if none is
     */
    public long lossTimeout(long nowNanos, long timeoutNanos) {
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("loss timeout " + timeoutNanos + " ns must be positive");
        }
        if (oldestUnresolved < 0) {
            return Long.MAX_VALUE;
        }
        while (forward(oldestUnresolved, newestSent) < SEQ_HALF) { // oldest at or before newest, modulo 2^48
            int slot = (int) (oldestUnresolved & ringMask);
            if (ringSeq[slot] != oldestUnresolved) {
                oldestUnresolved = (oldestUnresolved + 1) & SEQ_MASK; // resolved, or a packet that carried no segment
                continue;
            }
            long due = ringSentAt[slot] + timeoutNanos;
            if (due > nowNanos) {
                return due;
            }
            timedOut++;
            onLost(oldestUnresolved, nowNanos);
            oldestUnresolved = (oldestUnresolved + 1) & SEQ_MASK;
        }
        return Long.MAX_VALUE;
    }

    /**
     * The segments move to a new connection, whose sequence numbers have nothing to do with the
     * old one's: every transmission still unresolved is presumed lost (and sent again on the new
     * connection if still useful), and the loss timer starts afresh.
     */
    public void newConnection(long nowNanos) {
        for (int slot = 0; slot < ringSeq.length; slot++) {
            long seqno = ringSeq[slot];
            if (seqno >= 0) {
                onLost(seqno, nowNanos);
            }
        }
        oldestUnresolved = -1;
        newestSent = -1;
    }

    /** @return how far {@code to} is ahead of {@code from} in the 48-bit sequence space */
    private static long forward(long from, long to) {
        return (to - from) & SEQ_MASK;
    }

    /** @return transmissions presumed lost by {@link #lossTimeout} */
    public long timedOut() {
        return timedOut;
    }

    /** @return when {@link #expire} next has work: the earliest give-up time, or {@code Long.MAX_VALUE} */
    public long nextExpiryNanos() {
        WindowEntry e = expiry.peek();
        return e == null ? Long.MAX_VALUE : e.giveUpNanos;
    }

    /**
     * Gives up the segments whose deadline or grace period has passed: those with nothing in flight
     * are settled EXPIRED now, the others when their outstanding transmissions resolve.
     *
     * @return how many segments were settled
     */
    public int expire(long nowNanos) {
        int settled = 0;
        WindowEntry e;
        while ((e = expiry.peek()) != null && e.giveUpNanos <= nowNanos) {
            expiry.remove(e);
            long giveUp = giveUpTime(e.record);
            if (giveUp > nowNanos) { // the deadline was relaxed
                e.giveUpNanos = giveUp;
                if (giveUp != Long.MAX_VALUE) {
                    expiry.add(e);
                }
                continue;
            }
            if (e == inHand) {
                continue;
            }
            if (releaseIfCancelled(e)) {
                continue;
            }
            removePending(e);
            if (e.inFlight == 0) {
                giveUp(e, eligibility(e, nowNanos));
                settled++;
            }
        }
        return settled;
    }

    private int eligibility(WindowEntry e, long nowNanos) {
        SegmentRecord r = e.record;
        int max = r.maxAttempts();
        if (max != SegmentRecord.UNLIMITED_ATTEMPTS && e.attempts >= max) {
            return NO_ATTEMPTS_LEFT;
        }
        if (r.reliable()) {
            return ELIGIBLE;
        }
        long grace = r.graceNanos();
        if (grace != SegmentRecord.NO_GRACE && nowNanos - r.submittedNanos() >= grace) {
            return PAST_GRACE;
        }
        long deadline = r.deadlineNanos();
        if (deadline != SegmentRecord.NO_DEADLINE && deadline - nowNanos <= expectedDeliveryNanos()) {
            return PAST_DEADLINE;
        }
        return ELIGIBLE;
    }

    private static long giveUpTime(SegmentRecord r) {
        if (r.reliable()) {
            return Long.MAX_VALUE;
        }
        long t = r.deadlineNanos();
        long grace = r.graceNanos();
        if (grace != SegmentRecord.NO_GRACE) {
            t = Math.min(t, r.submittedNanos() + grace);
        }
        return t;
    }

    private void giveUp(WindowEntry e, int verdict) {
        if (e.record.settle(SegmentState.EXPIRED)) {
            switch (verdict) {
                case PAST_GRACE -> expiredGrace++;
                case NO_ATTEMPTS_LEFT -> expiredAttempts++;
                default -> expiredDeadline++;
            }
        } else {
            cancelled++;
        }
        release(e);
    }

    /** @return whether the application had cancelled the segment; then it has left the window */
    private boolean releaseIfCancelled(WindowEntry e) {
        if (!e.record.state().isTerminal()) {
            return false;
        }
        cancelled++;
        release(e);
        return true;
    }

    private void addPending(WindowEntry e) {
        pending.add(e);
        pendingWorst.add(e);
        if (!expiry.contains(e)) { // left it in expire() while in flight or in hand
            e.giveUpNanos = giveUpTime(e.record);
            if (e.giveUpNanos != Long.MAX_VALUE) {
                expiry.add(e);
            }
        }
    }

    private void removePending(WindowEntry e) {
        pending.remove(e);
        pendingWorst.remove(e);
    }

    private void release(WindowEntry e) {
        removePending(e);
        expiry.remove(e);
        SegmentRecord r = e.record;
        e.record = null;
        e.generation++;
        free[freeCount++] = e.index;
        listener.released(r);
    }

    /**
     * Lets every segment go at once (the connection closed or its peer was given up): those not
     * final yet are settled {@code outcome}, and none is transmitted again.
     *
     * @param outcome EXPIRED, DROPPED or FAILED (the peer was given up)
     * @return how many segments this call settled
     */
    public int settleAll(SegmentState outcome) {
        if (outcome != SegmentState.EXPIRED && outcome != SegmentState.DROPPED && outcome != SegmentState.FAILED) {
            throw new IllegalArgumentException("outcome " + outcome + " must be EXPIRED, DROPPED or FAILED");
        }
        inHand = null;
        int settled = 0;
        for (WindowEntry e : entries) {
            if (e.record == null) {
                continue;
            }
            if (e.record.settle(outcome)) {
                settled++;
                if (outcome == SegmentState.EXPIRED) {
                    expiredDeadline++;
                } else {
                    dropped++;
                }
            } else {
                cancelled++;
            }
            e.inFlight = 0;
            release(e);
        }
        java.util.Arrays.fill(ringSeq, -1);
        return settled;
    }

    /**
     * @return the smallest segment id in the window, or {@code Long.MAX_VALUE} if it is empty;
     *     walks every slot, so callers cache it (it only grows while nothing older is submitted)
     */
    public long oldestId() {
        long oldest = Long.MAX_VALUE;
        if (freeCount == entries.length) {
            return oldest;
        }
        for (WindowEntry e : entries) {
            if (e.record != null) {
                oldest = Math.min(oldest, e.record.id());
            }
        }
        return oldest;
    }

    /** @return the segments in the window (pending, in flight, or polled) */
    public int size() {
        return config.capacity() - freeCount;
    }

    /** @return the segments waiting for a (re)transmission */
    public int pendingCount() {
        return pending.size();
    }

    /** @return segments taken by {@link #submit} */
    public long submitted() {
        return submitted;
    }

    /** @return segments {@link #submit} refused because the window was full */
    public long refused() {
        return refused;
    }

    /** @return first transmissions */
    public long firstTransmissions() {
        return firstTransmissions;
    }

    /** @return transmissions after the first, on new sequence numbers */
    public long retransmissions() {
        return retransmissions;
    }

    /** @return segments settled ACKED */
    public long acked() {
        return acked;
    }

    /** @return segments settled EXPIRED because they could no longer arrive before their deadline */
    public long expiredByDeadline() {
        return expiredDeadline;
    }

    /** @return segments settled EXPIRED because their grace period ended */
    public long expiredByGrace() {
        return expiredGrace;
    }

    /** @return segments settled EXPIRED because their attempts ran out */
    public long expiredByAttempts() {
        return expiredAttempts;
    }

    /** @return segments settled DROPPED to make room for higher-priority ones */
    public long dropped() {
        return dropped;
    }

    /** @return segments that left the window because the application cancelled them */
    public long cancelled() {
        return cancelled;
    }

    /** @return acknowledgements of a revision older than the segment's current one */
    public long olderRevisionAcks() {
        return olderRevisionAcks;
    }

    /** @return acknowledgements or losses of sequence numbers the ring does not hold */
    public long unknownSequences() {
        return unknownSequences;
    }

    /** @return transmissions counted lost because their ring slot was reused before they resolved */
    public long overwrittenInFlight() {
        return overwrittenInFlight;
    }

    /**
     * @param attempts 1 to 8; 8 counts every segment that needed 8 or more
     * @return segments acknowledged after exactly {@code attempts} transmissions (not atomic with other counters)
     */
    public long ackedAfterAttempts(int attempts) {
        if (attempts < 1 || attempts > HISTOGRAM_BUCKETS) {
            throw new IllegalArgumentException("attempts " + attempts + " must be between 1 and " + HISTOGRAM_BUCKETS);
        }
        return ackedAfterAttempts[attempts - 1];
    }
}
