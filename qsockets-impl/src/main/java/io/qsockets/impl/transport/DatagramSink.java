package io.qsockets.impl.transport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Takes the datagrams that arrive on a socket the engine reads (a transport with a protocol of its
 * own, such as DCCP, whose acknowledgements the engine must see). Engine thread only.
 */
public interface DatagramSink {

    /**
     * One datagram arrived.
     *
     * @param datagram the datagram, from position to limit; valid only during the call
     * @param from the sender
     * @param now the engine's clock at the read
     */
    void onDatagram(ByteBuffer datagram, InetSocketAddress from, long now);

    /**
     * The host of {@code peer} reported that nothing listens on its port (an ICMP port
     * unreachable error for a datagram this socket sent there). Only sockets the engine reads
     * natively learn of it. Ignored unless overridden.
     *
     * @param quoted the start of the datagram that drew the error, valid only during the call
     */
    default void onUnreachable(InetSocketAddress peer, ByteBuffer quoted, long now) {
    }
}
