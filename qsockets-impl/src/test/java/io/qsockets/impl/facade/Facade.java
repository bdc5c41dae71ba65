package io.qsockets.impl.facade;

import io.qsockets.QDatagramChannel;
import io.qsockets.QInfo;
import io.qsockets.QSocket;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.Transport;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;

/**
 * The ways an application gets a scheduled socket, each wrapped as the same small {@link Sender}:
 * {@code new QSocket}, {@code QDatagramChannel.open}, and {@code QSockets.attach} of a
 * {@code DatagramSocket} or a {@code DatagramChannel}. Tests run one behaviour against each of them
 * and each transport, using only the public API.
 */
enum Facade {
    QSOCKET {
        @Override
        Sender open(QosParams params) throws IOException {
            QSocket s = new QSocket(new InetSocketAddress(LOOPBACK, 0), params);
            return new SocketSender(s);
        }
    },
    CHANNEL {
        @Override
        Sender open(QosParams params) throws IOException {
            QDatagramChannel c = QDatagramChannel.open(params);
            c.bind(new InetSocketAddress(LOOPBACK, 0));
            return new ChannelSender(c);
        }
    },
    ATTACHED_SOCKET {
        @Override
        Sender open(QosParams params) throws IOException {
            DatagramSocket legacy = new DatagramSocket(0, LOOPBACK);
            try {
                return new SocketSender(QSockets.attach(legacy, params));
            } catch (IOException | RuntimeException e) {
                legacy.close();
                throw e;
            }
        }
    },
    ATTACHED_CHANNEL {
        @Override
        Sender open(QosParams params) throws IOException {
            DatagramChannel legacy = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
            try {
                return new ChannelSender(QSockets.attach(legacy, params));
            } catch (IOException | RuntimeException e) {
                legacy.close();
                throw e;
            }
        }
    };

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** @return a socket of this kind, bound to an ephemeral port on loopback */
    abstract Sender open(QosParams params) throws IOException;

    /**
     * @return a receiving peer for {@code transport}: a plain {@code DatagramSocket} for UDP, a
     *     {@code QSocket} on the DCCP transport for DCCP
     */
    static DatagramSocket peer(Transport transport) throws IOException {
        DatagramSocket peer = transport == Transport.DCCP
                ? new QSocket(new InetSocketAddress(LOOPBACK, 0), QosParams.builder().transport(Transport.DCCP).build())
                : new DatagramSocket(0, LOOPBACK);
        peer.setReceiveBufferSize(4 << 20);
        return peer;
    }

    /** @return the payloads {@code peer} receives until it has {@code n} or waits {@code timeout} for one more */
    static java.util.List<byte[]> receive(DatagramSocket peer, int n, Duration timeout) throws IOException {
        peer.setSoTimeout((int) timeout.toMillis());
        java.util.List<byte[]> got = new java.util.ArrayList<>();
        while (got.size() < n) {
            DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            try {
                peer.receive(p);
            } catch (SocketTimeoutException e) {
                break;
            }
            got.add(Arrays.copyOf(p.getData(), p.getLength()));
        }
        return got;
    }

    /** What a test does with a socket of any kind. */
    interface Sender extends AutoCloseable {
        void send(byte[] payload, SocketAddress to) throws IOException;

        /** A send with the default flags that returns the datagram's handle. */
        io.qsockets.Segment sendSegment(byte[] payload, SocketAddress to) throws IOException;

        boolean flush(Duration timeout) throws IOException;

        QInfo info();

        int localPort() throws IOException;

        @Override
        void close() throws IOException;
    }

    /** A {@link QSocket}, made or attached. */
    record SocketSender(QSocket socket) implements Sender {
        @Override
        public void send(byte[] payload, SocketAddress to) throws IOException {
            socket.send(new DatagramPacket(payload, payload.length, to));
        }

        @Override
        public io.qsockets.Segment sendSegment(byte[] payload, SocketAddress to) throws IOException {
            return socket.send(new DatagramPacket(payload, payload.length, to), io.qsockets.PacketFlags.NONE);
        }

        @Override
        public boolean flush(Duration timeout) throws IOException {
            return socket.flush(timeout);
        }

        @Override
        public QInfo info() {
            return socket.info();
        }

        @Override
        public int localPort() {
            return socket.getLocalPort();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    /** A {@link QDatagramChannel}, opened or attached. */
    record ChannelSender(QDatagramChannel channel) implements Sender {
        @Override
        public void send(byte[] payload, SocketAddress to) throws IOException {
            channel.send(ByteBuffer.wrap(payload), to);
        }

        @Override
        public io.qsockets.Segment sendSegment(byte[] payload, SocketAddress to) throws IOException {
            return channel.send(ByteBuffer.wrap(payload), to, io.qsockets.PacketFlags.NONE);
        }

        @Override
        public boolean flush(Duration timeout) throws IOException {
            return channel.flush(timeout);
        }

        @Override
        public QInfo info() {
            return channel.info();
        }

        @Override
        public int localPort() throws IOException {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
