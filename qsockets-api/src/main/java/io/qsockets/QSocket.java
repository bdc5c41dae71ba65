package io.qsockets;

import io.qsockets.spi.QSocketDelegate;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.Objects;

/**
 * A {@link DatagramSocket} whose outgoing datagrams go through a packet scheduler before they
 * leave: a drop-in replacement ({@code new QSocket(...)} for {@code new DatagramSocket(...)}).
 *
 * <p>Every inherited method keeps the semantics of {@link DatagramSocket}: binding, connecting,
 * {@code SO_TIMEOUT}, options and closing behave alike. What differs is when a datagram leaves:
 * {@link #send(DatagramPacket)} hands it to the socket's engine, which transmits it when the
 * scheduler and the pacing allow; with {@link BackPressure#BLOCK} a send waits while the send
 * queue is full. {@link #send(DatagramPacket, PacketFlags)} adds per-datagram flags and returns a
 * {@link Segment} handle.
 *
 * <p><b>Closing loses nothing that was accepted.</b> {@link #close()} waits until every datagram
 * already accepted has left (UDP: handed to the kernel) or settled (DCCP: acknowledged, expired,
 * cancelled or failed), at most the {@linkplain QosParams#linger() linger} time (5 s by default);
 * what is still queued then is discarded and counted dropped. When {@code close()} returns the
 * socket's port is free, as with {@link DatagramSocket}. A queue that is empty costs nothing to
 * close; a {@linkplain QosParams.Builder#linger linger} of zero discards at once. {@link #flush}
 * waits for the queue to drain without closing. On an engine driven by {@code doWork()}
 * ({@link ThreadingMode#INVOKER}) and on the engine's own thread, {@code close()} returns at once
 * and the engine finishes the close as it runs.
 *
 * <p>Thread-safe, like {@link DatagramSocket}.
 */
public class QSocket extends DatagramSocket {
    private final QSocketDelegate delegate;

    /** A socket with default QoS bound to the wildcard address and an ephemeral port. */
    public QSocket() throws SocketException {
        this(new InetSocketAddress(0), QosParams.defaults());
    }

    /** A socket with default QoS bound to {@code port} on the wildcard address. */
    public QSocket(int port) throws SocketException {
        this(port, null, QosParams.defaults());
    }

    /** A socket with default QoS bound to {@code port} on {@code laddr}. */
    public QSocket(int port, InetAddress laddr) throws SocketException {
        this(port, laddr, QosParams.defaults());
    }

    /** A socket with default QoS bound to {@code bindaddr}, or unbound if it is null. */
    public QSocket(SocketAddress bindaddr) throws SocketException {
        this(bindaddr, QosParams.defaults());
    }

    /** A socket with {@code params} bound to the wildcard address and an ephemeral port. */
    public QSocket(QosParams params) throws SocketException {
        this(new InetSocketAddress(0), params);
    }

    /** A socket with {@code params} bound to {@code port} on {@code laddr} (null: wildcard). */
    public QSocket(int port, InetAddress laddr, QosParams params) throws SocketException {
        this(new InetSocketAddress(laddr, checkPort(port)), params);
    }

    /** A socket with {@code params} bound to {@code bindaddr}, or unbound if it is null. */
    public QSocket(SocketAddress bindaddr, QosParams params) throws SocketException {
        this(newDelegate(params));
        if (bindaddr != null) {
            try {
                bind(bindaddr);
            } catch (SocketException | RuntimeException e) {
                close();
                throw e;
            }
        }
    }

    /**
     * A socket over a runtime's delegate; for {@link io.qsockets.spi.QSocketsRuntime}
     * implementations.
     */
    protected QSocket(QSocketDelegate delegate) throws SocketException {
        super(delegate);
        this.delegate = delegate;
        delegate.onEngineClose(this::close);
        InetSocketAddress prebound = delegate.preboundAddress();
        if (prebound != null) {
            bind(prebound);
            InetSocketAddress peer = delegate.preconnectedAddress();
            if (peer != null) {
                connect(peer);
            }
        }
    }

