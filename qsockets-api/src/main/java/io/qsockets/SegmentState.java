package io.qsockets;

/** Where a submitted datagram is; every state but {@link #QUEUED} and {@link #SENT_UNACKED} is final. */
public enum SegmentState {
    /** Waiting in the scheduler for its turn. */
    QUEUED(false),
    /** Transmitted; the transport expects an acknowledgement. */
    SENT_UNACKED(false),
    /** Transmitted on a transport without acknowledgements (UDP): nothing more will happen to it. */
    SENT(true),
    /** Acknowledged by the peer. */
    ACKED(true),
    /** Its deadline passed before it could be (re)transmitted; it is never sent again. */
    EXPIRED(true),
    /** Cancelled by the application before it completed. */
    CANCELLED(true),
    /** Dropped by the scheduler, by back-pressure or by a close whose linger passed. */
    DROPPED(true),
    /**
     * Given up with its peer (DCCP): no connection could be opened within the
     * {@linkplain QosParams#connectTimeout() connect timeout}, the peer's port was unreachable, the
     * peer is not on the DCCP transport, refused or reset the connection, closed it, or stopped
     * answering. {@link DccpStats#failures()} says which. The next datagram to the peer tries a
     * new connection.
     */
    FAILED(true);

    private final boolean terminal;

    SegmentState(boolean terminal) {
        this.terminal = terminal;
    }

    /** @return whether the state is final */
    public boolean isTerminal() {
        return terminal;
    }
}
