package io.qsockets.classifier;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.util.Objects;

/**
 * The kernel socket behind a Java socket: its inode (what {@code /proc/self/fd} links to and
 * {@code /proc/net/udp} lists) and this process's descriptor for it. The descriptor is valid
 * while the Java socket stays open. Immutable.
 *
 * @param inode the socket's inode, positive
 * @param fd a descriptor of this process that refers to the socket, non-negative
 * @param family {@link StandardProtocolFamily#INET} for an IPv4 socket,
 *     {@link StandardProtocolFamily#INET6} for an IPv6 (possibly dual-stack) one
 * @param localAddress the address the socket is bound to, as Java reports it
 */
public record NativeSocket(long inode, int fd, StandardProtocolFamily family, InetSocketAddress localAddress) {

    /** Validates the fields. */
    public NativeSocket {
        if (inode <= 0) {
            throw new IllegalArgumentException("inode " + inode + " must be positive");
        }
        if (fd < 0) {
            throw new IllegalArgumentException("descriptor " + fd + " must be >= 0");
        }
        Objects.requireNonNull(family, "family must not be null");
        if (family == StandardProtocolFamily.UNIX) {
            throw new IllegalArgumentException("family must be INET or INET6, not UNIX");
        }
        Objects.requireNonNull(localAddress, "local address must not be null");
    }

    /** @return whether the socket is an IPv6 one */
    public boolean isIpv6() {
        return family == StandardProtocolFamily.INET6;
    }
}
