package io.qsockets.impl.facade;

import io.qsockets.QSocket;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.Transport;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * The behaviour suite against the view {@link QSockets#attach} gives of a bound legacy
 * {@code DatagramSocket} on the DCCP transport, talking to DCCP QSockets: the engine reads the
 * legacy socket (on a thread of its own, as it has no channel) and the application receives through
 * the view. Unbound sockets cannot be attached, so the unbound cases use an unbound DCCP QSocket.
 */
class AttachedDccpSocketBehaviourTest extends AttachedSocketBehaviourTest {
    private static final QosParams DCCP = QosParams.builder().transport(Transport.DCCP).build();

    @Override
    protected QosParams params() {
        return DCCP;
    }

    @Override
    protected DatagramSocket unbound() throws SocketException {
        return new QSocket((SocketAddress) null, DCCP);
    }

    @Override
    protected int maxPayload() {
        return DccpQSocketBehaviourTest.dccpMaxPayload();
    }

    @Override
    protected DatagramSocket newPeer(int port, InetAddress laddr) throws SocketException {
        return DccpQSocketBehaviourTest.dccpPeer(port, laddr);
    }
}
