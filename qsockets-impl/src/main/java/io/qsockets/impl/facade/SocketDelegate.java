package io.qsockets.impl.facade;

import io.qsockets.Engine;
import io.qsockets.PacketFlags;
import io.qsockets.QDatagram;
import io.qsockets.QInfo;
import io.qsockets.QosParams;
import io.qsockets.Transport;
import io.qsockets.Segment;
import io.qsockets.impl.engine.DutyCycleEngine;
import io.qsockets.impl.engine.Endpoint;
import io.qsockets.impl.kernel.SocketKernelHook;
import io.qsockets.impl.transport.ChannelPort;
import io.qsockets.impl.transport.DatagramPort;
import io.qsockets.impl.transport.ReceiveQueue;
import io.qsockets.impl.transport.SocketPort;
import io.qsockets.impl.transport.SocketReader;
import io.qsockets.spi.QSocketDelegate;
import io.qsockets.spi.SocketIdentity;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketOptions;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.Set;

/**
 * The delegate behind a {@link io.qsockets.QSocket}: a real JDK socket does everything a
 * {@link DatagramSocket} does — binding, options, receiving with {@code SO_TIMEOUT} — except that
 * sends go to the engine, which transmits them through that socket when the scheduler releases
 * them. The socket is the delegate's own (a {@link DatagramChannel}'s socket) or a legacy one an
 * application attached. Thread-safe.
 */
public final class SocketDelegate extends QSocketDelegate {
    /** Largest UDP payload (to IPv6 destinations), the buffer {@link #receiveQ()} reads into. */
    private static final int MAX_UDP_PAYLOAD = 65_527;
    private final DutyCycleEngine engine;
    private final boolean attached;
    private final QosParams initialParams;
    private volatile Runnable facadeCloser = () -> { };
    private volatile boolean bindFailed;
    private volatile InetSocketAddress lastTarget;
    /**
     * SO_TIMEOUT on the DCCP transport, where receives wait on the receive queue: kept here, since
     * the socket itself is read by the engine (or, attached without a channel, by a reader thread
     * that needs a timeout of its own).
     */
    private volatile int soTimeout;
    private final PacketBuffers packetBuffers = new PacketBuffers();
    private DatagramSocket socket;
    private Endpoint endpoint;
    private SocketKernelHook kernel = SocketKernelHook.NONE;

    private SocketDelegate(DutyCycleEngine engine, QosParams params, DatagramSocket legacy) {
        this.engine = engine;
        this.initialParams = params;
        this.attached = legacy != null;
        if (attached) {
            DatagramPort port = legacy.getChannel() != null ? new ChannelPort(legacy.getChannel(), false)
                    : new SocketPort(legacy);
            if (params.transport() == Transport.DCCP) {
                openDccp(legacy, port);
            } else {
                open(legacy, port);
            }
        }
    }

