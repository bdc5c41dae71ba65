package io.qsockets.impl.dccp.ccid2;

import io.qsockets.impl.dccp.ackvec.Seq48;

/**
 * Infers losses among the packets the peer sends us (RFC 4341 §6.1.1): a packet is lost once
 * {@value #NUMDUPACK} packets with greater sequence numbers have arrived. Keeps a 64-packet
 * window of bits below the greatest sequence number received; a hole that leaves the window
 * undecided, or a jump of 64 or more, counts as a loss at once. Allocation-free, not thread-safe.
 */
final class PeerLossDetector {

    static final int NUMDUPACK = 3;

    private boolean started;
    private long highest;
    /** Bit i: packet {@code highest - i} arrived. */
    private long received;
    /** Bit i: {@code highest - i} is a sequence number at or after the first one seen. */
    private long valid;
    /** Bit i: {@code highest - i} was already declared lost. */
    private long declared;

    /**
     * @param seqno the sequence number of a packet from the peer
     * @return whether this arrival lets us infer at least one new loss
     */
    boolean onReceived(long seqno) {
        if (!started) {
            started = true;
            highest = seqno;
            received = 1;
            valid = 1;
            return false;
        }
        long d = Seq48.delta(seqno, highest);
        boolean lost = false;
        if (d >= Long.SIZE) {
            lost = true;
            received = 1;
            valid = -1L;
            declared = -1L << 1;
            highest = seqno;
            return lost;
        }
        if (d > 0) {
            long leaving = -1L << (Long.SIZE - d);
            lost = (valid & ~received & ~declared & leaving) != 0;
            received = received << d | 1;
            valid = valid << d | ((1L << d) - 1);
            declared <<= d;
            highest = seqno;
        } else if (-d < Long.SIZE) {
            received |= 1L << -d;
        }
        long thirdAndOlder = received & (received - 1);
        thirdAndOlder &= thirdAndOlder - 1;
        if (thirdAndOlder != 0) {
            int third = Long.numberOfTrailingZeros(thirdAndOlder);
            long below = third == Long.SIZE - 1 ? 0 : -1L << (third + 1);
            long newlyLost = valid & ~received & ~declared & below;
            if (newlyLost != 0) {
                declared |= newlyLost;
                lost = true;
            }
        }
        return lost;
    }
}
