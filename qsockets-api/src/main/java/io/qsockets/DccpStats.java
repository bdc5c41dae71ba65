package io.qsockets;

import java.util.List;
import java.util.Objects;

/**
 * What a socket on the {@link Transport#DCCP DCCP transport} reports beyond its queue: its
 * connections, the datagrams the transport gave up on, and the peers it gave up. Immutable.
 *
 * @param connections the socket's connections, one per peer
 * @param expiredPackets datagrams whose deadline passed while they waited for their connection
 *     to open or for its congestion window; never sent
 * @param retransmittedPackets datagrams sent again on a new sequence number after a loss
 * @param malformedPackets datagrams that arrived and were not valid DCCP packets
 * @param refusedPeers datagrams dropped because the socket already had as many connections as it keeps
 * @param failedPackets datagrams settled {@link SegmentState#FAILED} with their peer
 * @param notDccpPackets datagrams that arrived and were not DCCP at all (a peer on the UDP
 *     transport); also counted in {@code malformedPackets}
 * @param failures the most recent peers given up, oldest first (at most {@link #MAX_FAILURES})
 */
public record DccpStats(List<ConnectionInfo> connections, long expiredPackets, long retransmittedPackets,
        long malformedPackets, long refusedPeers, long failedPackets, long notDccpPackets,
        List<PeerFailure> failures) {

    /** The most failures a snapshot lists. */
    public static final int MAX_FAILURES = 16;

    /** A socket on another transport. */
    public static final DccpStats NONE = new DccpStats(List.of(), 0, 0, 0, 0, 0, 0, List.of());

    /** Copies the lists. */
    public DccpStats {
        connections = List.copyOf(Objects.requireNonNull(connections, "connections must not be null"));
        failures = List.copyOf(Objects.requireNonNull(failures, "failures must not be null"));
    }
}
