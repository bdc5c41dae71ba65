package io.qsockets.spi;

import io.qsockets.Engine;
import io.qsockets.PacketFlags;
import io.qsockets.QInfo;
import io.qsockets.QosParams;
import io.qsockets.Segment;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocketImpl;

/**
 * The implementation behind a {@link io.qsockets.QSocket}, as a {@link DatagramSocketImpl} is
 * behind a {@link java.net.DatagramSocket}: the JDK's socket front keeps the inherited semantics
 * (state checks, exceptions) and calls this delegate for the work. Supplied by
 * {@link QSocketsRuntime}.
 *
 * <p>Thread-safe.
 */
public abstract class QSocketDelegate extends DatagramSocketImpl {

    /** For subclasses. */
    protected QSocketDelegate() {
    }

    /**
     * Submits a datagram whose address the facade has already checked.
     *
     * @return its handle
     */
    public abstract Segment submit(DatagramPacket packet, PacketFlags flags) throws IOException;

    /**
     * Receives the next datagram with its payload header's fields, waiting as {@code receive}
     * does; see {@link io.qsockets.QSocket#receiveQ()}.
     */
    public abstract io.qsockets.QDatagram receiveQ() throws IOException;

    /**
     * Waits until the send queue has drained; see {@link io.qsockets.QSocket#flush}. The facade
     * has checked the timeout and that the socket is open.
     */
    public abstract boolean flush(java.time.Duration timeout) throws IOException;

    /** Changes the socket's QoS; see {@link io.qsockets.QSocket#change(QosParams)}. */
    public abstract void change(QosParams params);

    /** @return the current parameters */
    public abstract QosParams params();

    /** @return a snapshot of the socket's traffic */
    public abstract QInfo info();

    /**
     * @param closer closes the facade; the delegate runs it when its engine closes, so that the
     *     socket reports itself closed
     */
    public abstract void onEngineClose(Runnable closer);

    /** @return the engine scheduling the socket */
    public abstract Engine engine();

    /**
     * @return the local address of a delegate that wraps an already bound socket, or null if the
     *     facade must bind the socket itself
     */
    public abstract java.net.InetSocketAddress preboundAddress();

    /** @return the connected peer of a wrapped socket, or null */
    public abstract java.net.InetSocketAddress preconnectedAddress();
}
