package io.qsockets.impl.dccp.ccid2;

import io.qsockets.impl.dccp.ackvec.Seq48;

/**
 * The sender's Ack Ratio (RFC 4341 §6.1.2). Always within the three constraints: an integer; at
 * most {@code ceil(cwnd / 2)}, except that 2 is always allowed; at least 2 once cwnd is 4 or more
 * (and at least 1). Doubled at most once per window of data that saw a lost or marked
 * acknowledgement; lowered by one after {@code cwnd / (R^2 - R)} consecutive windows without one
 * (rounded up). A window of data ends when a packet sent after its start is acknowledged, so the
 * ratio changes at most once per round trip, apart from the clamping that follows cwnd.
 * Not thread-safe.
 */
final class AckRatioPolicy {

    /** The Ack Ratio of a new connection (RFC 4340 §11.3). */
    static final int INITIAL = 2;
    /** The largest value the two-byte feature holds. */
    static final int MAX = 65535;

    private final Ccid2Listener listener;
    private int ratio = INITIAL;
    private boolean windowOpen;
    /** The first packet sent after the window opened. */
    private long windowEnd;
    private boolean congestedWindow;
    private int cleanWindows;
    private long changes;
    private long ackCongestionEvents;

    AckRatioPolicy(Ccid2Listener listener) {
        this.listener = listener;
    }

    int ratio() {
        return ratio;
    }

    long changes() {
        return changes;
    }

    long ackCongestionEvents() {
        return ackCongestionEvents;
    }

    /** A lost or marked acknowledgement: the first in the current window doubles the ratio. */
    void onAckCongestion(int cwnd) {
        if (!congestedWindow) {
            congestedWindow = true;
            ackCongestionEvents++;
            cleanWindows = 0;
            set((int) Math.min(MAX, 2L * ratio), cwnd);
        }
    }

    /**
     * Packets were acknowledged up to {@code highestAcked}; the window closes when a packet sent
     * after it opened is acknowledged.
     */
    void onAcked(long highestAcked, long newestSent, int cwnd) {
        if (!windowOpen) {
            windowOpen = true;
            windowEnd = Seq48.add(newestSent, 1);
            return;
        }
        if (Seq48.delta(highestAcked, windowEnd) < 0) {
            return;
        }
        if (!congestedWindow && ratio > 1) {
            cleanWindows++;
            long r = ratio;
            long needed = Math.max(1, (cwnd + r * r - r - 1) / (r * r - r));
            if (cleanWindows >= needed) {
                cleanWindows = 0;
                set(ratio - 1, cwnd);
            }
        }
        congestedWindow = false;
        windowEnd = Seq48.add(newestSent, 1);
    }

    /** Brings the ratio back within the constraints after cwnd changed. */
    void clamp(int cwnd) {
        set(ratio, cwnd);
    }

    private void set(int wanted, int cwnd) {
        int upper = Math.max(2, (cwnd + 1) / 2);
        int lower = cwnd >= 4 ? 2 : 1;
        int value = Math.max(lower, Math.min(Math.min(upper, MAX), wanted));
        if (value != ratio) {
            ratio = value;
            changes++;
            listener.onAckRatioChange(value);
        }
    }
}
