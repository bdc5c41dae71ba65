package io.qsockets.impl.facade;

import io.qsockets.QSocket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketException;

/** The behaviour suite against {@link QSocket} on its default engine: it must behave as the JDK's. */
class QSocketBehaviourTest extends DatagramSocketBehaviourSuite {

    @Override
    protected DatagramSocket open() throws SocketException {
        return new QSocket();
    }

    @Override
    protected DatagramSocket open(int port, InetAddress laddr) throws SocketException {
        return new QSocket(port, laddr);
    }

    @Override
    protected DatagramSocket open(SocketAddress bindaddr) throws SocketException {
        return new QSocket(bindaddr);
    }
}
