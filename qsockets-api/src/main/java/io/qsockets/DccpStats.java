package io.qsockets;

import java.util.List;
import java.util.Objects;

/**
 * What a socket on the {@link Transport#DCCP DCCP transport} reports beyond its queue: its
 * connections and the datagrams the transport gave up on. Immutable.
 *
 * @param connections the socket's connections, one per peer
 * @param expiredPackets datagrams whose deadline passed while they waited for their connection
 *     to open or for its congestion window; never sent
 * @param retransmittedPackets datagrams sent again on a new sequence number after a loss
 * @param malformedPackets datagrams that arrived and were not valid DCCP packets
 * @param refusedPeers datagrams dropped because the socket already had as many connections as it keeps
 */
public record DccpStats(List<ConnectionInfo> connections, long expiredPackets, long retransmittedPackets,
        long malformedPackets, long refusedPeers) {

    /** A socket on another transport. */
    public static final DccpStats NONE = new DccpStats(List.of(), 0, 0, 0, 0);

    /** Copies the list. */
    public DccpStats {
        connections = List.copyOf(Objects.requireNonNull(connections, "connections must not be null"));
    }
}
