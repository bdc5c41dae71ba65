package io.qsockets;

import java.util.Locale;
import java.util.Objects;

/**
 * A snapshot of one socket's traffic (the paper's {@code qinfo}). Counts are since the socket
 * was created; rate and jitter are over the last {@value #RECENT_WINDOW} departures. Immutable.
 *
 * @param scheduler the scheduler's name
 * @param transport the transport
 * @param attributes the scheduler attributes in force
 * @param submittedPackets datagrams the application handed to the socket
 * @param submittedBytes their payload bytes
 * @param sentPackets datagrams transmitted
 * @param sentBytes their payload bytes
 * @param droppedPackets datagrams dropped by back-pressure, the scheduler or close
 * @param droppedBytes their payload bytes
 * @param latePackets datagrams transmitted after their deadline
 * @param queueLength datagrams waiting to be transmitted
 * @param queueDelayMeanNanos mean time from submission to transmission
 * @param queueDelayP99Nanos 99th percentile of that time
 * @param achievedPacketsPerSecond recent departure rate
 * @param achievedBitsPerSecond recent payload bit rate
 * @param interDepartureJitterNanos standard deviation of recent gaps between departures
 * @param receivedPackets datagrams the application received through the socket
 * @param schedulerStats what the scheduler reports of the socket's stream
 * @param kernel the socket's kernel class and its counters under {@link KernelOffload}, or
 *     {@link KernelStats#NONE}
 * @param dccp the connections and counters of the DCCP transport, or {@link DccpStats#NONE}
 */
