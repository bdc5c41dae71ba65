package io.qsockets.spi;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Who a socket is, as a classifier keys it: the socket object the application holds, its local
 * address once bound and, where the platform tells, its inode. Immutable; equality is that of the
 * socket object.
 *
 * @param socket the {@code DatagramSocket} or {@code DatagramChannel} the traffic leaves through
 * @param localAddress the bound local address, or null while unbound
 * @param inode the socket's inode, or -1 if unknown
 */
public record SocketIdentity(Object socket, InetSocketAddress localAddress, long inode) {
    /** Validates the identity. */
    public SocketIdentity {
        Objects.requireNonNull(socket, "socket must not be null");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SocketIdentity other && other.socket == socket;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(socket);
    }
}
