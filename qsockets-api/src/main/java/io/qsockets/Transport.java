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
     * peer must be a {@code QSocket} or {@code QDatagramChannel} with this transport too. Every
     * facade carries it; on an {@link QSockets#attach attached} socket the engine reads the
     * socket, so the application receives through the returned view.
     */
    DCCP
}
