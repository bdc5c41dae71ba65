package io.qsockets;

/**
 * What a socket's scheduler reports of its stream: how its datagrams fared against their
 * deadlines and loss tolerance. Schedulers fill what they track and leave the rest zero.
 * Immutable.
 *
 * @param serviced datagrams transmitted by their deadline (or with no deadline)
 * @param missed deadlines missed (datagrams late or dropped for lateness)
 * @param dropped datagrams the scheduler dropped
 * @param violations times the stream lost more than its loss tolerance allows
 * @param currentLossNumerator the current window constraint's numerator {@code x'}, or -1
 * @param currentLossDenominator the current window constraint's denominator {@code y'}, or -1
 */
public record SchedulerStats(long serviced, long missed, long dropped, long violations, int currentLossNumerator,
        int currentLossDenominator) {

    /** Nothing tracked. */
    public static final SchedulerStats NONE = new SchedulerStats(0, 0, 0, 0, -1, -1);
}