    /**
     * Submits a datagram with per-datagram flags. The address checks are those of
     * {@link #send(DatagramPacket)}; the payload is copied before the call returns.
     *
     * @return the datagram's handle; a full queue under {@link BackPressure#DROP} gives a handle
     *     already {@link SegmentState#DROPPED}
     * @throws SocketException if the socket is closed, or the payload exceeds the largest UDP
     *     payload (65507 bytes to IPv4; the message names both sizes)
     * @throws IllegalArgumentException if the packet has no address and the socket is not
     *     connected, or the packet's address conflicts with the connected one
     */
    public Segment send(DatagramPacket packet, PacketFlags flags) throws IOException {
        Objects.requireNonNull(packet, "packet must not be null");
        Objects.requireNonNull(flags, "flags must not be null");
        synchronized (packet) {
            if (isClosed()) {
                throw new SocketException("Socket is closed");
            }
            InetAddress address = packet.getAddress();
            if (isConnected()) {
                if (address == null) {
                    packet.setAddress(getInetAddress());
                    packet.setPort(getPort());
                } else if (!address.equals(getInetAddress()) || packet.getPort() != getPort()) {
                    throw new IllegalArgumentException("connected address and packet address differ: connected to "
                            + getRemoteSocketAddress() + ", packet to " + packet.getSocketAddress());
                }
            } else {
                if (address == null) {
                    throw new IllegalArgumentException("Address not set");
                }
                if (packet.getPort() == 0) {
                    throw new SocketException("Can't send to port 0");
                }
            }
            if (!isBound()) {
                bind(new InetSocketAddress(0));
            }
            return delegate.submit(packet, flags);
        }
    }

    /**
     * Receives the next datagram with what its sender said of it (segment id, revision, frame
     * marks, sender timestamp), waiting as {@link #receive(DatagramPacket)} does: up to
     * {@code SO_TIMEOUT}, and only from the connected peer when connected. A datagram is received
     * either here or by {@code receive}, never by both.
     *
     * @throws java.net.SocketTimeoutException if {@code SO_TIMEOUT} passed first
     * @throws SocketException if the socket is or becomes closed
     */
    public QDatagram receiveQ() throws IOException {
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        if (!isBound()) {
            bind(new InetSocketAddress(0));
        }
        return delegate.receiveQ();
    }

    /**
     * Submits a datagram with the socket's {@linkplain QosParams#defaultFlags() default flags}, as
     * {@link DatagramSocket#send(DatagramPacket)} does.
     *
     * @throws NullPointerException if {@code p} is null
     * @throws SocketException if the socket is closed, or the payload exceeds the largest UDP payload
     */
    @Override
    public void send(DatagramPacket p) throws IOException {
        super.send(Objects.requireNonNull(p, "packet must not be null"));
    }

    /**
     * Receives a datagram, as {@link DatagramSocket#receive(DatagramPacket)} does.
     *
     * @throws NullPointerException if {@code p} is null
     */
    @Override
    public void receive(DatagramPacket p) throws IOException {
        super.receive(Objects.requireNonNull(p, "packet must not be null"));
    }

    /**
     * Changes the socket's QoS at run time ({@code qchange}). The new attributes apply to
     * datagrams not yet sent; the engine and transport cannot change.
     *
     * @throws IllegalArgumentException if the scheduler rejects the attributes, or the engine or
     *     transport differs
     */
    public void change(QosParams params) throws SocketException {
        Objects.requireNonNull(params, "QoS params must not be null");
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        delegate.change(params);
    }

    /**
     * Waits until the send queue has drained: every datagram accepted so far has left (UDP) or
     * settled (DCCP), or the timeout passed. Sends from other threads meanwhile keep the queue
     * busy and so may make it wait the whole timeout.
     *
     * @param timeout how long to wait at most; zero checks without waiting
     * @return true if the queue is empty, false if the timeout passed first
     * @throws SocketException if the socket is closed
     * @throws java.io.InterruptedIOException if the thread is interrupted while waiting
     * @throws IllegalArgumentException if {@code timeout} is null or negative
     * @throws IllegalStateException if called on the engine's own thread (in a segment's outcome
     *     callback, say), where waiting would stop the engine
     */
    public boolean flush(java.time.Duration timeout) throws IOException {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("flush timeout " + timeout + " must be a non-negative duration");
        }
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        return delegate.flush(timeout);
    }

    /** @return the current QoS parameters */
    public QosParams params() {
        return delegate.params();
    }

    /** @return a snapshot of the socket's traffic ({@code qinfo}); works after close too */
    public QInfo info() {
        return delegate.info();
    }

    /** @return the engine that schedules this socket */
    public Engine engine() {
        return delegate.engine();
    }

    private static QSocketDelegate newDelegate(QosParams params) throws SocketException {
        Objects.requireNonNull(params, "QoS params must not be null");
        try {
            return QSockets.runtime().newSocket(params);
        } catch (SocketException e) {
            throw e;
        } catch (IOException e) {
            throw (SocketException) new SocketException(e.getMessage()).initCause(e);
        }
    }

    private static int checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port " + port + " must be between 0 and 65535");
        }
        return port;
    }
}
