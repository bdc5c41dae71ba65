package io.qsockets.impl.transport;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Takes the datagrams that arrive on a socket the engine reads (a transport with a protocol of its
 * own, such as DCCP, whose acknowledgements the engine must see). Engine thread only.
 */
@FunctionalInterface
public interface DatagramSink {

    /**
     * One datagram arrived.
     *
     * @param datagram the datagram, from position to limit; valid only during the call
     * @param from the sender
     * @param now the engine's clock at the read
     */
    void onDatagram(ByteBuffer datagram, InetSocketAddress from, long now);
}
