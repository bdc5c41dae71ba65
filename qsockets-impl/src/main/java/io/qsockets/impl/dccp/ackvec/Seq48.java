package io.qsockets.impl.dccp.ackvec;

/**
 * Circular arithmetic on 48-bit DCCP sequence numbers (RFC 4340 §7.1: numbers grow by one per
 * packet modulo 2^48, and "greater" is measured in circular sequence space). A sequence number is
 * held in the low 48 bits of a {@code long}, in {@code [0, 2^48)}.
 *
 * <p>Used by the Ack Vector and CCID 2 code; the DCCP header codec has its own public helper, and
 * the two are meant to be merged.
 *
 * <p>Stateless; thread-safe.
 */
public final class Seq48 {

    /** The number of distinct sequence numbers, 2^48. */
    public static final long MODULUS = 1L << 48;

    /** The mask that reduces a {@code long} to a sequence number. */
    public static final long MASK = MODULUS - 1;

    private Seq48() {
    }

    /** @return {@code seqno + n} modulo 2^48; {@code n} may be negative */
    public static long add(long seqno, long n) {
        return (seqno + n) & MASK;
    }

    /**
     * @return {@code a - b} as a signed distance in {@code [-2^47, 2^47)}: positive when {@code a}
     *     is after {@code b} in circular order, zero when they are equal
     */
    public static long delta(long a, long b) {
        return ((a - b) << 16) >> 16;
    }

    /** @return whether {@code a} comes strictly after {@code b} in circular order */
    public static boolean after(long a, long b) {
        return delta(a, b) > 0;
    }

    /** @return the later of two sequence numbers in circular order */
    public static long max(long a, long b) {
        return delta(a, b) >= 0 ? a : b;
    }

    /**
     * @param what what the number is, for the message
     * @param seqno the value to check
     * @return {@code seqno}, when it is in {@code [0, 2^48)}
     * @throws IllegalArgumentException naming the value otherwise
     */
    public static long check(String what, long seqno) {
        if ((seqno & ~MASK) != 0) {
            throw new IllegalArgumentException(
                    what + " " + seqno + " is not a 48-bit sequence number: must be in [0, 2^48)");
        }
        return seqno;
    }
}
