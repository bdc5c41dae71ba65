package io.qsockets.impl.facade;

import io.qsockets.QSocket;
import io.qsockets.QosParams;
import io.qsockets.Transport;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * The behaviour suite against {@link QSocket} on the DCCP transport, talking to QSockets on the
 * DCCP transport: a DCCP socket must behave as the JDK's DatagramSocket too.
 */
class DccpQSocketBehaviourTest extends DatagramSocketBehaviourSuite {
    private static final QosParams DCCP = QosParams.builder().transport(Transport.DCCP).build();

    @Override
    protected DatagramSocket open() throws SocketException {
        return new QSocket(DCCP);
    }

    @Override
    protected DatagramSocket open(int port, InetAddress laddr) throws SocketException {
        return new QSocket(new InetSocketAddress(laddr, port), DCCP);
    }

    @Override
    protected DatagramSocket open(SocketAddress bindaddr) throws SocketException {
        return new QSocket(bindaddr, DCCP);
    }

    @Override
    protected int maxPayload() {
        return dccpMaxPayload();
    }

    @Override
    protected DatagramSocket newPeer(int port, InetAddress laddr) throws SocketException {
        return dccpPeer(port, laddr);
    }

    /** A DCCP packet's header and options, and the payload header, take room from the UDP payload. */
    static int dccpMaxPayload() {
        return DccpSettings.forSockets().maxPayload() - io.qsockets.impl.sendqueue.PayloadHeader.LENGTH;
    }

    /** @return a DCCP QSocket bound to {@code laddr:port}, the peer of every suite case */
    static DatagramSocket dccpPeer(int port, InetAddress laddr) throws SocketException {
        return new QSocket(new InetSocketAddress(laddr, port), DCCP);
    }
}
