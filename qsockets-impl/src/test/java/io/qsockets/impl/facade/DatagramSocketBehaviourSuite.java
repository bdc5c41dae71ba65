package io.qsockets.impl.facade;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour a {@link DatagramSocket} promises in its (Java 17) javadoc, checked against a
 * standard UDP peer. Subclasses supply the socket under test through factories that mirror the
 * {@code DatagramSocket} constructors; the peer of every test is always a plain
 * {@code java.net.DatagramSocket} created here.
 *
 * <p>Where the javadoc is loose, the assertions pin down what the JDK 17 implementation (the NIO
 * based {@code sun.nio.ch.DatagramSocketAdaptor}) actually does on Linux, marked with a
 * {@code JDK:} comment: a drop-in replacement has to behave the same way.
 *
 * <p>Only loopback is used; IPv6 ({@code ::1}) only in a test that skips itself when it is
 * unavailable. No test sleeps to wait for a condition: waits are bounded waits on futures and
 * latches, and receives run with generous timeouts.
 */
@Timeout(value = 20)
public abstract class DatagramSocketBehaviourSuite {

    /** 127.0.0.1, independent of {@code java.net.preferIPv6Addresses}. */
    protected static final InetAddress LOOPBACK = ipv4Loopback();

    /** 65535 - 20 (IPv4 header) - 8 (UDP header). */
    protected static final int MAX_IPV4_UDP_PAYLOAD = 65_507;

    private static final int PEER_TIMEOUT_MS = 5_000;
    private static final int PEER_RECEIVE_BUFFER = 4 << 20;

    private final Deque<DatagramSocket> sockets = new ArrayDeque<>();
    private ExecutorService executor;

    // ------------------------------------------------------------------ factories

    /** Like {@code new DatagramSocket()}: bound to the wildcard address and an ephemeral port. */
    protected abstract DatagramSocket open() throws SocketException;

    /** Like {@code new DatagramSocket(port, laddr)}. */
    protected abstract DatagramSocket open(int port, InetAddress laddr) throws SocketException;

    /** Like {@code new DatagramSocket(bindaddr)}; {@code null} gives an unbound socket. */
    protected abstract DatagramSocket open(SocketAddress bindaddr) throws SocketException;

    // ------------------------------------------------------------------ fixture

    @BeforeEach
    void startExecutor() {
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "behaviour-suite-worker");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterEach
    void closeEverything() throws InterruptedException {
        // closing first wakes up any worker still blocked in receive
        synchronized (sockets) {
            while (!sockets.isEmpty()) {
                sockets.pop().close();
            }
        }
        executor.shutdownNow();
        assertThat(executor.awaitTermination(5, SECONDS)).as("workers terminated").isTrue();
    }

    private DatagramSocket track(DatagramSocket socket) {
        synchronized (sockets) {
            sockets.push(socket);
        }
        return socket;
    }

    private DatagramSocket sut() throws SocketException {
        return track(open());
    }

    private DatagramSocket sut(int port, InetAddress laddr) throws SocketException {
        return track(open(port, laddr));
    }

    private DatagramSocket sut(SocketAddress bindaddr) throws SocketException {
        return track(open(bindaddr));
    }

    /** The largest datagram the transport under test carries to an IPv4 peer. */
    protected int maxPayload() {
        return MAX_IPV4_UDP_PAYLOAD;
    }

    /** The peer's kind: a plain DatagramSocket, unless the transport under test needs its own kind. */
    protected DatagramSocket newPeer(int port, InetAddress laddr) throws SocketException {
        return new DatagramSocket(port, laddr);
    }

    /** A peer on 127.0.0.1 with a 5 s receive timeout. */
    private DatagramSocket peer() throws SocketException {
        DatagramSocket peer = track(newPeer(0, LOOPBACK));
        peer.setSoTimeout(PEER_TIMEOUT_MS);
        return peer;
    }

    /** Where a peer on 127.0.0.1 reaches {@code socket}, which may be bound to the wildcard. */
    private static InetSocketAddress loopbackAddressOf(DatagramSocket socket) {
        return new InetSocketAddress(LOOPBACK, socket.getLocalPort());
    }

