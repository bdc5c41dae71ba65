package io.qsockets.impl.dccp;

/**
 * The DCCP connection states of RFC 4340 §8.4, in the order the pseudocode of §8.5 compares them
 * ({@code S.state >= OPEN}, {@code S.state < CLOSEREQ}). LISTEN is the state of a
 * {@link DccpListener}; a {@link DccpConnection} is never in it.
 */
public enum ConnectionState {
    /** No connection: torn down after a Reset was sent or TIMEWAIT ended. */
    CLOSED,
    /** The passive side waiting for Requests ({@link DccpListener}). */
    LISTEN,
    /** Client: a Request was sent, waiting for a Response. */
    REQUEST,
    /** Server: a Request was answered, waiting for the Ack that completes the handshake. */
    RESPOND,
    /** Client: the Response was acknowledged, waiting for a first packet from the server. */
    PARTOPEN,
    /** Data flows both ways. */
    OPEN,
    /** Server: a CloseReq was sent, waiting for the client's Close. */
    CLOSEREQ,
    /** A Close was sent, waiting for the peer's Reset. */
    CLOSING,
    /** The Reset was received: the connection is quiet for 2 MSL before becoming CLOSED. */
    TIMEWAIT;

    /** True once the handshake is over and before termination began: OPEN and later states. */
    boolean atLeast(ConnectionState other) {
        return compareTo(other) >= 0;
    }
}
