package io.qsockets.impl.facade;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketException;

/** The behaviour suite against the JDK's own {@link DatagramSocket}: the reference behaviour. */
class PlainDatagramSocketBehaviourTest extends DatagramSocketBehaviourSuite {

    @Override
    protected DatagramSocket open() throws SocketException {
        return new DatagramSocket();
    }

    @Override
    protected DatagramSocket open(int port, InetAddress laddr) throws SocketException {
        return new DatagramSocket(port, laddr);
    }

    @Override
    protected DatagramSocket open(SocketAddress bindaddr) throws SocketException {
        return new DatagramSocket(bindaddr);
    }
}
