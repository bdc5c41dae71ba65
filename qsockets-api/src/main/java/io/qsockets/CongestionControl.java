package io.qsockets;

/** What bounds the sending rate of a socket on the {@link Transport#DCCP DCCP transport}. */
public enum CongestionControl {
    /**
     * CCID 2 (RFC 4341), TCP-like congestion control: the connection shares a path fairly with
     * other traffic and halves its window on each loss. The default; right for the open Internet.
     */
    CCID2,
    /**
     * None: a transmission leaves whenever the scheduler releases it, so the socket's
     * {@link SchedulerAttributes} (its rate or period) and the engine's egress rate are the only
     * bounds. Losses are still detected from the Ack Vectors and repaired within each datagram's
     * deadline. For a stream of known rate on a path provisioned for it (the live streams of a
     * studio or a plant network), where random loss would otherwise throttle it below its rate;
     * never for bulk data on a shared path.
     */
    NONE
}
