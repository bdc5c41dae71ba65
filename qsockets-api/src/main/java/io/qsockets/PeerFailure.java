package io.qsockets;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Why a socket on the {@link Transport#DCCP DCCP transport} gave a peer up, and with it every
 * datagram still waiting for that peer (each ends {@link SegmentState#FAILED}). Reported in
 * {@link DccpStats#failures()}. Immutable.
 *
 * @param peer the peer's address
 * @param reason what happened
 * @param detail one sentence for a log or an operator, naming the peer and what to check
 * @param failedPackets how many datagrams the failure settled {@link SegmentState#FAILED}
 */
public record PeerFailure(InetSocketAddress peer, Reason reason, String detail, long failedPackets) {

    /** What made the socket give the peer up. */
    public enum Reason {
        /** No answer to the connection's Requests within the connect timeout. */
        CONNECT_TIMEOUT,
        /** The peer's host answered that nothing listens on the port (ICMP port unreachable). */
        PORT_UNREACHABLE,
        /**
         * The peer answered with datagrams that are not DCCP, and never with a connection: its
         * socket is on the UDP transport (or is not a QSocket).
         */
        TRANSPORT_MISMATCH,
        /** The peer refused the connection (a DCCP Reset before it opened: busy, bad service code). */
        REFUSED,
        /** The peer reset the open connection (it restarted, or aborted). */
        RESET,
        /** The peer closed the connection while datagrams were still waiting for it. */
        CLOSED,
        /** The peer stopped acknowledging: it is gone, or the path to it is. */
        SILENT
    }

    /** Validates the components. */
    public PeerFailure {
        Objects.requireNonNull(peer, "peer must not be null");
        Objects.requireNonNull(reason, "reason must not be null");
        Objects.requireNonNull(detail, "detail must not be null");
        if (failedPackets < 0) {
            throw new IllegalArgumentException("failed packets " + failedPackets + " must be >= 0");
        }
    }
}
