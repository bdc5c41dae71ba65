package io.qsockets;

/** What carries a socket's datagrams once the scheduler releases them. */
public enum Transport {
    /**
     * Plain UDP: scheduling and pacing only; no congestion control and no retransmission. The peer
     * may be any UDP socket.
     */
    UDP
}
