package io.qsockets.impl.dccp.ccid2;

import io.qsockets.impl.dccp.ackvec.Seq48;

/**
 * The sender's record of its latest sent sequence numbers: a ring indexed by sequence number,
 * with a send time and flags per packet. Sequence numbers skipped by the caller are held as empty
 * records (no flags). Not thread-safe.
 */
final class SentHistory {

    /** The record is a packet we sent (not a skipped sequence number). */
    static final byte SENT = 1;
    /** It carried application data and counts in pipe. */
    static final byte DATA = 2;
    /** Acknowledged as received (state 0 or 1). */
    static final byte ACKED = 4;
    /** Presumed lost. */
    static final byte LOST = 8;

    private final long[] sendTimes;
    private final byte[] flags;
    private final int mask;
    private long newest;
    private int size;

    SentHistory(int capacity) {
        this.sendTimes = new long[capacity];
        this.flags = new byte[capacity];
        this.mask = capacity - 1;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean isFull() {
        return size == flags.length;
    }

    /** @return the newest sequence number; only when not empty */
    long newest() {
        return newest;
    }

    /** @return the oldest sequence number held; only when not empty */
    long oldest() {
        return Seq48.add(newest, 1 - size);
    }

    /** @return whether {@code seqno} is held */
    boolean holds(long seqno) {
        long back = Seq48.delta(newest, seqno);
        return size > 0 && back >= 0 && back < size;
    }

    /** Appends the record of {@code newest() + 1}; the caller has made room. */
    void append(long seqno, long sendTime, byte recordFlags) {
        newest = seqno;
        int i = (int) (seqno & mask);
        sendTimes[i] = sendTime;
        flags[i] = recordFlags;
        size++;
    }

    /** Forgets the oldest record. */
    void dropOldest() {
        size--;
    }

    /** Forgets every record. */
    void clear() {
        size = 0;
    }

    byte flags(long seqno) {
        return flags[(int) (seqno & mask)];
    }

    void addFlags(long seqno, byte add) {
        flags[(int) (seqno & mask)] |= add;
    }

    long sendTime(long seqno) {
        return sendTimes[(int) (seqno & mask)];
    }

    /** @return whether a held record is a packet we sent that is neither acknowledged nor lost */
    static boolean outstanding(byte f) {
        return (f & (SENT | ACKED | LOST)) == SENT;
    }
}
