package io.qsockets.impl.dccp;

import io.qsockets.impl.dccp.wire.ResetCode;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * What a {@link DccpConnection} or {@link DccpListener} needs from the layer that owns the UDP
 * socket, and what it tells that layer. Every method is called on the engine thread, from inside a
 * connection's or listener's method; an implementation must not call back into the caller except
 * where noted.
 */
public interface ConnectionOwner {

    /**
     * A scratch buffer to build one packet in (from index 0 to its capacity); the packet is
     * handed back through {@link #transmit} before the buffer is asked for again.
     */
    ByteBuffer packetBuffer();

    /**
     * Sends one UDP datagram now: the bytes from the buffer's position to its limit.
     *
     * @param packet the buffer from {@link #packetBuffer()}, valid only during the call
     * @param peer the destination
     */
    void transmit(ByteBuffer packet, InetSocketAddress peer);

    /**
     * Application data arrived on a DCCP-Data or DCCP-DataAck packet.
     *
     * @param data the payload between position and limit, valid only during the call
     * @param seqno the packet's 48-bit sequence number
     * @return false if the data could not reach the application (a full receive queue): the
     *     connection then reports it to the peer in a Data Dropped option, Drop Code 2
     */
    boolean delivered(DccpConnection c, ByteBuffer data, long seqno, long now);

    /** A data packet this side sent was acknowledged as received. */
    void acked(DccpConnection c, long seqno);

    /** A data packet this side sent is presumed lost by the congestion control. */
    void lost(DccpConnection c, long seqno);

    /** The connection may carry data: a client entered PARTOPEN, a server OPEN. */
    void opened(DccpConnection c);

    /** {@link DccpConnection#canSendData()} became true again after a send was refused. */
    void writable(DccpConnection c);

    /**
     * The connection can no longer carry data: it entered TIMEWAIT or CLOSED. Called once. Keep
     * demultiplexing packets to it until {@link DccpConnection#state()} is CLOSED.
     *
     * @param reasonOrNull {@code null} after a normal close (Reset Code 1, "Closed"), otherwise the
     *     Reset Code received or sent
     */
    void closed(DccpConnection c, ResetCode reasonOrNull);
}