    private static InetAddress ipv4Loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] payload(int size, int seed) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (seed * 31 + i * 7 + (i >>> 8));
        }
        return data;
    }

    private static void send(DatagramSocket from, byte[] data, SocketAddress to) throws IOException {
        from.send(new DatagramPacket(data, data.length, to));
    }

    private static DatagramPacket receive(DatagramSocket socket, int capacity) throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[capacity], capacity);
        socket.receive(packet);
        return packet;
    }

    private static byte[] bytesOf(DatagramPacket packet) {
        return Arrays.copyOfRange(packet.getData(), packet.getOffset(),
                packet.getOffset() + packet.getLength());
    }

    private static byte[] sequenced(int sequence, int size) {
        byte[] data = payload(size, sequence);
        ByteBuffer.wrap(data).putInt(sequence);
        return data;
    }

    private static int sequenceOf(DatagramPacket packet) {
        return ByteBuffer.wrap(packet.getData(), packet.getOffset(), packet.getLength()).getInt();
    }

    private <T> Future<T> inBackground(Callable<T> task) {
        return executor.submit(task);
    }

    /** Receives {@code count} sequenced datagrams on {@code socket} in a background thread. */
    private Future<List<Integer>> receiveSequences(DatagramSocket socket, int count) {
        return inBackground(() -> {
            List<Integer> sequences = new ArrayList<>(count);
            DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
            while (sequences.size() < count) {
                packet.setLength(2048);
                socket.receive(packet);
                sequences.add(sequenceOf(packet));
            }
            return sequences;
        });
    }

    // ================================================================== bind

    @Test
    void openBindsToWildcardAndEphemeralPort() throws Exception {
        DatagramSocket socket = sut();

        assertThat(socket.isBound()).isTrue();
        assertThat(socket.isClosed()).isFalse();
        assertThat(socket.isConnected()).isFalse();
        assertThat(socket.getLocalPort()).isBetween(1, 65535);
        // JDK: the wildcard is reported as the IPv6 wildcard "::" (dual-stack socket)
        assertThat(socket.getLocalAddress().isAnyLocalAddress()).isTrue();
        assertThat(socket.getLocalSocketAddress()).isInstanceOfSatisfying(InetSocketAddress.class, local -> {
            assertThat(local.getAddress().isAnyLocalAddress()).isTrue();
            assertThat(local.getPort()).isEqualTo(socket.getLocalPort());
        });
    }

    @Test
    void openWithPortAndAddressBindsThere() throws Exception {
        DatagramSocket socket = sut(0, LOOPBACK);

        assertThat(socket.isBound()).isTrue();
        assertThat(socket.getLocalPort()).isBetween(1, 65535);
        assertThat(socket.getLocalAddress()).isEqualTo(LOOPBACK);
        assertThat(socket.getLocalSocketAddress())
                .isEqualTo(new InetSocketAddress(LOOPBACK, socket.getLocalPort()));
    }

    @Test
    void openWithSpecificPortBindsThatPort() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, LOOPBACK)) {
            port = probe.getLocalPort();
        }

        DatagramSocket socket = sut(port, LOOPBACK);

        assertThat(socket.getLocalPort()).isEqualTo(port);
        assertThat(socket.getLocalSocketAddress()).isEqualTo(new InetSocketAddress(LOOPBACK, port));
    }

    @Test
    void openWithNullLocalAddressBindsToWildcard() throws Exception {
        DatagramSocket socket = sut(0, null);

        assertThat(socket.isBound()).isTrue();
        assertThat(socket.getLocalPort()).isPositive();
        assertThat(socket.getLocalAddress().isAnyLocalAddress()).isTrue();
    }

    @Test
    void openWithSocketAddressBindsThere() throws Exception {
        DatagramSocket socket = sut(new InetSocketAddress(LOOPBACK, 0));

        assertThat(socket.isBound()).isTrue();
        assertThat(socket.getLocalPort()).isPositive();
        assertThat(socket.getLocalAddress()).isEqualTo(LOOPBACK);
        assertThat(socket.getLocalSocketAddress())
                .isEqualTo(new InetSocketAddress(LOOPBACK, socket.getLocalPort()));
    }

    @Test
    void openWithPortOutOfRangeThrowsIllegalArgumentException() {
        assertThatThrownBy(() -> sut(-1, LOOPBACK)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sut(65_536, LOOPBACK)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unboundSocketReportsNotBoundUntilBind() throws Exception {
        DatagramSocket socket = sut(null);

        assertThat(socket.isBound()).isFalse();
        assertThat(socket.isClosed()).isFalse();
        assertThat(socket.isConnected()).isFalse();
        assertThat(socket.getLocalPort()).as("0 if not bound yet").isZero();
        assertThat(socket.getLocalSocketAddress()).as("null if not bound yet").isNull();
        // JDK: the wildcard reported for an unbound socket is the IPv4 wildcard 0.0.0.0
        assertThat(socket.getLocalAddress().isAnyLocalAddress()).isTrue();

        socket.bind(new InetSocketAddress(LOOPBACK, 0));

        assertThat(socket.isBound()).isTrue();
        assertThat(socket.getLocalPort()).isPositive();
        assertThat(socket.getLocalAddress()).isEqualTo(LOOPBACK);
        assertThat(socket.getLocalSocketAddress())
                .isEqualTo(new InetSocketAddress(LOOPBACK, socket.getLocalPort()));
    }

    @Test
    void bindNullBindsToEphemeralPortOnWildcard() throws Exception {
        DatagramSocket socket = sut(null);

        socket.bind(null);

        assertThat(socket.isBound()).isTrue();
        assertThat(socket.getLocalPort()).isBetween(1, 65535);
        assertThat(socket.getLocalAddress().isAnyLocalAddress()).isTrue();
    }

    @Test
    void bindTwiceThrowsSocketException() throws Exception {
        DatagramSocket boundByConstructor = sut();
        int port = boundByConstructor.getLocalPort();
        // JDK: a plain SocketException ("Already bound"), not a BindException
        assertThatThrownBy(() -> boundByConstructor.bind(null)).isExactlyInstanceOf(SocketException.class);
        assertThat(boundByConstructor.getLocalPort()).isEqualTo(port);

        DatagramSocket boundByBind = sut(null);
        boundByBind.bind(new InetSocketAddress(LOOPBACK, 0));
        assertThatThrownBy(() -> boundByBind.bind(new InetSocketAddress(LOOPBACK, 0)))
                .isExactlyInstanceOf(SocketException.class);
        assertThat(boundByBind.isClosed()).isFalse();
    }

    @Test
    void bindToPortInUseThrowsBindException() throws Exception {
        DatagramSocket occupant = peer();
        SocketAddress taken = occupant.getLocalSocketAddress();

        assertThatThrownBy(() -> sut(taken)).isInstanceOf(BindException.class);
        assertThatThrownBy(() -> sut(occupant.getLocalPort(), LOOPBACK)).isInstanceOf(BindException.class);

        DatagramSocket socket = sut(null);
        assertThatThrownBy(() -> socket.bind(taken)).isInstanceOf(BindException.class);
        // JDK: a failed bind leaves the socket open and unbound, so it can still be bound
        assertThat(socket.isBound()).isFalse();
        assertThat(socket.isClosed()).isFalse();
        socket.bind(null);
        assertThat(socket.isBound()).isTrue();
    }

    @Test
    void bindToUnsupportedOrUnresolvedAddressFails() throws Exception {
        DatagramSocket socket = sut(null);
        SocketAddress notInet = new SocketAddress() {
            private static final long serialVersionUID = 1L;
        };

        // JDK: java.nio.channels.UnsupportedAddressTypeException, an IllegalArgumentException
        assertThatThrownBy(() -> socket.bind(notInet)).isInstanceOf(IllegalArgumentException.class);
        // JDK: SocketException("Unresolved address")
        assertThatThrownBy(() -> socket.bind(InetSocketAddress.createUnresolved("unresolved.invalid", 0)))
                .isExactlyInstanceOf(SocketException.class);
        assertThat(socket.isBound()).isFalse();
    }

    // ================================================================== send / receive

    @Test
    void sendDeliversPayloadAndSenderToPeer() throws Exception {
        DatagramSocket socket = sut();
        DatagramSocket peer = peer();
        byte[] data = payload(100, 1);

        send(socket, data, peer.getLocalSocketAddress());
        DatagramPacket received = receive(peer, 2048);

        assertThat(received.getLength()).isEqualTo(100);
        assertThat(bytesOf(received)).isEqualTo(data);
        assertThat(received.getAddress()).isEqualTo(LOOPBACK);
        assertThat(received.getPort()).isEqualTo(socket.getLocalPort());
    }

    @Test
    void receiveReportsPayloadAndSender() throws Exception {
        DatagramSocket socket = sut();
        socket.setSoTimeout(PEER_TIMEOUT_MS);
        DatagramSocket peer = peer();
        byte[] data = payload(100, 2);

        send(peer, data, loopbackAddressOf(socket));
        DatagramPacket received = receive(socket, 2048);

        assertThat(received.getLength()).isEqualTo(100);
        assertThat(received.getOffset()).isZero();
        assertThat(bytesOf(received)).isEqualTo(data);
        // JDK: on a dual-stack (wildcard) socket an IPv4 sender is reported as an Inet4Address,
        // not as the IPv4-mapped IPv6 address ::ffff:127.0.0.1
        assertThat(received.getAddress()).isInstanceOf(Inet4Address.class).isEqualTo(LOOPBACK);
        assertThat(received.getPort()).isEqualTo(peer.getLocalPort());
        assertThat(received.getSocketAddress()).isEqualTo(peer.getLocalSocketAddress());
    }

    @Test
    void sendUsesPacketOffsetAndLength() throws Exception {
        DatagramSocket socket = sut();
        DatagramSocket peer = peer();
        byte[] buffer = "xxHELLOyyy".getBytes(US_ASCII);

        DatagramPacket packet = new DatagramPacket(buffer, 2, 5, peer.getLocalSocketAddress());
        socket.send(packet);
        DatagramPacket received = receive(peer, 2048);

        assertThat(received.getLength()).isEqualTo(5);
        assertThat(new String(bytesOf(received), US_ASCII)).isEqualTo("HELLO");
        assertThat(packet.getOffset()).isEqualTo(2);
        assertThat(packet.getLength()).isEqualTo(5);
    }

    @Test
    void receiveFillsBufferAtPacketOffset() throws Exception {
        DatagramSocket socket = sut();
        socket.setSoTimeout(PEER_TIMEOUT_MS);
        DatagramSocket peer = peer();
        byte[] data = payload(8, 3);
        byte[] buffer = new byte[20];
        Arrays.fill(buffer, (byte) -1);

        send(peer, data, loopbackAddressOf(socket));
        DatagramPacket packet = new DatagramPacket(buffer, 5, 10);
        socket.receive(packet);

        assertThat(packet.getData()).isSameAs(buffer);
        assertThat(packet.getOffset()).isEqualTo(5);
        assertThat(packet.getLength()).isEqualTo(8);
        assertThat(Arrays.copyOfRange(buffer, 5, 13)).isEqualTo(data);
        // bytes outside offset .. offset + received length are untouched
        assertThat(Arrays.copyOfRange(buffer, 0, 5)).containsOnly((byte) -1);
        assertThat(Arrays.copyOfRange(buffer, 13, 20)).containsOnly((byte) -1);
    }

    @Test
    void receiveTruncatesToPacketLengthAndDiscardsTheRest() throws Exception {
        DatagramSocket socket = sut();
        socket.setSoTimeout(PEER_TIMEOUT_MS);
        DatagramSocket peer = peer();
        byte[] big = payload(100, 4);
        byte[] next = payload(30, 5);

        send(peer, big, loopbackAddressOf(socket));
        send(peer, next, loopbackAddressOf(socket));

        DatagramPacket truncated = receive(socket, 10);
        assertThat(truncated.getLength()).isEqualTo(10);
        assertThat(bytesOf(truncated)).isEqualTo(Arrays.copyOf(big, 10));
        assertThat(truncated.getSocketAddress()).isEqualTo(peer.getLocalSocketAddress());

        // the remainder of the truncated datagram is gone: the next receive gets the next datagram
        DatagramPacket following = receive(socket, 2048);
        assertThat(bytesOf(following)).isEqualTo(next);
    }

    @Test
    void receiveIntoEmptyBufferConsumesDatagram() throws Exception {
        DatagramSocket socket = sut();
        socket.setSoTimeout(PEER_TIMEOUT_MS);
        DatagramSocket peer = peer();

        send(peer, payload(10, 6), loopbackAddressOf(socket));
        send(peer, payload(3, 7), loopbackAddressOf(socket));

        DatagramPacket empty = new DatagramPacket(new byte[0], 0);
        socket.receive(empty);
        assertThat(empty.getLength()).isZero();
        assertThat(empty.getSocketAddress()).isEqualTo(peer.getLocalSocketAddress());
        assertThat(bytesOf(receive(socket, 2048))).isEqualTo(payload(3, 7));
    }

    @Test
    void reusedPacketReceivesUpToItsBufferLengthNotLastReceivedLength() throws Exception {
        // JDK: receive updates the packet's length but remembers the buffer length set by the
        // constructor/setLength/setData; a packet reused after a short datagram still takes a
        // longer one in full (the javadoc's "longer than the packet's length" is looser).
        DatagramSocket socket = sut();
        socket.setSoTimeout(PEER_TIMEOUT_MS);
        DatagramSocket peer = peer();
        DatagramPacket packet = new DatagramPacket(new byte[100], 100);

        send(peer, payload(5, 8), loopbackAddressOf(socket));
        socket.receive(packet);
        assertThat(packet.getLength()).isEqualTo(5);

        send(peer, payload(50, 9), loopbackAddressOf(socket));
        socket.receive(packet);
        assertThat(packet.getLength()).isEqualTo(50);
        assertThat(bytesOf(packet)).isEqualTo(payload(50, 9));
    }

    @Test
    void zeroLengthDatagramRoundTrip() throws Exception {
        DatagramSocket socket = sut();
        socket.setSoTimeout(PEER_TIMEOUT_MS);
        DatagramSocket peer = peer();

        send(socket, new byte[0], peer.getLocalSocketAddress());
        DatagramPacket atPeer = receive(peer, 2048);
        assertThat(atPeer.getLength()).isZero();
        assertThat(atPeer.getPort()).isEqualTo(socket.getLocalPort());

        send(peer, new byte[0], loopbackAddressOf(socket));
        DatagramPacket atSocket = receive(socket, 2048);
        assertThat(atSocket.getLength()).isZero();
        assertThat(atSocket.getSocketAddress()).isEqualTo(peer.getLocalSocketAddress());
    }

    /** A datagram of the size media commonly uses, or the transport's largest if that is smaller. */
    @Test
    void datagramOf1400BytesRoundTrip() throws Exception {
        roundTrip(Math.min(1400, maxPayload()));
    }

    @Test
    void maximumIpv4DatagramRoundTrip() throws Exception {
        roundTrip(maxPayload());
    }

    private void roundTrip(int size) throws Exception {
        DatagramSocket socket = sut();
        socket.setSoTimeout(PEER_TIMEOUT_MS);
        DatagramSocket peer = peer();
        byte[] outbound = payload(size, 10);
        byte[] inbound = payload(size, 11);

        send(socket, outbound, peer.getLocalSocketAddress());
        DatagramPacket atPeer = receive(peer, 70_000);
        assertThat(atPeer.getLength()).isEqualTo(size);
        assertThat(bytesOf(atPeer)).isEqualTo(outbound);
        assertThat(atPeer.getPort()).isEqualTo(socket.getLocalPort());

        send(peer, inbound, loopbackAddressOf(socket));
        DatagramPacket atSocket = receive(socket, 70_000);
        assertThat(atSocket.getLength()).isEqualTo(size);
        assertThat(bytesOf(atSocket)).isEqualTo(inbound);
        assertThat(atSocket.getSocketAddress()).isEqualTo(peer.getLocalSocketAddress());
    }

    @Test
    void oversizedIpv4DatagramThrowsSocketException() throws Exception {
        DatagramSocket socket = sut();
        DatagramSocket peer = peer();

        // JDK: SocketException("Message too long") from the send itself (EMSGSIZE), not an
        // IllegalArgumentException; the socket stays usable
        assertThatThrownBy(() -> send(socket, new byte[MAX_IPV4_UDP_PAYLOAD + 1], peer.getLocalSocketAddress()))
                .isExactlyInstanceOf(SocketException.class);
        assertThatThrownBy(() -> send(socket, new byte[70_000], peer.getLocalSocketAddress()))
                .isExactlyInstanceOf(SocketException.class);
        assertThat(socket.isClosed()).isFalse();

        send(socket, payload(10, 12), peer.getLocalSocketAddress());
        assertThat(bytesOf(receive(peer, 70_000))).isEqualTo(payload(10, 12));
    }

    @Test
    void ipv6LoopbackRoundTrip() throws Exception {
        InetAddress ipv6Loopback = InetAddress.getByName("::1");
        DatagramSocket peer;
        try {
            peer = track(newPeer(0, ipv6Loopback));
        } catch (SocketException e) {
            Assumptions.abort("IPv6 loopback unavailable: " + e);
            return;
        }
        peer.setSoTimeout(PEER_TIMEOUT_MS);

        DatagramSocket socket = sut(0, ipv6Loopback);
        socket.setSoTimeout(PEER_TIMEOUT_MS);
        assertThat(socket.getLocalAddress()).isEqualTo(ipv6Loopback);

        send(socket, payload(200, 13), peer.getLocalSocketAddress());
        DatagramPacket atPeer = receive(peer, 2048);
        assertThat(bytesOf(atPeer)).isEqualTo(payload(200, 13));
        assertThat(atPeer.getSocketAddress()).isEqualTo(socket.getLocalSocketAddress());

        send(peer, payload(300, 14), socket.getLocalSocketAddress());
        DatagramPacket atSocket = receive(socket, 2048);
        assertThat(bytesOf(atSocket)).isEqualTo(payload(300, 14));
        assertThat(atSocket.getAddress()).isInstanceOf(Inet6Address.class);
        assertThat(atSocket.getSocketAddress()).isEqualTo(peer.getLocalSocketAddress());

        // a socket bound to the wildcard reaches both IPv4 and IPv6 peers (dual stack)
        DatagramSocket wildcard = sut();
        send(wildcard, payload(5, 15), peer.getLocalSocketAddress());
        DatagramPacket fromWildcard = receive(peer, 2048);
        assertThat(bytesOf(fromWildcard)).isEqualTo(payload(5, 15));
        assertThat(fromWildcard.getPort()).isEqualTo(wildcard.getLocalPort());
    }

    @Test
    void manyDatagramsArriveInOrder() throws Exception {
        int count = 500;
        DatagramSocket socket = sut();
        DatagramSocket peer = peer();
        peer.setReceiveBufferSize(PEER_RECEIVE_BUFFER);
        Future<List<Integer>> received = receiveSequences(peer, count);

        for (int i = 0; i < count; i++) {
            send(socket, sequenced(i, 64), peer.getLocalSocketAddress());
        }

        assertThat(received.get(15, SECONDS))
                .containsExactlyElementsOf(IntStream.range(0, count).boxed().collect(Collectors.toList()));
    }

    @Test
    void concurrentSendersThroughOneSocketAllArrive() throws Exception {
        int perThread = 200;
        DatagramSocket socket = sut();
        DatagramSocket peer = peer();
        peer.setReceiveBufferSize(PEER_RECEIVE_BUFFER);
        Future<List<Integer>> received = receiveSequences(peer, 2 * perThread);
        CountDownLatch start = new CountDownLatch(1);

        List<Future<Void>> senders = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int base = t * perThread;
            senders.add(inBackground(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    send(socket, sequenced(base + i, 64), peer.getLocalSocketAddress());
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<Void> sender : senders) {
            sender.get(15, SECONDS);
        }

        Set<Integer> expected = IntStream.range(0, 2 * perThread).boxed().collect(Collectors.toSet());
        assertThat(new HashSet<>(received.get(15, SECONDS))).isEqualTo(expected);
    }

    @Test
    void unboundSocketIsBoundBySend() throws Exception {
        // JDK: send on an unbound socket first binds it to the wildcard and an ephemeral port
        DatagramSocket socket = sut(null);
        DatagramSocket peer = peer();

        send(socket, payload(4, 16), peer.getLocalSocketAddress());

        assertThat(socket.isBound()).isTrue();
        assertThat(socket.getLocalPort()).isPositive();
        assertThat(socket.getLocalAddress().isAnyLocalAddress()).isTrue();
        assertThat(receive(peer, 2048).getPort()).isEqualTo(socket.getLocalPort());
    }

    @Test
    void unboundSocketIsBoundByReceive() throws Exception {
        // JDK: receive on an unbound socket first binds it to the wildcard and an ephemeral port
        DatagramSocket socket = sut(null);
        socket.setSoTimeout(50);

        assertThatThrownBy(() -> receive(socket, 16)).isInstanceOf(SocketTimeoutException.class);

        assertThat(socket.isBound()).isTrue();
        assertThat(socket.getLocalPort()).isPositive();
    }

    @Test
    void nullPacketThrowsNullPointerException() throws Exception {
        DatagramSocket socket = sut();

        assertThatThrownBy(() -> socket.send(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> socket.receive(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void sendWithoutAddressOnUnconnectedSocketThrowsIllegalArgumentException() throws Exception {
        DatagramSocket socket = sut();

        assertThatThrownBy(() -> socket.send(new DatagramPacket(new byte[4], 4)))
                .isInstanceOf(IllegalArgumentException.class);

        // a port without an address is still "address not set"
        DatagramPacket portOnly = new DatagramPacket(new byte[4], 4);
        portOnly.setPort(1234);
        assertThatThrownBy(() -> socket.send(portOnly)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sendToPortZeroThrowsSocketException() throws Exception {
        DatagramSocket socket = sut();

        // JDK: SocketException("Can't send to port 0"); port 0 is not "out of range"
        assertThatThrownBy(() -> socket.send(new DatagramPacket(new byte[4], 4, LOOPBACK, 0)))
                .isExactlyInstanceOf(SocketException.class);
        assertThat(socket.isClosed()).isFalse();
    }

    // ================================================================== connect / disconnect

    @Test
    void connectReportsRemoteEndpoint() throws Exception {
        DatagramSocket socket = sut();
        int localPort = socket.getLocalPort();
        DatagramSocket peer = peer();

        socket.connect(peer.getLocalSocketAddress());

        assertThat(socket.isConnected()).isTrue();
        assertThat(socket.getInetAddress()).isEqualTo(LOOPBACK);
        assertThat(socket.getPort()).isEqualTo(peer.getLocalPort());
        assertThat(socket.getRemoteSocketAddress()).isEqualTo(peer.getLocalSocketAddress());
        assertThat(socket.getLocalPort()).isEqualTo(localPort);
        // JDK: the javadoc says the local address "may be" the source address chosen for the
        // connection; the JDK reports it (127.0.0.1) instead of the wildcard
        assertThat(socket.getLocalAddress()).isEqualTo(LOOPBACK);
    }

    @Test
    void connectWithAddressAndPortReportsRemoteEndpoint() throws Exception {
        DatagramSocket socket = sut();
        DatagramSocket peer = peer();

        socket.connect(LOOPBACK, peer.getLocalPort());

        assertThat(socket.isConnected()).isTrue();
        assertThat(socket.getInetAddress()).isEqualTo(LOOPBACK);
        assertThat(socket.getPort()).isEqualTo(peer.getLocalPort());
        assertThat(socket.getRemoteSocketAddress()).isEqualTo(peer.getLocalSocketAddress());
    }

    @Test
    void unconnectedSocketReportsNoRemoteEndpoint() throws Exception {
        DatagramSocket socket = sut();

        assertThat(socket.isConnected()).isFalse();
        assertThat(socket.getInetAddress()).isNull();
        assertThat(socket.getPort()).isEqualTo(-1);
        assertThat(socket.getRemoteSocketAddress()).isNull();
    }

    @Test
    void connectBindsUnboundSocket() throws Exception {
        DatagramSocket socket = sut(null);
        DatagramSocket peer = peer();

        socket.connect(peer.getLocalSocketAddress());

        assertThat(socket.isBound()).isTrue();
        assertThat(socket.getLocalPort()).isPositive();
        send(socket, payload(4, 17), peer.getLocalSocketAddress());
        assertThat(receive(peer, 2048).getPort()).isEqualTo(socket.getLocalPort());
    }

    @Test
    void connectedSocketRejectsSendToOtherAddress() throws Exception {
        DatagramSocket socket = sut();
        DatagramSocket peer = peer();
        DatagramSocket other = peer();
        socket.connect(peer.getLocalSocketAddress());

        assertThatThrownBy(() -> send(socket, payload(4, 18), other.getLocalSocketAddress()))
                .isInstanceOf(IllegalArgumentException.class);

        // the connected address itself is fine
        send(socket, payload(4, 19), peer.getLocalSocketAddress());
        assertThat(bytesOf(receive(peer, 2048))).isEqualTo(payload(4, 19));
    }

    @Test
    void connectedSocketSendsUnaddressedPacketToPeer() throws Exception {
        DatagramSocket socket = sut();
        DatagramSocket peer = peer();
        socket.connect(peer.getLocalSocketAddress());
        byte[] data = payload(12, 20);
        DatagramPacket unaddressed = new DatagramPacket(data, data.length);

        socket.send(unaddressed);

        DatagramPacket received = receive(peer, 2048);
        assertThat(bytesOf(received)).isEqualTo(data);
        assertThat(received.getPort()).isEqualTo(socket.getLocalPort());
        // JDK: send fills in the connected address and port on the packet it was given
        assertThat(unaddressed.getAddress()).isEqualTo(LOOPBACK);
        assertThat(unaddressed.getPort()).isEqualTo(peer.getLocalPort());
    }

    @Test
    void connectedSocketReceivesOnlyFromPeer() throws Exception {
        DatagramSocket socket = sut();
        socket.setSoTimeout(PEER_TIMEOUT_MS);
        DatagramSocket peerA = peer();
        DatagramSocket peerB = peer();
        socket.connect(peerA.getLocalSocketAddress());

        send(peerB, payload(8, 21), loopbackAddressOf(socket));
        send(peerA, payload(8, 22), loopbackAddressOf(socket));

        DatagramPacket received = receive(socket, 2048);
        assertThat(received.getSocketAddress()).isEqualTo(peerA.getLocalSocketAddress());
        assertThat(bytesOf(received)).isEqualTo(payload(8, 22));
    }

    @Test
    void connectDropsDatagramsAlreadyQueuedFromOtherSenders() throws Exception {
        // the javadoc says such datagrams "may be discarded"; either way "once connected,
        // datagrams may not be received from any other address" (JDK: they are discarded)
        DatagramSocket socket = sut();
        socket.setSoTimeout(PEER_TIMEOUT_MS);
        DatagramSocket peerA = peer();
        DatagramSocket peerB = peer();

        send(peerB, payload(8, 23), loopbackAddressOf(socket));
        socket.connect(peerA.getLocalSocketAddress());
        send(peerA, payload(8, 24), loopbackAddressOf(socket));

        DatagramPacket received = receive(socket, 2048);
        assertThat(received.getSocketAddress()).isEqualTo(peerA.getLocalSocketAddress());
        assertThat(bytesOf(received)).isEqualTo(payload(8, 24));
    }

    @Test
    void reconnectSwitchesPeer() throws Exception {
        DatagramSocket socket = sut();
        socket.setSoTimeout(PEER_TIMEOUT_MS);
        DatagramSocket peerA = peer();
        DatagramSocket peerB = peer();
        socket.connect(peerA.getLocalSocketAddress());

        socket.connect(peerB.getLocalSocketAddress());

        assertThat(socket.isConnected()).isTrue();
        assertThat(socket.getRemoteSocketAddress()).isEqualTo(peerB.getLocalSocketAddress());
        assertThatThrownBy(() -> send(socket, payload(4, 25), peerA.getLocalSocketAddress()))
                .isInstanceOf(IllegalArgumentException.class);
        send(peerA, payload(4, 26), loopbackAddressOf(socket));
        send(peerB, payload(4, 27), loopbackAddressOf(socket));
        DatagramPacket received = receive(socket, 2048);
        assertThat(received.getSocketAddress()).isEqualTo(peerB.getLocalSocketAddress());
        assertThat(bytesOf(received)).isEqualTo(payload(4, 27));
    }

    @Test
    void disconnectRestoresUnconnectedState() throws Exception {
        DatagramSocket socket = sut();
        socket.setSoTimeout(PEER_TIMEOUT_MS);
        int localPort = socket.getLocalPort();
        DatagramSocket peerA = peer();
        DatagramSocket peerB = peer();
        socket.connect(peerA.getLocalSocketAddress());

        socket.disconnect();

        assertThat(socket.isConnected()).isFalse();
        assertThat(socket.getInetAddress()).isNull();
        assertThat(socket.getPort()).isEqualTo(-1);
        assertThat(socket.getRemoteSocketAddress()).isNull();
        assertThat(socket.getLocalPort()).isEqualTo(localPort);
        assertThat(socket.isBound()).isTrue();
        // "when disconnect() is called, the bound address reverts to the wildcard address"
        assertThat(socket.getLocalAddress().isAnyLocalAddress()).isTrue();

        // sends to and receives from anyone again
        send(socket, payload(4, 28), peerB.getLocalSocketAddress());
        assertThat(receive(peerB, 2048).getPort()).isEqualTo(localPort);
        send(peerB, payload(4, 29), loopbackAddressOf(socket));
        assertThat(receive(socket, 2048).getSocketAddress()).isEqualTo(peerB.getLocalSocketAddress());

        // disconnecting an unconnected socket has no effect
        socket.disconnect();
        assertThat(socket.isConnected()).isFalse();
    }

    @Test
    void connectNullThrowsIllegalArgumentException() throws Exception {
        DatagramSocket socket = sut();

        assertThatThrownBy(() -> socket.connect((SocketAddress) null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> socket.connect((InetAddress) null, 1234)).isInstanceOf(IllegalArgumentException.class);
        assertThat(socket.isConnected()).isFalse();
    }

    @Test
    void connectToPortZeroFails() throws Exception {
        DatagramSocket socket = sut();

        // JDK: SocketException("Can't connect to port 0")
        assertThatThrownBy(() -> socket.connect(new InetSocketAddress(LOOPBACK, 0)))
                .isExactlyInstanceOf(SocketException.class);
        // JDK: connect(InetAddress, int) wraps that SocketException in an UncheckedIOException
        assertThatThrownBy(() -> socket.connect(LOOPBACK, 0))
                .isInstanceOf(UncheckedIOException.class)
                .hasCauseExactlyInstanceOf(SocketException.class);
        assertThat(socket.isConnected()).isFalse();
    }

    @Test
    void connectToPortOutOfRangeThrowsIllegalArgumentException() throws Exception {
        DatagramSocket socket = sut();

        assertThatThrownBy(() -> socket.connect(LOOPBACK, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> socket.connect(LOOPBACK, 65_536)).isInstanceOf(IllegalArgumentException.class);
        assertThat(socket.isConnected()).isFalse();
    }

    @Test
    void connectedStateSurvivesClose() throws Exception {
        DatagramSocket socket = sut();
        DatagramSocket peer = peer();
        socket.connect(peer.getLocalSocketAddress());

        socket.close();

        // "if the socket was connected prior to being closed, then this method will continue to
        // return ..." for isConnected, getInetAddress, getPort and getRemoteSocketAddress
        assertThat(socket.isConnected()).isTrue();
        assertThat(socket.getInetAddress()).isEqualTo(LOOPBACK);
        assertThat(socket.getPort()).isEqualTo(peer.getLocalPort());
        assertThat(socket.getRemoteSocketAddress()).isEqualTo(peer.getLocalSocketAddress());
    }

    @Test
    void connectAndDisconnectAfterCloseHaveNoEffect() throws Exception {
        // JDK: no exception, the socket stays unconnected ("if the socket is already closed,
        // then this method has no effect")
        DatagramSocket socket = sut();
        DatagramSocket peer = peer();
        socket.close();

        assertThatCode(() -> socket.connect(peer.getLocalSocketAddress())).doesNotThrowAnyException();
        assertThatCode(() -> socket.connect(LOOPBACK, peer.getLocalPort())).doesNotThrowAnyException();
        assertThatCode(socket::disconnect).doesNotThrowAnyException();
        assertThat(socket.isConnected()).isFalse();
        assertThat(socket.getRemoteSocketAddress()).isNull();
    }

    // ================================================================== SO_TIMEOUT

    @Test
    void soTimeoutDefaultsToZeroAndReturnsValueSet() throws Exception {
        DatagramSocket socket = sut();

        assertThat(socket.getSoTimeout()).isZero();
        socket.setSoTimeout(200);
        assertThat(socket.getSoTimeout()).isEqualTo(200);
        socket.setSoTimeout(0);
        assertThat(socket.getSoTimeout()).isZero();
    }

    @Test
    void receiveTimesOutAndSocketStaysUsable() throws Exception {
        DatagramSocket socket = sut();
        DatagramSocket peer = peer();
        socket.setSoTimeout(200);

        long start = System.nanoTime();
        assertThatThrownBy(() -> receive(socket, 2048)).isInstanceOf(SocketTimeoutException.class);
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(elapsedMillis).isGreaterThanOrEqualTo(150).isLessThan(5_000);
        assertThat(socket.isClosed()).isFalse();
        assertThat(socket.getSoTimeout()).isEqualTo(200);

        socket.setSoTimeout(PEER_TIMEOUT_MS);
        send(peer, payload(9, 30), loopbackAddressOf(socket));
        assertThat(bytesOf(receive(socket, 2048))).isEqualTo(payload(9, 30));
        send(socket, payload(9, 31), peer.getLocalSocketAddress());
        assertThat(bytesOf(receive(peer, 2048))).isEqualTo(payload(9, 31));
    }

    @Test
    void negativeSoTimeoutThrowsIllegalArgumentException() throws Exception {
        DatagramSocket socket = sut();
        socket.setSoTimeout(300);

        assertThatThrownBy(() -> socket.setSoTimeout(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(socket.getSoTimeout()).isEqualTo(300);
    }

    @Test
    void zeroSoTimeoutBlocksUntilDatagramArrives() throws Exception {
        DatagramSocket socket = sut();
        socket.setSoTimeout(0);
        DatagramSocket peer = peer();
        CountDownLatch receiving = new CountDownLatch(1);

        Future<DatagramPacket> received = inBackground(() -> {
            receiving.countDown();
            return receive(socket, 2048);
        });
        assertThat(receiving.await(5, SECONDS)).isTrue();
        // still blocked after well over any plausible "short" timeout
        assertThatThrownBy(() -> received.get(300, MILLISECONDS)).isInstanceOf(TimeoutException.class);

        send(peer, payload(6, 32), loopbackAddressOf(socket));

        DatagramPacket packet = received.get(5, SECONDS);
        assertThat(bytesOf(packet)).isEqualTo(payload(6, 32));
        assertThat(packet.getSocketAddress()).isEqualTo(peer.getLocalSocketAddress());
    }

    // ================================================================== close

    @Test
    void closeIsIdempotentAndReportsClosedState() throws Exception {
        DatagramSocket socket = sut();
        assertThat(socket.isClosed()).isFalse();

        socket.close();
        assertThat(socket.isClosed()).isTrue();
        assertThatCode(socket::close).doesNotThrowAnyException();
        assertThat(socket.isClosed()).isTrue();

        assertThat(socket.getLocalPort()).isEqualTo(-1);
        assertThat(socket.getLocalAddress()).isNull();
        assertThat(socket.getLocalSocketAddress()).isNull();
        // JDK: isBound() keeps returning true after close
        assertThat(socket.isBound()).isTrue();
        assertThat(socket.isConnected()).isFalse();
    }

    @Test
    void unboundSocketReportsClosedLocalPort() throws Exception {
        DatagramSocket socket = sut(null);

        socket.close();

        assertThat(socket.getLocalPort()).isEqualTo(-1);
        assertThat(socket.getLocalSocketAddress()).isNull();
        assertThat(socket.isBound()).isFalse();
    }

    @Test
    void operationsAfterCloseThrowSocketException() throws Exception {
        DatagramSocket socket = sut();
        DatagramSocket peer = peer();
        socket.close();

        // JDK: all of these throw a plain SocketException ("Socket closed" / "Socket is closed")
        assertThatThrownBy(() -> send(socket, payload(4, 33), peer.getLocalSocketAddress()))
                .isExactlyInstanceOf(SocketException.class);
        assertThatThrownBy(() -> receive(socket, 16)).isExactlyInstanceOf(SocketException.class);
        assertThatThrownBy(() -> socket.bind(null)).isExactlyInstanceOf(SocketException.class);
        assertThatThrownBy(() -> socket.setSoTimeout(100)).isExactlyInstanceOf(SocketException.class);
        assertThatThrownBy(socket::getSoTimeout).isExactlyInstanceOf(SocketException.class);
        assertThatThrownBy(() -> socket.setReceiveBufferSize(65_536)).isExactlyInstanceOf(SocketException.class);
        assertThatThrownBy(socket::getReceiveBufferSize).isExactlyInstanceOf(SocketException.class);
        assertThatThrownBy(() -> socket.setSendBufferSize(65_536)).isExactlyInstanceOf(SocketException.class);
        assertThatThrownBy(socket::getSendBufferSize).isExactlyInstanceOf(SocketException.class);
        assertThatThrownBy(() -> socket.setReuseAddress(true)).isExactlyInstanceOf(SocketException.class);
        assertThatThrownBy(socket::getReuseAddress).isExactlyInstanceOf(SocketException.class);
        assertThatThrownBy(() -> socket.setBroadcast(true)).isExactlyInstanceOf(SocketException.class);
        assertThatThrownBy(socket::getBroadcast).isExactlyInstanceOf(SocketException.class);
        assertThatThrownBy(() -> socket.setTrafficClass(0x10)).isExactlyInstanceOf(SocketException.class);
        assertThatThrownBy(socket::getTrafficClass).isExactlyInstanceOf(SocketException.class);
    }

    @Test
    void socketOptionsAfterCloseThrowIOException() throws Exception {
        DatagramSocket socket = sut();
        socket.close();

        // javadoc: "IOException ... if the socket is closed";
        // JDK: java.nio.channels.ClosedChannelException, which is NOT a SocketException
        assertThatThrownBy(() -> socket.setOption(StandardSocketOptions.SO_RCVBUF, 65_536))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> socket.getOption(StandardSocketOptions.SO_RCVBUF))
                .isInstanceOf(IOException.class);
        // "will continue to return the set of options even after the socket has been closed"
        assertThat(socket.supportedOptions()).contains(StandardSocketOptions.SO_RCVBUF);
    }

    @Test
    void closeWakesBlockedReceive() throws Exception {
        DatagramSocket socket = sut();
        socket.setSoTimeout(0);
        CountDownLatch receiving = new CountDownLatch(1);

        Future<DatagramPacket> received = inBackground(() -> {
            receiving.countDown();
            return receive(socket, 2048);
        });
        assertThat(receiving.await(5, SECONDS)).isTrue();
        // give the receive every chance to be blocked before closing (a bounded wait, not a sleep)
        assertThatThrownBy(() -> received.get(200, MILLISECONDS)).isInstanceOf(TimeoutException.class);

        socket.close();

        // JDK: SocketException("Socket closed")
        assertThatThrownBy(() -> received.get(5, SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isExactlyInstanceOf(SocketException.class);
        assertThat(socket.isClosed()).isTrue();
    }

    @Test
    void portIsFreeAfterClose() throws Exception {
        DatagramSocket socket = sut(0, LOOPBACK);
        int port = socket.getLocalPort();

        socket.close();

        try (DatagramSocket rebound = new DatagramSocket(port, LOOPBACK)) {
            assertThat(rebound.getLocalPort()).isEqualTo(port);
        }
        DatagramSocket wildcard = sut();
        int wildcardPort = wildcard.getLocalPort();
        wildcard.close();
        try (DatagramSocket rebound = new DatagramSocket(wildcardPort)) {
            assertThat(rebound.getLocalPort()).isEqualTo(wildcardPort);
        }
    }

    // ================================================================== options

    @Test
    void receiveBufferSize() throws Exception {
        DatagramSocket socket = sut();
        assertThat(socket.getReceiveBufferSize()).isPositive();

        socket.setReceiveBufferSize(65_536);
        // a hint: only "> 0" is promised (JDK on Linux returns exactly the value set,
        // bounded by net.core.rmem_max)
        assertThat(socket.getReceiveBufferSize()).isPositive();
        assertThat(socket.getOption(StandardSocketOptions.SO_RCVBUF)).isEqualTo(socket.getReceiveBufferSize());

        assertThatThrownBy(() -> socket.setReceiveBufferSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> socket.setReceiveBufferSize(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sendBufferSize() throws Exception {
        DatagramSocket socket = sut();
        assertThat(socket.getSendBufferSize()).isPositive();

        socket.setSendBufferSize(65_536);
        assertThat(socket.getSendBufferSize()).isPositive();
        assertThat(socket.getOption(StandardSocketOptions.SO_SNDBUF)).isEqualTo(socket.getSendBufferSize());

        assertThatThrownBy(() -> socket.setSendBufferSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> socket.setSendBufferSize(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void reuseAddress() throws Exception {
        DatagramSocket socket = sut();
        assertThat(socket.getReuseAddress()).isFalse();

        socket.setReuseAddress(true);
        assertThat(socket.getReuseAddress()).isTrue();
        assertThat(socket.getOption(StandardSocketOptions.SO_REUSEADDR)).isTrue();

        socket.setOption(StandardSocketOptions.SO_REUSEADDR, false);
        assertThat(socket.getReuseAddress()).isFalse();
    }

    @Test
    void reuseAddressAllowsBindingToAnAddressInUse() throws Exception {
        DatagramSocket occupant = track(new DatagramSocket(null));
        occupant.setReuseAddress(true);
        occupant.bind(new InetSocketAddress(LOOPBACK, 0));

        DatagramSocket socket = sut(null);
        socket.setReuseAddress(true);
        socket.bind(occupant.getLocalSocketAddress());

        assertThat(socket.getLocalSocketAddress()).isEqualTo(occupant.getLocalSocketAddress());
    }

    @Test
    void broadcast() throws Exception {
        DatagramSocket socket = sut();
        // "where possible, a newly constructed DatagramSocket has SO_BROADCAST enabled"
        assertThat(socket.getBroadcast()).isTrue();

        socket.setBroadcast(false);
        assertThat(socket.getBroadcast()).isFalse();
        assertThat(socket.getOption(StandardSocketOptions.SO_BROADCAST)).isFalse();

        socket.setOption(StandardSocketOptions.SO_BROADCAST, true);
        assertThat(socket.getBroadcast()).isTrue();
    }

    @Test
    void unboundSocketHasBroadcastEnabledToo() throws Exception {
        assertThat(sut(null).getBroadcast()).isTrue();
    }

    @Test
    void trafficClass() throws Exception {
        DatagramSocket socket = sut();
        assertThat(socket.getTrafficClass()).isZero();

        // a hint per the javadoc; JDK on Linux returns exactly the value set
        socket.setTrafficClass(0x10);
        assertThat(socket.getTrafficClass()).isEqualTo(0x10);
        socket.setTrafficClass(0xB8);
        assertThat(socket.getTrafficClass()).isEqualTo(0xB8);
        assertThat(socket.getOption(StandardSocketOptions.IP_TOS)).isEqualTo(0xB8);
        socket.setOption(StandardSocketOptions.IP_TOS, 0x20);
        assertThat(socket.getTrafficClass()).isEqualTo(0x20);

        assertThatThrownBy(() -> socket.setTrafficClass(256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> socket.setTrafficClass(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> socket.setOption(StandardSocketOptions.IP_TOS, 300))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(socket.getTrafficClass()).isEqualTo(0x20);
    }

    @Test
    void setOptionAndGetOptionForBufferSizes() throws Exception {
        DatagramSocket socket = sut();

        socket.setOption(StandardSocketOptions.SO_RCVBUF, 65_536);
        assertThat(socket.getOption(StandardSocketOptions.SO_RCVBUF)).isPositive();
        socket.setOption(StandardSocketOptions.SO_SNDBUF, 65_536);
        assertThat(socket.getOption(StandardSocketOptions.SO_SNDBUF)).isPositive();
        assertThat(socket.getReceiveBufferSize()).isEqualTo(socket.getOption(StandardSocketOptions.SO_RCVBUF));

        assertThatThrownBy(() -> socket.setOption(StandardSocketOptions.SO_RCVBUF, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> socket.setOption(StandardSocketOptions.SO_SNDBUF, -1))
                .isInstanceOf(IllegalArgumentException.class);
        // JDK: a null value for an option that needs one is an IllegalArgumentException
        assertThatThrownBy(() -> socket.setOption(StandardSocketOptions.SO_RCVBUF, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void supportedOptions() throws Exception {
        DatagramSocket socket = sut();

        assertThat(socket.supportedOptions()).contains(
                StandardSocketOptions.SO_SNDBUF,
                StandardSocketOptions.SO_RCVBUF,
                StandardSocketOptions.SO_REUSEADDR,
                StandardSocketOptions.SO_BROADCAST,
                StandardSocketOptions.IP_TOS);
        assertThatThrownBy(() -> socket.supportedOptions().add(StandardSocketOptions.TCP_NODELAY))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void unsupportedAndNullOptions() throws Exception {
        DatagramSocket socket = sut();

        assertThatThrownBy(() -> socket.setOption(StandardSocketOptions.TCP_NODELAY, true))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> socket.getOption(StandardSocketOptions.TCP_NODELAY))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> socket.setOption(null, 1)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> socket.getOption(null)).isInstanceOf(NullPointerException.class);
    }
}
