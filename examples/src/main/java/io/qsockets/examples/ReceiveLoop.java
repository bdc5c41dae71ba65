package io.qsockets.examples;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketTimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The receiving loop every program and experiment shares: receive with the socket's timeout,
 * hand each datagram over with its arrival time, and tick after each datagram or timeout.
 */
public final class ReceiveLoop {

    /** Takes one received datagram. */
    @FunctionalInterface
    public interface Handler {
        /** @param p the datagram (valid until the call returns); @param nowNanos its arrival time */
        void onDatagram(DatagramPacket p, long nowNanos);
    }

    private ReceiveLoop() {
    }

    /**
     * Receives on the calling thread while {@code keepGoing} holds. The socket needs an
     * {@code SO_TIMEOUT}, so the condition and the tick are checked at least that often.
     *
     * @throws IOException if receiving fails (e.g. the socket was closed)
     */
    public static void run(DatagramSocket socket, BooleanSupplier keepGoing, Handler handler, Runnable tick)
            throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
        while (keepGoing.getAsBoolean()) {
            try {
                socket.receive(p);
                handler.onDatagram(p, System.nanoTime());
            } catch (SocketTimeoutException e) {
                // tick below
            }
            tick.run();
        }
    }

    /**
     * Runs {@link #run} on a new daemon thread, which ends when {@code keepGoing} fails or the
     * socket is closed.
     *
     * @return the started thread
     */
    public static Thread start(String name, DatagramSocket socket, BooleanSupplier keepGoing, Handler handler) {
        Thread t = new Thread(() -> {
            try {
                run(socket, keepGoing, handler, () -> { });
            } catch (IOException e) {
                // the socket was closed: the loop is over
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
