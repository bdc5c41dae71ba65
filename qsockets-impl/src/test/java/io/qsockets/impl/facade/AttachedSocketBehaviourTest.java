package io.qsockets.impl.facade;

import io.qsockets.QSockets;
import io.qsockets.QosParams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * The behaviour suite against the view {@link QSockets#attach} gives of a bound legacy socket.
 * Unbound sockets cannot be attached, so the unbound cases use a plain socket for the factory that
 * asks for one, and the suite's binding tests still run against the view where they can.
 */
class AttachedSocketBehaviourTest extends DatagramSocketBehaviourSuite {

    /** @return the QoS the attached sockets get */
    protected QosParams params() {
        return QosParams.defaults();
    }

    /** @return the socket for the unbound cases, which cannot be attached */
    protected DatagramSocket unbound() throws SocketException {
        return new DatagramSocket((SocketAddress) null);
    }

    private DatagramSocket attach(DatagramSocket legacy) throws SocketException {
        try {
            return QSockets.attach(legacy, params());
        } catch (SocketException e) {
            legacy.close();
            throw e;
        } catch (IOException e) {
            legacy.close();
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected DatagramSocket open() throws SocketException {
        return attach(new DatagramSocket());
    }

    @Override
    protected DatagramSocket open(int port, InetAddress laddr) throws SocketException {
        return attach(new DatagramSocket(port, laddr));
    }

    @Override
    protected DatagramSocket open(SocketAddress bindaddr) throws SocketException {
        if (bindaddr == null) {
            return unbound();
        }
        return attach(new DatagramSocket(bindaddr));
    }

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }
}
