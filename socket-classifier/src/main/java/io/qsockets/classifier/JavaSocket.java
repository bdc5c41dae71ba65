package io.qsockets.classifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;

/**
 * What the locator asks of a Java socket, whichever of {@link DatagramSocket} (a
 * {@code QSocket} included) or {@link DatagramChannel} it is. Public API only, no JDK internals.
 */
final class JavaSocket {
    private final Object socket;

    private JavaSocket(Object socket) {
        this.socket = socket;
    }

    /**
     * @throws IllegalArgumentException if {@code socket} is of another type, closed or unbound
     */
    static JavaSocket of(Object socket) {
        if (!(socket instanceof DatagramSocket) && !(socket instanceof DatagramChannel)) {
            throw new IllegalArgumentException("cannot identify " + (socket == null ? "null" : socket.getClass().getName())
                    + ": only a DatagramSocket (QSocket included) or a DatagramChannel");
        }
        JavaSocket s = new JavaSocket(socket);
        if (!s.isOpen()) {
            throw new IllegalArgumentException("cannot identify " + socket + ": it is closed");
        }
        if (s.local() == null) {
            throw new IllegalArgumentException("cannot identify " + socket
                    + ": it is not bound yet (the kernel lists a UDP socket in /proc/net/udp once it is bound)");
        }
        return s;
    }

    boolean isOpen() {
        return socket instanceof DatagramSocket s ? !s.isClosed() : ((DatagramChannel) socket).isOpen();
    }

    /** @return the bound address, or null */
    InetSocketAddress local() {
        try {
            return (InetSocketAddress) (socket instanceof DatagramSocket s ? s.getLocalSocketAddress()
                    : ((DatagramChannel) socket).getLocalAddress());
        } catch (IOException e) {
            return null;
        }
    }

    /** @return the connected peer, or null */
    InetSocketAddress remote() {
        try {
            return (InetSocketAddress) (socket instanceof DatagramSocket s ? s.getRemoteSocketAddress()
                    : ((DatagramChannel) socket).getRemoteAddress());
        } catch (IOException e) {
            return null;
        }
    }

    int trafficClass() {
        try {
            return socket instanceof DatagramSocket s ? s.getOption(StandardSocketOptions.IP_TOS)
                    : ((DatagramChannel) socket).getOption(StandardSocketOptions.IP_TOS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read IP_TOS of " + socket, e);
        }
    }

    void trafficClass(int value) {
        try {
            if (socket instanceof DatagramSocket s) {
                s.setOption(StandardSocketOptions.IP_TOS, value);
            } else {
                ((DatagramChannel) socket).setOption(StandardSocketOptions.IP_TOS, value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set IP_TOS of " + socket, e);
        }
    }

    @Override
    public String toString() {
        return socket.toString();
    }
}