public record QInfo(
        String scheduler,
        Transport transport,
        SchedulerAttributes attributes,
        long submittedPackets,
        long submittedBytes,
        long sentPackets,
        long sentBytes,
        long droppedPackets,
        long droppedBytes,
        long latePackets,
        int queueLength,
        long queueDelayMeanNanos,
        long queueDelayP99Nanos,
        double achievedPacketsPerSecond,
        double achievedBitsPerSecond,
        long interDepartureJitterNanos,
        long receivedPackets,
        SchedulerStats schedulerStats,
        KernelStats kernel,
        DccpStats dccp) {

    /** How many recent departures the rate and jitter are computed over. */
    public static final int RECENT_WINDOW = 64;

    /** Validates the references. */
    public QInfo {
        Objects.requireNonNull(scheduler, "scheduler must not be null");
        Objects.requireNonNull(transport, "transport must not be null");
        Objects.requireNonNull(attributes, "scheduler attributes must not be null");
        Objects.requireNonNull(schedulerStats, "scheduler stats must not be null");
        Objects.requireNonNull(kernel, "kernel stats must not be null");
        Objects.requireNonNull(dccp, "DCCP stats must not be null");
    }

    /** A snapshot of a UDP socket without a kernel class; the components are those of the record. */
    public QInfo(String scheduler, Transport transport, SchedulerAttributes attributes, long submittedPackets,
            long submittedBytes, long sentPackets, long sentBytes, long droppedPackets, long droppedBytes,
            long latePackets, int queueLength, long queueDelayMeanNanos, long queueDelayP99Nanos,
            double achievedPacketsPerSecond, double achievedBitsPerSecond, long interDepartureJitterNanos,
            long receivedPackets, SchedulerStats schedulerStats) {
        this(scheduler, transport, attributes, submittedPackets, submittedBytes, sentPackets, sentBytes,
                droppedPackets, droppedBytes, latePackets, queueLength, queueDelayMeanNanos, queueDelayP99Nanos,
                achievedPacketsPerSecond, achievedBitsPerSecond, interDepartureJitterNanos, receivedPackets,
                schedulerStats, KernelStats.NONE, DccpStats.NONE);
    }

    /** @return this snapshot with {@code kernelStats} as its kernel section */
    public QInfo withKernel(KernelStats kernelStats) {
        return new QInfo(scheduler, transport, attributes, submittedPackets, submittedBytes, sentPackets, sentBytes,
                droppedPackets, droppedBytes, latePackets, queueLength, queueDelayMeanNanos, queueDelayP99Nanos,
                achievedPacketsPerSecond, achievedBitsPerSecond, interDepartureJitterNanos, receivedPackets,
                schedulerStats, kernelStats, dccp);
    }

    /** @return this snapshot with {@code dccpStats} as its DCCP section */
    public QInfo withDccp(DccpStats dccpStats) {
        return new QInfo(scheduler, transport, attributes, submittedPackets, submittedBytes, sentPackets, sentBytes,
                droppedPackets, droppedBytes, latePackets, queueLength, queueDelayMeanNanos, queueDelayP99Nanos,
                achievedPacketsPerSecond, achievedBitsPerSecond, interDepartureJitterNanos, receivedPackets,
                schedulerStats, kernel, dccpStats);
    }

    /** @return a two-column table, one line per figure */
    public String toTable() {
        StringBuilder s = new StringBuilder();
        row(s, "scheduler", scheduler);
        row(s, "transport", transport.toString());
        row(s, "attributes", attributes.toString());
        row(s, "submitted", submittedPackets + " pkts / " + submittedBytes + " B");
        row(s, "sent", sentPackets + " pkts / " + sentBytes + " B");
        row(s, "dropped", droppedPackets + " pkts / " + droppedBytes + " B");
        row(s, "late", Long.toString(latePackets));
        row(s, "queue length", Integer.toString(queueLength));
        row(s, "queue delay mean", micros(queueDelayMeanNanos));
        row(s, "queue delay p99", micros(queueDelayP99Nanos));
        row(s, "achieved rate", String.format(Locale.ROOT, "%.1f pkt/s, %.1f kbit/s", achievedPacketsPerSecond,
                achievedBitsPerSecond / 1000));
        row(s, "departure jitter", micros(interDepartureJitterNanos));
        row(s, "received", receivedPackets + " pkts");
        if (!SchedulerStats.NONE.equals(schedulerStats)) {
            row(s, "scheduler stats", "serviced " + schedulerStats.serviced() + ", missed " + schedulerStats.missed()
                    + ", dropped " + schedulerStats.dropped() + ", violations " + schedulerStats.violations()
                    + (schedulerStats.currentLossDenominator() < 0 ? ""
                            : ", x'/y' " + schedulerStats.currentLossNumerator() + "/"
                                    + schedulerStats.currentLossDenominator()));
        }
        if (!KernelStats.NONE.equals(kernel)) {
            row(s, "kernel class", kernel.classId() + ", rate " + kernel.rateBitsPerSecond() / 1000 + " kbit/s, ceil "
                    + kernel.ceilBitsPerSecond() / 1000 + " kbit/s");
            row(s, "kernel sent", kernel.packets() + " pkts / " + kernel.bytes() + " B, dropped " + kernel.drops()
                    + ", overlimits " + kernel.overlimits() + ", backlog " + kernel.backlogPackets() + " pkts / "
                    + kernel.backlogBytes() + " B");
        }
        if (!DccpStats.NONE.equals(dccp)) {
            row(s, "dccp", dccp.connections().size() + " connections, expired " + dccp.expiredPackets()
                    + ", retransmitted " + dccp.retransmittedPackets() + ", failed " + dccp.failedPackets()
                    + ", malformed in " + dccp.malformedPackets() + " (not DCCP " + dccp.notDccpPackets() + ")");
            for (ConnectionInfo c : dccp.connections()) {
                row(s, "  " + c.peer(), String.format(Locale.ROOT,
                        "%s, cwnd %d, pipe %d, rtt %.1f ms, rto %.0f ms, loss %.2f %%", c.state(), c.cwnd(), c.pipe(),
                        c.srttNanos() / 1e6, c.rtoNanos() / 1e6, c.lossRate() * 100));
            }
            for (PeerFailure f : dccp.failures()) {
                row(s, "  failed " + f.peer(), f.reason() + ", " + f.failedPackets() + " datagrams: " + f.detail());
            }
        }
        return s.toString();
    }

    private static void row(StringBuilder s, String name, String value) {
        s.append(String.format(Locale.ROOT, "%-18s %s%n", name, value));
    }

    private static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.1f µs", nanos / 1000.0);
    }
}
