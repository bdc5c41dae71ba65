package io.qsockets.impl.dccp.ccid2;

/**
 * Round-trip time and transmit timeout per RFC 6298 (RFC 2988 as cited by RFC 4341 §5): SRTT and
 * RTTVAR with gains 1/8 and 1/4, {@code RTO = SRTT + max(G, 4 RTTVAR)} clamped to
 * {@code [minRto, maxRto]}, and exponential backoff on repeated timeouts. G, the clock
 * granularity, is {@value #GRANULARITY_NANOS} ns. Not thread-safe.
 */
final class RttEstimator {

    /** The clock granularity G of RFC 6298: 1 ms. */
    static final long GRANULARITY_NANOS = 1_000_000;

    private final long minRto;
    private final long maxRto;
    private long srtt;
    private long rttvar;
    private boolean sampled;
    /** The timeout before backoff. */
    private long baseRto;
    private int backoffs;

    RttEstimator(long initialRto, long minRto, long maxRto) {
        this.minRto = minRto;
        this.maxRto = maxRto;
        this.baseRto = initialRto;
    }

    /** Takes one measurement; ends any backoff. */
    void sample(long rttNanos) {
        long r = Math.max(1, rttNanos);
        if (!sampled) {
            srtt = r;
            rttvar = r / 2;
            sampled = true;
        } else {
            rttvar += (Math.abs(srtt - r) - rttvar) / 4;
            srtt += (r - srtt) / 8;
        }
        baseRto = Math.min(maxRto, Math.max(minRto, srtt + Math.max(GRANULARITY_NANOS, 4 * rttvar)));
        backoffs = 0;
    }

    /** Doubles the timeout (RFC 6298 5.5), up to the maximum. */
    void backOff() {
        if (backoffs < 62) {
            backoffs++;
        }
    }

    /** Acknowledged progress: the timeout is the computed one again. */
    void clearBackoff() {
        backoffs = 0;
    }

    long rto() {
        return baseRto >= maxRto >> Math.min(backoffs, 62) ? maxRto : baseRto << backoffs;
    }

    boolean sampled() {
        return sampled;
    }

    long srtt() {
        return srtt;
    }

    long rttvar() {
        return rttvar;
    }

    int backoffs() {
        return backoffs;
    }
}
