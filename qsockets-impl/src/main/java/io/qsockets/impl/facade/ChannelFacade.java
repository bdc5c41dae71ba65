package io.qsockets.impl.facade;

import io.qsockets.PacketFlags;
import io.qsockets.QDatagram;
import io.qsockets.QDatagramChannel;
import io.qsockets.QInfo;
import io.qsockets.QosParams;
import io.qsockets.Segment;
import io.qsockets.Transport;
import io.qsockets.impl.engine.DutyCycleEngine;
import io.qsockets.impl.engine.Endpoint;
import io.qsockets.impl.kernel.SocketKernelHook;
import io.qsockets.impl.transport.ChannelPort;
import io.qsockets.impl.transport.ReceiveQueue;
import io.qsockets.spi.SocketIdentity;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.MembershipKey;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The {@link QDatagramChannel} implementation: a JDK {@link DatagramChannel} does the binding,
 * options, connecting and receiving; sends go to the engine, which transmits them through that
 * channel when the scheduler releases them. Thread-safe.
 */
public final class ChannelFacade extends QDatagramChannel {
    private final DatagramChannel inner;
    private final Endpoint endpoint;
    /** Where the DCCP transport delivers what arrives (the engine reads {@link #inner}), or null on UDP. */
    private final ReceiveQueue inbox;
    private final Object selectorLock = new Object();
    private volatile Selector awaitSelector;
    /** The readiness an application selects on, made on first request, or null. */
    private volatile Readiness selectable;
    private final SocketKernelHook kernel;

    private ChannelFacade(DutyCycleEngine engine, DatagramChannel inner, QosParams params, boolean owned)
            throws IOException {
        this.inner = inner;
        this.kernel = engine.kernel().socketOpened(params);
        ChannelPort port = new ChannelPort(inner, owned);
        SocketIdentity identity = new SocketIdentity(inner, null, -1);
        if (params.transport() == Transport.DCCP) {
            try {
                inner.setOption(StandardSocketOptions.SO_RCVBUF, DccpSettings.RECEIVE_BUFFER);
            } catch (IOException e) {
                // keep the kernel's default
            }
            this.endpoint = engine.registerDccp(port, identity, params, DccpSettings.forSockets(params));
        } else {
            this.endpoint = engine.register(port, identity, params);
        }
        this.inbox = endpoint.inbox();
        endpoint.socketCloser(() -> {
            try {
                inner.close();
            } catch (IOException e) {
                // closed as far as it can be
            }
        });
        if (inner.getLocalAddress() != null) {
            Kernel.bound(kernel, inner); // attached: already bound
        }
        endpoint.onEngineClose(() -> {
            try {
                close();
            } catch (IOException ignored) {
                // the engine is closing; the channel is closed as far as it can be
            }
        });
    }

    /** A channel over a freshly opened {@code inner}, closed again if registration fails. */
    public static ChannelFacade owned(DutyCycleEngine engine, DatagramChannel inner, QosParams params)
            throws IOException {
        try {
            return new ChannelFacade(engine, inner, params, true);
        } catch (RuntimeException e) {
            inner.close();
            throw e;
        }
    }

    /**
     * A channel that schedules the sends of {@code legacy}.
     *
     * @throws IllegalArgumentException if {@code legacy} is closed or unbound
     */
    public static ChannelFacade attached(DutyCycleEngine engine, DatagramChannel legacy, QosParams params)
            throws IOException {
        if (!legacy.isOpen()) {
            throw new IllegalArgumentException("cannot attach " + legacy + ": it is closed; only an open, bound "
                    + "channel can be attached");
        }
        if (legacy.getLocalAddress() == null) {
            throw new IllegalArgumentException("cannot attach an unbound channel: only a bound channel can be "
                    + "attached; bind it first");
        }
        boolean blocking = legacy.isBlocking(); // before a DCCP engine switches it to non-blocking to read it
        // not owned: the application may close it under the engine, so no native sends
        ChannelFacade facade = new ChannelFacade(engine, legacy, params, false);
        facade.configureBlocking(blocking);
        return facade;
    }

    // ---- QDatagramChannel ----

    @Override
    public Segment send(ByteBuffer src, SocketAddress target, PacketFlags flags) throws IOException {
        Objects.requireNonNull(flags, "flags must not be null");
        return submit(src, target, flags, true);
    }

