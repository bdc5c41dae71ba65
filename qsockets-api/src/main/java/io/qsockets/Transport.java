package io.qsockets;

/** What carries a socket's datagrams once the scheduler releases them. */
public enum Transport {
    /**
     * Plain UDP: scheduling and pacing only; no congestion control and no retransmission. The peer
     * may be any UDP socket. The default, so that a {@code QSocket} replaces a
     * {@code DatagramSocket} without its peers changing.
     */
    UDP,
    /**
     * DCCP (RFC 4340) with CCID 2 congestion control, carried over UDP as RFC 6773 specifies: one
     * UDP socket carries a connection to each peer. Sending to a new peer opens a connection (the
     * datagrams wait for it within their deadlines); a receiving socket accepts connections. The
     * peer must be a {@code QSocket} with this transport too. Not available to
     * {@link QSockets#attach attached} sockets, whose application reads the socket itself.
     */
    DCCP
}
