package io.qsockets.impl.dccp.wire;

/**
 * Circular arithmetic on 48-bit DCCP sequence numbers (RFC 4340 §3.1, §7.1), extension of 24-bit
 * short sequence numbers (§7.6) and the validity windows of §7.5.1.
 *
 * <p>Sequence numbers are held in the low 48 bits of a {@code long}. Comparison is circular, like
 * TCP's: {@code a} is before {@code b} when {@code (a - b) mod 2^48}, read as a signed 48-bit
 * number, is negative. Two numbers exactly 2^47 apart are ambiguous; here the first argument of
 * {@link #before} is then before the second.
 */
public final class SequenceNumbers {

    /** 2^48, the size of the sequence space. */
    public static final long MODULUS = 1L << 48;
    /** The largest sequence number, 2^48 - 1. */
    public static final long MAX = MODULUS - 1;
    /** Mask of a 24-bit short sequence number. */
    public static final int SHORT_MASK = (1 << 24) - 1;

    private SequenceNumbers() {
    }

    /** True if {@code seqno} is in [0, 2^48 - 1]. */
    public static boolean isValid(long seqno) {
        return (seqno & ~MAX) == 0;
    }

    /**
     * Returns {@code seqno} if valid.
     *
     * @throws IllegalArgumentException naming {@code what} if it is outside [0, 2^48 - 1]
     */
    public static long requireValid(long seqno, String what) {
        if (!isValid(seqno)) {
            throw new IllegalArgumentException(what + " must be in [0, 2^48 - 1], was " + seqno);
        }
        return seqno;
    }

    /** {@code (seqno + n) mod 2^48}; {@code n} may be negative. */
    public static long add(long seqno, long n) {
        return (seqno + n) & MAX;
    }

    /** {@code (a - b) mod 2^48}, the unsigned distance from {@code b} forward to {@code a}. */
    public static long subtract(long a, long b) {
        return (a - b) & MAX;
    }

    /** The signed circular distance {@code a - b}, in [-2^47, 2^47 - 1]. */
    public static long delta(long a, long b) {
        return ((a - b) << 16) >> 16;
    }

    /** Circular comparison: negative, zero or positive as {@code a} is before, equal to or after {@code b}. */
    public static int compare(long a, long b) {
        return Long.signum(delta(a, b));
    }

    /** True if {@code a} comes strictly before {@code b} in circular sequence space. */
    public static boolean before(long a, long b) {
        return delta(a, b) < 0;
    }

    /** True if {@code a} comes strictly after {@code b} in circular sequence space. */
    public static boolean after(long a, long b) {
        return delta(a, b) > 0;
    }

    /** True if {@code a} is before or equal to {@code b}. */
    public static boolean beforeOrEqual(long a, long b) {
        return delta(a, b) <= 0;
    }

    /** True if {@code a} is after or equal to {@code b}. */
    public static boolean afterOrEqual(long a, long b) {
        return delta(a, b) >= 0;
    }

    /** The greater of two sequence numbers in circular space ("greatest" of §7.1). */
    public static long max(long a, long b) {
        return after(a, b) ? a : b;
    }

    /**
     * True if {@code seqno} lies in the circular window [{@code low}, {@code high}], walking
     * forward from {@code low}.
     */
    public static boolean inWindow(long seqno, long low, long high) {
        return subtract(seqno, low) <= subtract(high, low);
    }

    /**
     * Extends a 24-bit sequence or acknowledgement number to 48 bits against the reference
     * {@code reference} (GSR for a Sequence Number, GSS for an Acknowledgement Number), exactly
     * as the pseudocode of RFC 4340 §7.6.
     */
    public static long extendShort(int shortSeqno, long reference) {
        long s = shortSeqno & SHORT_MASK;
        long refLow = reference & SHORT_MASK;
        long refHigh = (reference >>> 24) & SHORT_MASK;
        if (circularLess24(refLow, s) && s < refLow) {
            return ((refHigh + 1) & SHORT_MASK) << 24 | s;
        }
        if (circularLess24(s, refLow) && refLow < s) {
            return ((refHigh - 1) & SHORT_MASK) << 24 | s;
        }
        return refHigh << 24 | s;
    }

    /** The circular "a (&lt;) b" of §7.6: {@code (b - a) mod 2^24 <= 2^23}. */
    private static boolean circularLess24(long a, long b) {
        return ((b - a) & SHORT_MASK) <= (1L << 23);
    }

    /** The low 24 bits of {@code seqno}, as sent in a short-form header. */
    public static int toShort(long seqno) {
        return (int) (seqno & SHORT_MASK);
    }

    /** SWL before the initial adjustment: {@code GSR + 1 - floor(W/4)} (§7.5.1). */
    public static long sequenceWindowLow(long gsr, long window) {
        return add(gsr, 1 - window / 4);
    }

    /** SWH: {@code GSR + ceil(3W/4)} (§7.5.1). */
    public static long sequenceWindowHigh(long gsr, long window) {
        return add(gsr, (3 * window + 3) / 4);
    }

    /** AWL before the initial adjustment: {@code GSS + 1 - W'} (§7.5.1). */
    public static long ackWindowLow(long gss, long window) {
        return add(gss, 1 - window);
    }

    /**
     * SWL at the beginning of a connection: {@code max(GSR + 1 - floor(W/4), ISR)} in circular
     * space (§7.5.1; not to be applied once sequence numbers may have wrapped).
     */
    public static long initialSequenceWindowLow(long gsr, long window, long isr) {
        return max(sequenceWindowLow(gsr, window), isr);
    }

    /** AWL at the beginning of a connection: {@code max(GSS + 1 - W', ISS)} (§7.5.1). */
    public static long initialAckWindowLow(long gss, long window, long iss) {
        return max(ackWindowLow(gss, window), iss);
    }
}
