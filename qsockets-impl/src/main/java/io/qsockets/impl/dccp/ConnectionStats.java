package io.qsockets.impl.dccp;

import java.util.Objects;

/**
 * A snapshot of one connection's counters, taken on the engine thread by
 * {@link DccpConnection#stats()}.
 *
 * @param state the connection state
 * @param cwnd the congestion window in packets ({@link Integer#MAX_VALUE} when unlimited)
 * @param pipe data packets in flight
 * @param srttNanos smoothed RTT from Timestamp Echo samples (RFC 4340 §13), or the initial RTT before any
 * @param rtoNanos the congestion control's retransmission timeout
 * @param packetsSent packets sent (all types)
 * @param packetsReceived valid packets received (all types)
 * @param packetsLost data packets the congestion control declared lost
 * @param syncsSent DCCP-Syncs sent
 * @param droppedByReason dropped packets indexed by {@link DropReason#ordinal()}; read with {@link #dropped}
 */
public record ConnectionStats(ConnectionState state, int cwnd, int pipe, long srttNanos, long rtoNanos,
        long packetsSent, long packetsReceived, long packetsLost, long syncsSent, long[] droppedByReason) {

    /** Copies the array so that the snapshot cannot change. */
    public ConnectionStats {
        Objects.requireNonNull(state, "state");
        droppedByReason = droppedByReason.clone();
        if (droppedByReason.length != DropReason.values().length) {
            throw new IllegalArgumentException("droppedByReason must have " + DropReason.values().length
                    + " entries, had " + droppedByReason.length);
        }
    }

    /** Packets dropped for {@code reason}. */
    public long dropped(DropReason reason) {
        return droppedByReason[reason.ordinal()];
    }

    /** Packets dropped for any reason. */
    public long droppedTotal() {
        long sum = 0;
        for (long d : droppedByReason) {
            sum += d;
        }
        return sum;
    }
}
