package io.qsockets.impl.sendqueue;

import java.util.Arrays;

/** A pooled slot of a {@link SendWindow}: one segment and the window's bookkeeping for it. */
final class WindowEntry {
    static final int PENDING_BEST = 0;
    static final int PENDING_WORST = 1;
    static final int EXPIRY = 2;

    final int index;
    /** Bumped whenever the slot is freed, so that stale sequence numbers are recognised. */
    int generation;
    SegmentRecord record;
    int priority;
    long order;
    long orderDeadline;
    long giveUpNanos;
    int attempts;
    int inFlight;
    long lastSentSeq;
    int lastSentRevision;
    final int[] heapIndex = new int[3];

    WindowEntry(int index) {
        this.index = index;
        Arrays.fill(heapIndex, -1);
    }

    void reset(SegmentRecord r, long order) {
        record = r;
        priority = r.priority();
        this.order = order;
        orderDeadline = r.deadlineNanos();
        giveUpNanos = Long.MAX_VALUE;
        attempts = 0;
        inFlight = 0;
        lastSentSeq = -1;
        lastSentRevision = -1;
    }

    boolean inHeap(int heap) {
        return heapIndex[heap] >= 0;
    }
}
