package io.qsockets.impl.transport;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Sends through a legacy {@link DatagramSocket} that has no channel. Reuses one packet and one
 * array, so it allocates nothing per datagram. Engine thread only.
 */
public final class SocketPort implements DatagramPort {
    private final DatagramSocket socket;
    private final byte[] bytes = new byte[65536];
    private final DatagramPacket packet = new DatagramPacket(bytes, 0);
    private volatile Thread reader;

    /** @param socket the socket the datagrams leave through */
    public SocketPort(DatagramSocket socket) {
        this.socket = socket;
    }

    @Override
    public InetSocketAddress localAddress() {
        return socket.isBound() ? (InetSocketAddress) socket.getLocalSocketAddress() : null;
    }

    @Override
    public void close() {
        socket.close();
        Thread r = reader;
        if (r != null && r != Thread.currentThread()) {
            // the socket's port is free only once the reader blocked in it has left
            try {
                r.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** @param thread the thread that reads the socket (a {@link SocketReader}), joined by {@link #close()} */
    public void readBy(Thread thread) {
        reader = thread;
    }

    @Override
    public boolean send(ByteBuffer payload, InetSocketAddress target) throws IOException {
        int length = payload.remaining();
        payload.get(bytes, 0, length);
        packet.setData(bytes, 0, length);
        packet.setSocketAddress(target);
        socket.send(packet);
        return true;
    }
}