    /** A delegate with a socket of its own, open and unbound. */
    public static SocketDelegate owned(DutyCycleEngine engine, QosParams params) throws IOException {
        SocketDelegate delegate = new SocketDelegate(engine, params, null);
        DatagramChannel channel = DatagramChannel.open();
        try {
            // as for a new DatagramSocket: "where possible, SO_BROADCAST is enabled"
            channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
            if (params.transport() == Transport.DCCP) {
                delegate.openDccp(channel.socket(), new ChannelPort(channel, true));
            } else {
                delegate.open(channel.socket(), new ChannelPort(channel, true));
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return delegate;
    }

    /**
     * A delegate that schedules the sends of {@code legacy}.
     *
     * @throws IllegalArgumentException if {@code legacy} is closed or unbound
     */
    public static SocketDelegate attached(DutyCycleEngine engine, DatagramSocket legacy, QosParams params) {
        if (legacy.isClosed()) {
            throw new IllegalArgumentException("cannot attach " + legacy + ": it is closed; only an open, bound "
                    + "socket can be attached");
        }
        if (!legacy.isBound()) {
            throw new IllegalArgumentException("cannot attach an unbound socket: only a bound socket can be "
                    + "attached; bind it first");
        }
        return new SocketDelegate(engine, params, legacy);
    }

    private void open(DatagramSocket real, DatagramPort port) {
        socket = real;
        kernel = engine.kernel().socketOpened(initialParams);
        endpoint = engine.register(port, new SocketIdentity(real, null, -1), initialParams);
        endpoint.socketCloser(real::close);
        closeWithEngine(real);
        if (attached) {
            kernel.bound(real); // an attached socket is bound already
        }
    }

    /**
     * The DCCP transport: the engine reads the socket (its channel; or, for an attached socket
     * without one, a {@link SocketReader} thread) and receivers take what the connections deliver.
     */
    private void openDccp(DatagramSocket real, DatagramPort port) {
        try {
            // the engine reads the socket in cycles; a deeper buffer rides out bursts of a window of packets
            real.setReceiveBufferSize(DccpSettings.RECEIVE_BUFFER);
        } catch (SocketException e) {
            // keep the kernel's default
        }
        socket = real;
        kernel = engine.kernel().socketOpened(initialParams);
        endpoint = engine.registerDccp(port, new SocketIdentity(real, null, -1), initialParams,
                DccpSettings.forSockets(initialParams));
        closeWithEngine(real);
        if (port instanceof SocketPort reads) {
            Endpoint e = endpoint;
            reads.readBy(SocketReader.start(real, (datagram, length, from) -> engine.feed(e, datagram, length, from),
                    "qsockets-dccp-reader-" + real.getLocalPort()));
            endpoint.socketCloser(reads::close);
        } else {
            endpoint.socketCloser(real::close);
        }
        if (attached) {
            kernel.bound(real);
        }
    }

    private void closeWithEngine(DatagramSocket real) {
        endpoint.onEngineClose(() -> {
            kernel.closed();
            real.close();
            facadeCloser.run();
        });
    }

    // ---- QSocketDelegate ----

    @Override
    public Segment submit(DatagramPacket packet, PacketFlags flags) throws IOException {
        return endpoint.submit(packet.getData(), packet.getOffset(), packet.getLength(), target(packet), flags, true);
    }

    @Override
    public boolean flush(java.time.Duration timeout) throws IOException {
        return endpoint.flush(Checks.saturatedNanos(timeout));
    }

    @Override
    public void change(QosParams params) {
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
    public void onEngineClose(Runnable closer) {
        facadeCloser = closer;
    }

    @Override
    public Engine engine() {
        return engine;
    }

    @Override
    public InetSocketAddress preboundAddress() {
        return attached ? (InetSocketAddress) socket.getLocalSocketAddress() : null;
    }

    @Override
    public InetSocketAddress preconnectedAddress() {
        return attached ? (InetSocketAddress) socket.getRemoteSocketAddress() : null;
    }

    // ---- DatagramSocketImpl ----

    @Override
    protected void create() {
        // the socket was opened (or attached) when the delegate was made
    }

    @Override
    protected void bind(int lport, InetAddress laddr) throws SocketException {
        InetSocketAddress requested = new InetSocketAddress(laddr, lport);
        if (attached) {
            if (!requested.equals(socket.getLocalSocketAddress())) {
                throw new SocketException("already bound");
            }
            return;
        }
        try {
            socket.bind(requested);
        } catch (SocketException | RuntimeException e) {
            // the JDK's socket front closes its impl after a failed bind, but a DatagramSocket stays
            // open and unbound: ignore that one close
            bindFailed = true;
            throw e;
        }
        Kernel.bound(kernel, socket);
    }

    @Override
    protected void send(DatagramPacket p) throws IOException {
        endpoint.submit(p.getData(), p.getOffset(), p.getLength(), target(p), endpoint.params().defaultFlags(), false);
    }

    /**
     * The packet's destination, reusing the previous one while it is the same: streams send to one
     * peer, and the channel encodes a destination it saw last time without work.
     */
    private InetSocketAddress target(DatagramPacket p) {
        InetSocketAddress last = lastTarget;
        if (last != null && last.getPort() == p.getPort() && last.getAddress().equals(p.getAddress())) {
            return last;
        }
        InetSocketAddress fresh = (InetSocketAddress) p.getSocketAddress();
        lastTarget = fresh;
        return fresh;
    }

    @Override
    protected void receive(DatagramPacket p) throws IOException {
        ensureOpen();
        ReceiveQueue inbox = endpoint.inbox();
        if (inbox == null) {
            socket.receive(p);
        } else {
            receiveDelivered(inbox, p);
        }
        endpoint.countReceived();
    }

    /**
     * Takes a datagram the transport delivered, as {@code DatagramSocket.receive} would: waiting
     * up to SO_TIMEOUT, only from the connected peer if connected, truncated to the packet's buffer.
     */
    private void receiveDelivered(ReceiveQueue inbox, DatagramPacket p) throws IOException {
        int room = packetBuffers.roomOf(p);
        QDatagram r = takeDelivered(inbox);
        int n = Math.min(room, r.data().length);
        System.arraycopy(r.data(), 0, p.getData(), p.getOffset(), n);
        p.setSocketAddress(r.sender());
        packetBuffers.filled(p, n, room);
    }

    /** Waits up to SO_TIMEOUT for a delivered datagram, from the connected peer if connected. */
    private QDatagram takeDelivered(ReceiveQueue inbox) throws IOException {
        SocketAddress peer = socket.getRemoteSocketAddress();
        while (true) {
            QDatagram r;
            try {
                r = inbox.take(soTimeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a datagram");
            }
            if (peer == null || peer.equals(r.sender())) {
                return r; // a connected socket receives only from its peer
            }
        }
    }

    @Override
    public QDatagram receiveQ() throws IOException {
        ensureOpen();
        ReceiveQueue inbox = endpoint.inbox();
        QDatagram d;
        if (inbox == null) {
            DatagramPacket p = new DatagramPacket(new byte[MAX_UDP_PAYLOAD], MAX_UDP_PAYLOAD);
            socket.receive(p);
            d = QDatagram.plain(Arrays.copyOf(p.getData(), p.getLength()), (InetSocketAddress) p.getSocketAddress());
        } else {
            d = takeDelivered(inbox);
        }
        endpoint.countReceived();
        return d;
    }

    /**
     * The socket stays open while a close lets its queue drain (or, in INVOKER mode, until the
     * engine finishes the close), but is closed to the application from the start.
     */
    private void ensureOpen() throws SocketException {
        if (endpoint.isClosed()) {
            throw new SocketException("Socket is closed");
        }
    }

    @Override
    protected void connect(InetAddress address, int port) throws SocketException {
        socket.connect(new InetSocketAddress(address, port));
    }

    @Override
    protected void disconnect() {
        socket.disconnect();
    }

    @Override
    protected int peek(InetAddress i) throws IOException {
        throw new SocketException("peek is not supported: the socket filters by its connected peer itself");
    }

    @Override
    protected int peekData(DatagramPacket p) throws IOException {
        throw new SocketException("peek is not supported: the socket filters by its connected peer itself");
    }

    @Override
    @Deprecated
    protected void setTTL(byte ttl) throws IOException {
        setTimeToLive(ttl & 0xff);
    }

    @Override
    @Deprecated
    protected byte getTTL() throws IOException {
        return (byte) getTimeToLive();
    }

    @Override
    protected void setTimeToLive(int ttl) throws IOException {
        socket.setOption(StandardSocketOptions.IP_MULTICAST_TTL, ttl);
    }

    @Override
    protected int getTimeToLive() throws IOException {
        return socket.getOption(StandardSocketOptions.IP_MULTICAST_TTL);
    }

    @Override
    protected void join(InetAddress inetaddr) throws IOException {
        socket.joinGroup(new InetSocketAddress(inetaddr, 0), null);
    }

    @Override
    protected void leave(InetAddress inetaddr) throws IOException {
        socket.leaveGroup(new InetSocketAddress(inetaddr, 0), null);
    }

    @Override
    protected void joinGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException {
        socket.joinGroup(mcastaddr, netIf);
    }

    @Override
    protected void leaveGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException {
        socket.leaveGroup(mcastaddr, netIf);
    }

    @Override
    protected void close() {
        if (bindFailed) {
            bindFailed = false;
            return;
        }
        if (endpoint != null) {
            endpoint.close(); // lets what was accepted leave, then the engine closes the socket
        } else if (socket != null) {
            socket.close();
        }
        kernel.closed();
    }

    @Override
    protected int getLocalPort() {
        return socket.getLocalPort();
    }

    @Override
    protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
        socket.setOption(name, value);
    }

    @Override
    protected <T> T getOption(SocketOption<T> name) throws IOException {
        return socket.getOption(name);
    }

    @Override
    protected Set<SocketOption<?>> supportedOptions() {
        return socket.supportedOptions();
    }

    @Override
    public void setOption(int optID, Object value) throws SocketException {
        switch (optID) {
            case SocketOptions.SO_TIMEOUT -> {
                if (endpoint.inbox() != null) {
                    soTimeout = (Integer) value;
                } else {
                    socket.setSoTimeout((Integer) value);
                }
            }
            case SocketOptions.SO_SNDBUF -> socket.setSendBufferSize((Integer) value);
            case SocketOptions.SO_RCVBUF -> socket.setReceiveBufferSize((Integer) value);
            case SocketOptions.SO_REUSEADDR -> socket.setReuseAddress((Boolean) value);
            case SocketOptions.SO_BROADCAST -> socket.setBroadcast((Boolean) value);
            case SocketOptions.IP_TOS -> socket.setTrafficClass((Integer) value);
            case SocketOptions.IP_MULTICAST_IF2 -> Checks.io(() ->
                    socket.setOption(StandardSocketOptions.IP_MULTICAST_IF, (NetworkInterface) value));
            case SocketOptions.IP_MULTICAST_LOOP -> Checks.io(() ->
                    socket.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, !(Boolean) value));
            default -> throw new SocketException("socket option " + optID + " is not supported");
        }
    }

    @Override
    public Object getOption(int optID) throws SocketException {
        return switch (optID) {
            case SocketOptions.SO_TIMEOUT -> endpoint.inbox() != null ? soTimeout : socket.getSoTimeout();
            case SocketOptions.SO_SNDBUF -> socket.getSendBufferSize();
            case SocketOptions.SO_RCVBUF -> socket.getReceiveBufferSize();
            case SocketOptions.SO_REUSEADDR -> socket.getReuseAddress();
            case SocketOptions.SO_BROADCAST -> socket.getBroadcast();
            case SocketOptions.IP_TOS -> socket.getTrafficClass();
            case SocketOptions.SO_BINDADDR -> socket.getLocalAddress();
            case SocketOptions.IP_MULTICAST_IF2 -> Checks.io(() -> socket.getOption(StandardSocketOptions.IP_MULTICAST_IF));
            case SocketOptions.IP_MULTICAST_LOOP -> Checks.io(() ->
                    !socket.getOption(StandardSocketOptions.IP_MULTICAST_LOOP));
            default -> throw new SocketException("socket option " + optID + " is not supported");
        };
    }
}
