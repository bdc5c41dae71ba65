package io.qsockets.impl.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Linux {@code sockaddr_in} / {@code sockaddr_in6} encoding and comparison. Stateless. */
final class SocketAddresses {
    static final int SOCKADDR_IN_SIZE = 16;
    static final int SOCKADDR_IN6_SIZE = 28;

    private SocketAddresses() {
    }

    /**
     * Writes {@code target} at {@code at} in the form a socket of {@code family} accepts: an IPv4
     * address to an IPv6 socket becomes IPv4-mapped, as the JDK sends it.
     *
     * @return the length of the written address
     */
    static int write(ByteBuffer memory, int at, InetSocketAddress target, int family) {
        byte[] address = target.getAddress().getAddress();
        int port = target.getPort();
        ByteBuffer m = memory.duplicate().order(ByteOrder.nativeOrder());
        for (int i = 0; i < SOCKADDR_IN6_SIZE; i++) {
            m.put(at + i, (byte) 0);
        }
        m.putShort(at, (short) family);
        m.put(at + 2, (byte) (port >>> 8)).put(at + 3, (byte) port);
        if (family == LinuxSockets.AF_INET) {
            m.put(at + 4, address, 0, 4);
            return SOCKADDR_IN_SIZE;
        }
        if (address.length == 4) {
            m.put(at + 18, (byte) 0xff).put(at + 19, (byte) 0xff).put(at + 20, address, 0, 4);
        } else {
            m.put(at + 8, address, 0, 16);
            if (target.getAddress() instanceof java.net.Inet6Address v6) {
                m.putInt(at + 24, v6.getScopeId());
            }
        }
        return SOCKADDR_IN6_SIZE;
    }

    /** @return whether the {@code getsockname} result {@code name} is the local address {@code local} */
    static boolean sameLocal(byte[] name, InetSocketAddress local) {
        int family = (name[0] & 0xff) | (name[1] & 0xff) << 8; // little-endian hosts; checked below
        if (ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN) {
            family = (name[0] & 0xff) << 8 | (name[1] & 0xff);
        }
        int port = (name[2] & 0xff) << 8 | (name[3] & 0xff);
        if (port != local.getPort()) {
            return false;
        }
        byte[] bound;
        if (family == LinuxSockets.AF_INET) {
            bound = java.util.Arrays.copyOfRange(name, 4, 8);
        } else if (family == LinuxSockets.AF_INET6) {
            bound = java.util.Arrays.copyOfRange(name, 8, 24);
        } else {
            return false;
        }
        InetAddress want = local.getAddress();
        InetAddress have;
        try {
            have = InetAddress.getByAddress(bound); // maps ::ffff:a.b.c.d to the IPv4 address
        } catch (java.net.UnknownHostException e) {
            return false;
        }
        return have.equals(want) || have.isAnyLocalAddress() && want.isAnyLocalAddress();
    }
}
