package io.qsockets;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One DCCP connection of a socket, as {@link QInfo#dccp()} reports it. Immutable.
 *
 * @param peer the peer's address
 * @param state the RFC 4340 state (e.g. {@code OPEN}, {@code PARTOPEN}, {@code TIMEWAIT})
 * @param cwnd the congestion window in packets
 * @param pipe data packets in flight
 * @param srttNanos the smoothed round-trip time
 * @param rtoNanos the retransmission timeout of the congestion control
 * @param packetsSent packets sent, of every type
 * @param packetsReceived valid packets received, of every type
 * @param dataPacketsLost data packets the congestion control found lost
 * @param lossRate lost data packets over data packets sent (0 before any)
 * @param invalidPackets packets dropped as malformed or out of the sequence windows
 */
public record ConnectionInfo(InetSocketAddress peer, String state, int cwnd, int pipe, long srttNanos, long rtoNanos,
        long packetsSent, long packetsReceived, long dataPacketsLost, double lossRate, long invalidPackets) {

    /** Validates the references. */
    public ConnectionInfo {
        Objects.requireNonNull(peer, "peer must not be null");
        Objects.requireNonNull(state, "state must not be null");
    }
}
