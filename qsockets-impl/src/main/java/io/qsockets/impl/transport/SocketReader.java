package io.qsockets.impl.transport;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a {@link DatagramSocket} that has no channel (one an application made with
 * {@code new DatagramSocket()} and attached for the DCCP transport), on a daemon thread of its
 * own, since only channels can join the engine's selector. Hands a copy of each datagram to its
 * consumer; ends when the socket closes. One thread per such socket, never per connection.
 */
public final class SocketReader implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SocketReader.class);

    /** Takes each datagram read. */
    @FunctionalInterface
    public interface Consumer {
        /** @param datagram the reader's copy, {@code length} bytes, handed over */
        void datagram(byte[] datagram, int length, InetSocketAddress from);
    }

    private final DatagramSocket socket;
    private final Consumer consumer;

    private SocketReader(DatagramSocket socket, Consumer consumer) {
        this.socket = socket;
        this.consumer = consumer;
    }

    /**
     * Starts reading {@code socket} on a daemon thread named {@code name}.
     *
     * @return the thread, which ends when the socket closes
     */
    public static Thread start(DatagramSocket socket, Consumer consumer, String name) {
        Thread t = new Thread(new SocketReader(socket, consumer), name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * How long one receive waits: a receive in progress holds the socket's read lock, which
     * {@code connect} and {@code disconnect} need, so the reader lets go of it this often.
     */
    static final int POLL_MILLIS = 20;

    @Override
    public void run() {
        try {
            socket.setSoTimeout(POLL_MILLIS);
        } catch (java.net.SocketException e) {
            return; // closed already
        }
        byte[] buffer = new byte[65_536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!socket.isClosed()) {
            packet.setData(buffer); // the whole buffer again, whatever the last datagram's length
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                continue; // let a connect or disconnect through
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.debug("reading {} failed: {}", socket.getLocalSocketAddress(), e.toString());
                }
                continue;
            }
            int length = packet.getLength();
            consumer.datagram(Arrays.copyOf(buffer, length), length, (InetSocketAddress) packet.getSocketAddress());
        }
    }
}
