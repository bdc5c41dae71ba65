package io.qsockets;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link DatagramChannel} whose outgoing datagrams go through a packet scheduler: a drop-in
 * replacement ({@code QDatagramChannel.open(params)} for {@code DatagramChannel.open()}) with the
 * same blocking and non-blocking behaviour.
 *
 * <p><b>Waiting for readiness.</b> The JDK's {@link java.nio.channels.Selector} accepts only the
 * JDK's own channels: {@code register} throws {@link java.nio.channels.IllegalSelectorException}.
 * A non-blocking user registers {@link #readiness()} instead, with the channel as attachment, so
 * that one thread waits on many channels:
 *
 * <pre>{@code
 * channel.configureBlocking(false);
 * channel.readiness().register(selector, SelectionKey.OP_READ, channel);
 * // when its key is selected:
 * while ((from = channel.receive(buffer)) != null) { ... }
 * }</pre>
 *
 * <p>or waits on one channel with {@link #awaitReadable(Duration)}. Either way, receive until
 * {@code receive} returns null. Sends never need to wait for readiness: a non-blocking send that
 * finds the send queue full returns 0, as a full socket buffer does for a JDK channel.
 *
 * <p><b>Closing</b> lets every datagram already accepted leave, within the
 * {@linkplain QosParams#linger() linger} time, as {@link QSocket#close()} does; {@link #flush}
 * waits for the queue to drain without closing.
 *
 * <p>Thread-safe, like {@link DatagramChannel}.
 */
public abstract class QDatagramChannel extends DatagramChannel {

    /** For implementations. */
    protected QDatagramChannel() {
        super(SelectorProvider.provider());
    }

    /** @return a new, unbound channel with default QoS */
    public static QDatagramChannel open() throws IOException {
        return open(QosParams.defaults());
    }

    /**
     * Hides {@link DatagramChannel#open(ProtocolFamily)}, which would return a channel without QoS.
     *
     * @return a new, unbound channel of {@code family} with default QoS
     */
    public static QDatagramChannel open(ProtocolFamily family) throws IOException {
        return open(family, QosParams.defaults());
    }

    /** @return a new, unbound channel with {@code params} */
    public static QDatagramChannel open(QosParams params) throws IOException {
        Objects.requireNonNull(params, "QoS params must not be null");
        return QSockets.runtime().openChannel(null, params);
    }

    /** @return a new, unbound channel of {@code family} with {@code params} */
    public static QDatagramChannel open(ProtocolFamily family, QosParams params) throws IOException {
        Objects.requireNonNull(family, "protocol family must not be null");
        Objects.requireNonNull(params, "QoS params must not be null");
        return QSockets.runtime().openChannel(family, params);
    }

    /**
     * Submits a datagram with per-datagram flags; see {@link #send(ByteBuffer, SocketAddress)}.
     *
     * @return the datagram's handle, or null if the channel is non-blocking and its send queue is
     *     full (nothing was consumed from {@code src})
     */
    public abstract Segment send(ByteBuffer src, SocketAddress target, PacketFlags flags) throws IOException;

    /**
     * Waits until the send queue has drained; see {@link QSocket#flush(Duration)}.
     *
     * @return true if the queue is empty, false if the timeout passed first
     * @throws java.nio.channels.ClosedChannelException if the channel is closed
     */
    public abstract boolean flush(Duration timeout) throws IOException;

    /**
     * Receives the next datagram with what its sender said of it (segment id, revision, frame
     * marks, sender timestamp on the DCCP transport; see {@link QSocket#receiveQ()}), as
     * {@link #receive(ByteBuffer)} would: waiting in blocking mode, only from the connected peer
     * when connected. A datagram is received either here or by {@code receive}/{@code read}.
     *
     * @return the datagram, or null if the channel is non-blocking and none is waiting
     * @throws java.nio.channels.ClosedChannelException if the channel is closed
     */
    public abstract QDatagram receiveQ() throws IOException;

    /**
     * A channel for an application's own {@link java.nio.channels.Selector}: register it for
     * {@link java.nio.channels.SelectionKey#OP_READ} (it is non-blocking) and it is selected while
     * a datagram may be waiting here. It stays selected until a {@code receive}, {@code read} or
     * {@link #receiveQ()} of this channel comes back empty, so receive until one does; a selection
     * may occasionally find nothing to receive. Never read it: only this channel does. The same
     * channel is returned on every call; it closes, and its keys are cancelled, when this channel
     * closes. Switching this channel to blocking mode pauses it.
     *
     * @return the readiness channel, to register for {@code OP_READ}
     * @throws java.nio.channels.IllegalBlockingModeException if this channel is in blocking mode
     * @throws java.nio.channels.ClosedChannelException if this channel is closed
     */
    public abstract java.nio.channels.SelectableChannel readiness() throws IOException;

    /** Changes the channel's QoS; see {@link QSocket#change(QosParams)}. */
    public abstract void change(QosParams params) throws IOException;

    /** @return the current QoS parameters */
    public abstract QosParams params();

    /** @return a snapshot of the channel's traffic; works after close too */
    public abstract QInfo info();

    /**
     * Waits until a datagram can be received or the channel is closed. Only in non-blocking mode,
     * like registering with a selector.
     *
     * @param timeout how long to wait at most; zero to check without waiting
     * @return true if a datagram is ready (or the channel is closed, so that the next receive
     *     throws), false on timeout
     * @throws java.io.InterruptedIOException if the thread is interrupted while waiting
     * @throws java.nio.channels.IllegalBlockingModeException if the channel is in blocking mode
     */
    public abstract boolean awaitReadable(Duration timeout) throws IOException;
}