    @Override
    public boolean flush(Duration timeout) throws IOException {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("flush timeout " + timeout + " must be a non-negative duration");
        }
        ensureOpen();
        return endpoint.flush(Checks.saturatedNanos(timeout));
    }

    @Override
    public void change(QosParams params) throws IOException {
        Objects.requireNonNull(params, "QoS params must not be null");
        ensureOpen();
        Checks.sameEngineAndTransport(endpoint.params(), params);
        endpoint.change(params);
        kernel.changed(params);
    }

    @Override
    public QosParams params() {
        return endpoint.params();
    }

    @Override
    public QInfo info() {
        return kernel.decorate(endpoint.info());
    }

    @Override
    public boolean awaitReadable(Duration timeout) throws IOException {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout " + timeout + " must be a non-negative duration");
        }
        if (!isOpen()) {
            return true;
        }
        if (isBlocking()) {
            throw new IllegalBlockingModeException();
        }
        if (inbox != null) {
            try {
                return inbox.awaitReadable(Checks.saturatedNanos(timeout)) || !isOpen();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a datagram");
            }
        }
        try {
            Selector selector = readinessSelector();
            int ready = timeout.isZero() ? selector.selectNow() : selector.select(millisAtLeastOne(timeout));
            selector.selectedKeys().clear();
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted while waiting for a datagram");
            }
            return ready > 0 || !isOpen();
        } catch (java.nio.channels.ClosedSelectorException e) {
            return true; // the channel was closed or switched to blocking mode meanwhile
        }
    }

    @Override
    public SelectableChannel readiness() throws IOException {
        synchronized (selectorLock) {
            ensureOpen();
            if (isBlocking()) {
                throw new IllegalBlockingModeException();
            }
            if (selectable == null) {
                Readiness r = new Readiness(inner, inbox);
                r.watch();
                selectable = r;
            }
            return selectable.channel();
        }
    }

    /** Tells the readiness, if an application selects on it, whether a receive found a datagram. */
    private void received(boolean got) {
        Readiness r = selectable;
        if (r != null) {
            r.received(got);
        }
    }

    /** @return {@code timeout} in whole milliseconds, at least 1, saturated at {@link Long#MAX_VALUE} */
    private static long millisAtLeastOne(Duration timeout) {
        return timeout.getSeconds() >= Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : Math.max(1, timeout.toMillis());
    }

    private Selector readinessSelector() throws IOException {
        synchronized (selectorLock) {
            if (awaitSelector == null) {
                Selector selector = Selector.open();
                inner.register(selector, SelectionKey.OP_READ);
                awaitSelector = selector;
            }
            return awaitSelector;
        }
    }

    private void closeReadinessSelector() throws IOException {
        Selector selector = awaitSelector;
        awaitSelector = null;
        if (selector != null) {
            selector.close(); // wakes a waiter and deregisters the inner channel
        }
    }

    // ---- DatagramChannel ----

    @Override
    public int send(ByteBuffer src, SocketAddress target) throws IOException {
        int length = Objects.requireNonNull(src, "source buffer must not be null").remaining();
        return submit(src, target, endpoint.params().defaultFlags(), false) == null ? 0 : length;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src, "source buffer must not be null");
        ensureOpen();
        SocketAddress remote = inner.getRemoteAddress();
        if (remote == null) {
            throw new NotYetConnectedException();
        }
        return send(src, remote);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.requireNonNull(srcs, "source buffers must not be null");
        Objects.checkFromIndexSize(offset, length, srcs.length);
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            if (srcs[i] == null) {
                throw new NullPointerException("source buffer srcs[" + i + "] must not be null");
            }
            total += srcs[i].remaining();
        }
        if (total > Endpoint.MAX_IPV6_PAYLOAD) { // before allocating the gathered datagram
            throw new SocketException("datagram of " + total + " bytes is larger than the largest UDP payload: "
                    + Endpoint.MAX_IPV6_PAYLOAD + " bytes");
        }
        ByteBuffer gathered = ByteBuffer.allocate((int) total);
        for (int i = offset; i < offset + length; i++) {
            gathered.put(srcs[i].duplicate());
        }
        gathered.flip();
        int written = write(gathered);
        if (written > 0) {
            for (int i = offset; i < offset + length; i++) {
                srcs[i].position(srcs[i].limit());
            }
        }
        return written;
    }

    private Segment submit(ByteBuffer src, SocketAddress target, PacketFlags flags, boolean wantSegment)
            throws IOException {
        Objects.requireNonNull(src, "source buffer must not be null");
        InetSocketAddress to = checkTarget(target);
        ensureOpen();
        SocketAddress remote = inner.getRemoteAddress();
        if (remote != null && !remote.equals(to)) {
            throw new AlreadyConnectedException();
        }
        if (inner.getLocalAddress() == null) {
            bind(null);
        }
        return endpoint.submit(src, to, flags, wantSegment, isBlocking());
    }

    private static InetSocketAddress checkTarget(SocketAddress target) {
        Objects.requireNonNull(target, "target address must not be null");
        if (!(target instanceof InetSocketAddress isa)) {
            throw new UnsupportedAddressTypeException();
        }
        if (isa.isUnresolved()) {
            throw new UnresolvedAddressException();
        }
        return isa;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!isOpen()) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "destination buffer must not be null");
        ensureOpen();
        if (inbox != null) {
            QDatagram d = takeDelivered();
            received(d != null);
            if (d == null) {
                return null;
            }
            dst.put(d.data(), 0, Math.min(dst.remaining(), d.length())); // the rest is discarded, as the JDK does
            endpoint.countReceived();
            return d.sender();
        }
        SocketAddress from = inner.receive(dst);
        received(from != null);
        if (from != null) {
            endpoint.countReceived();
        }
        return from;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "destination buffer must not be null");
        return (int) read(new ByteBuffer[] {dst}, 0, 1);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        Objects.requireNonNull(dsts, "destination buffers must not be null");
        Objects.checkFromIndexSize(offset, length, dsts.length);
        ensureOpen();
        if (inbox != null) {
            if (!inner.isConnected()) {
                throw new NotYetConnectedException();
            }
            QDatagram d = takeDelivered();
            received(d != null);
            if (d == null) {
                return 0;
            }
            int at = 0;
            for (int i = offset; i < offset + length && at < d.length(); i++) {
                int n = Math.min(dsts[i].remaining(), d.length() - at);
                dsts[i].put(d.data(), at, n);
                at += n;
            }
            endpoint.countReceived();
            return at;
        }
        long n = inner.read(dsts, offset, length);
        received(n > 0); // lowering is always safe on UDP: the kernel's readiness is level-triggered
        if (n >= 0) {
            endpoint.countReceived();
        }
        return n;
    }

    @Override
    public QDatagram receiveQ() throws IOException {
        ensureOpen();
        if (inbox != null) {
            QDatagram d = takeDelivered();
            received(d != null);
            if (d != null) {
                endpoint.countReceived();
            }
            return d;
        }
        ByteBuffer buffer = ByteBuffer.allocate(Endpoint.MAX_IPV6_PAYLOAD);
        InetSocketAddress from = (InetSocketAddress) inner.receive(buffer);
        received(from != null);
        if (from == null) {
            return null;
        }
        endpoint.countReceived();
        return QDatagram.plain(java.util.Arrays.copyOf(buffer.array(), buffer.position()), from);
    }

    /**
     * Takes a datagram the DCCP transport delivered, as the JDK's channel receives one: waiting in
     * blocking mode (a close by another thread ends the wait with
     * {@link java.nio.channels.AsynchronousCloseException}, an interrupt closes the channel),
     * returning null at once in non-blocking mode, and only from the connected peer if connected.
     * An unbound channel is bound first.
     */
    private QDatagram takeDelivered() throws IOException {
        if (inner.getLocalAddress() == null) {
            bind(null);
        }
        SocketAddress peer = inner.getRemoteAddress();
        while (true) {
            QDatagram d;
            try {
                d = isBlocking() ? inbox.take(0) : inbox.poll();
            } catch (SocketException closed) {
                throw isBlocking() ? new java.nio.channels.AsynchronousCloseException() : new ClosedChannelException();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new java.nio.channels.ClosedByInterruptException();
            }
            if (d == null || peer == null || peer.equals(d.sender())) {
                return d;
            }
        }
    }

    @Override
    public DatagramChannel bind(SocketAddress local) throws IOException {
        ensureOpen();
        inner.bind(local);
        Kernel.bound(kernel, inner);
        return this;
    }

    @Override
    public <T> DatagramChannel setOption(SocketOption<T> name, T value) throws IOException {
        Objects.requireNonNull(name, "socket option must not be null");
        ensureOpen();
        inner.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        Objects.requireNonNull(name, "socket option must not be null");
        ensureOpen();
        return inner.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return inner.supportedOptions();
    }

    /**
     * Not available: datagrams sent through the JDK's socket adaptor would bypass the scheduler.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public DatagramSocket socket() {
        throw new UnsupportedOperationException("QDatagramChannel has no socket adaptor: its sends would bypass the "
                + "scheduler; use the channel itself, or a QSocket");
    }

    @Override
    public boolean isConnected() {
        return isOpen() && inner.isConnected();
    }

    @Override
    public DatagramChannel connect(SocketAddress remote) throws IOException {
        Objects.requireNonNull(remote, "remote address must not be null");
        ensureOpen();
        inner.connect(remote); // binds an unbound channel
        Kernel.bound(kernel, inner);
        return this;
    }

    @Override
    public DatagramChannel disconnect() throws IOException {
        if (isOpen()) { // the JDK's disconnect of a closed channel does nothing
            inner.disconnect();
        }
        return this;
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        return inner.getRemoteAddress();
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        return inner.getLocalAddress();
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf) throws IOException {
        checkJoin(group, interf);
        return inner.join(group, interf);
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf, InetAddress source) throws IOException {
        checkJoin(group, interf);
        Objects.requireNonNull(source, "source address must not be null");
        return inner.join(group, interf, source);
    }

    private void checkJoin(InetAddress group, NetworkInterface interf) throws ClosedChannelException {
        Objects.requireNonNull(group, "multicast group must not be null");
        Objects.requireNonNull(interf, "network interface must not be null");
        ensureOpen();
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        try {
            endpoint.close(); // lets what was accepted leave, then the engine closes the inner channel
            kernel.closed();
        } finally {
            closeReadinessSelector();
            Readiness r = selectable;
            if (r != null) {
                r.close();
            }
        }
    }

    @Override
    protected void implConfigureBlocking(boolean block) throws IOException {
        if (inbox != null) {
            return; // the engine reads the socket, always without blocking; waiting is on the receive queue
        }
        Readiness r = selectable;
        if (block) {
            closeReadinessSelector();
            if (r != null) {
                r.unwatch();
            }
        }
        inner.configureBlocking(block);
        if (!block && r != null) {
            r.watch();
        }
    }
}
