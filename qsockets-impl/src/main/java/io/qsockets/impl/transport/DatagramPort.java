package io.qsockets.impl.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Where the engine writes a socket's datagrams once the scheduler releases them: the socket's own
 * channel, or the legacy socket an application attached. Called only from the engine thread.
 */
public interface DatagramPort {

    /**
     * Transmits one datagram.
     *
     * @param payload the datagram, from position to limit; a direct buffer the engine reuses
     * @param target the destination
     * @return true if sent; false if the socket would block and the engine should retry later
     * @throws IOException if the socket failed or was closed; the engine counts the datagram dropped
     */
    boolean send(ByteBuffer payload, InetSocketAddress target) throws IOException;

    /**
     * Any thread, before the socket is closed: the engine will not touch the socket's descriptor
     * after this returns. Ports that never send natively need do nothing.
     */
    default void retire() {
    }

    /** @return the socket's local address, or null while it is unbound */
    InetSocketAddress localAddress() throws IOException;

    /** Closes the socket. */
    void close() throws IOException;

    /** @return whether the destination is an IPv6 address; decides the header overhead counted */
    static boolean isIpv6(InetSocketAddress target) {
        return target.getAddress() instanceof java.net.Inet6Address;
    }
}
