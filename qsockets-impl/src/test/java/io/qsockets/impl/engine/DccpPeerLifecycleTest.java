package io.qsockets.impl.engine;

import static io.qsockets.impl.engine.SimulatedRelay.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.EngineConfig;
import io.qsockets.ManualNanoClock;
import io.qsockets.PacketFlags;
import io.qsockets.QDatagram;
import io.qsockets.QSocket;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.Segment;
import io.qsockets.SegmentState;
import io.qsockets.ThreadingMode;
import io.qsockets.Transport;
import io.qsockets.impl.dccp.wire.DccpHeader;
import io.qsockets.impl.dccp.wire.DccpPacketType;
import io.qsockets.impl.dccp.wire.ParseResult;
import io.qsockets.impl.transport.ReceiveQueue;
import io.qsockets.linkemu.LinkProfile;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What happens to peers on real networks, on simulated time through the link emulator: both ends
 * sending first at the same moment (simultaneous open), the handshake's last Ack lost so that the
 * client's first DataAck completes it (RFC 4340 §8.5 Steps 3 and 16), a peer that restarts on the
 * same address without closing (§7.5.4), and a NAT that rebinds a peer's UDP port mid-stream.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DccpPeerLifecycleTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final PacketFlags RELIABLE = PacketFlags.builder().reliable(true).build();

    private final ManualNanoClock clock = new ManualNanoClock();
    private DutyCycleEngine engineA;
    private DutyCycleEngine engineB;
    private QSocket a;
    private QSocket b;
    private SimulatedRelay relay;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {relay, a, b, engineA, engineB}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private io.qsockets.CongestionControl congestionControl = io.qsockets.CongestionControl.CCID2;

    private QSocket socket(String name) throws Exception {
        DutyCycleEngine engine = (DutyCycleEngine) QSockets.init(EngineConfig.builder().name(name).clock(clock)
                .threadingMode(ThreadingMode.INVOKER).build());
        if (engineA == null) {
            engineA = engine;
        } else {
            engineB = engine;
        }
        return socket(engine, 0);
    }

    private QSocket socket(DutyCycleEngine engine, int port) throws Exception {
        QSocket s = new QSocket(new InetSocketAddress(LOOPBACK, port), QosParams.builder().engine(engine)
                .transport(Transport.DCCP).congestionControl(congestionControl).sendQueueCapacity(1024).build());
        engine.doWork(); // registers the socket
        return s;
    }

    private void open(long oneWayMs) throws Exception {
        a = socket("a");
        b = socket("b");
        LinkProfile link = LinkProfile.builder().delay(Duration.ofMillis(oneWayMs)).unlimitedQueue().seed(7).build();
        relay = new SimulatedRelay(clock, (InetSocketAddress) a.getLocalSocketAddress(),
                (InetSocketAddress) b.getLocalSocketAddress(), link, link, engineA, engineB);
    }

    private static DatagramPacket packet(int i, InetSocketAddress to) {
        byte[] d = ByteBuffer.allocate(64).putInt(i).array();
        return new DatagramPacket(d, d.length, to);
    }

    private static List<QDatagram> drain(ReceiveQueue inbox) throws Exception {
        List<QDatagram> got = new ArrayList<>();
        for (QDatagram d; (d = inbox.poll()) != null; ) {
            got.add(d);
        }
        return got;
    }

    private static Predicate<ByteBuffer> ofType(DccpPacketType type, int[] seen, int which) {
        return datagram -> {
            DccpHeader h = new DccpHeader().wrap(datagram, datagram.position(), datagram.remaining());
            return h.validate() == ParseResult.OK && h.type() == type && seen[0]++ == which;
        };
    }

    @Test
    void bothEndsSendingFirstAtTheSameMomentDeliverEverythingBothWays() throws Exception {
        open(10);
        int n = 100;
        List<Segment> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sent.add(a.send(packet(i, relay.forA()), RELIABLE));
            sent.add(b.send(packet(i, relay.forB()), RELIABLE));
        }
        relay.runUntil(clock.nanoTime() + 2_000 * MS, MS, () -> { });

        List<QDatagram> atB = drain(engineB.endpointFor(b.getLocalPort()).inbox());
        List<QDatagram> atA = drain(engineA.endpointFor(a.getLocalPort()).inbox());
        assertThat(atB).as("delivered to B").hasSize(n);
        assertThat(atA).as("delivered to A").hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(ByteBuffer.wrap(atB.get(i).data()).getInt()).isEqualTo(i);
            assertThat(ByteBuffer.wrap(atA.get(i).data()).getInt()).isEqualTo(i);
        }
        assertThat(sent).allSatisfy(s -> assertThat(s.state()).isEqualTo(SegmentState.ACKED));
        assertThat(a.info().dccp().connections()).hasSize(1);
        assertThat(b.info().dccp().connections()).hasSize(1);
        assertThat(a.info().dccp().connections().get(0).state()).isEqualTo("OPEN");
        assertThat(b.info().dccp().connections().get(0).state()).isEqualTo("OPEN");
    }

    /**
     * B starts sending at every point of A's handshake: before A's Request reaches it, as B's
     * listener answers it, while A's Ack is on its way, and after the connection opened.
     */
    @ParameterizedTest(name = "B starts {0} ms after A")
    @ValueSource(longs = {1, 9, 10, 11, 19, 20, 21, 29, 30, 31, 45})
    void handshakesCrossingAtAnyPointEndInOneConnectionThatDeliversBothWays(long offsetMs) throws Exception {
        open(10);
        int n = 20;
        List<Segment> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sent.add(a.send(packet(i, relay.forA()), RELIABLE));
        }
        relay.runAt(clock.nanoTime());
        relay.runUntil(clock.nanoTime() + offsetMs * MS, MS, () -> { });
        for (int i = 0; i < n; i++) {
            sent.add(b.send(packet(i, relay.forB()), RELIABLE));
        }
        relay.runUntil(clock.nanoTime() + 3_000 * MS, MS, () -> { });

        assertThat(drain(engineB.endpointFor(b.getLocalPort()).inbox())).as("delivered to B").hasSize(n);
        assertThat(drain(engineA.endpointFor(a.getLocalPort()).inbox())).as("delivered to A").hasSize(n);
        assertThat(sent).allSatisfy(s -> assertThat(s.state()).isEqualTo(SegmentState.ACKED));
        assertThat(a.info().dccp().connections()).extracting(c -> c.state()).containsExactly("OPEN");
        assertThat(b.info().dccp().connections()).extracting(c -> c.state()).containsExactly("OPEN");
    }

    @Test
    void aPeerThatRestartsOnTheSameAddressWithoutClosingConnectsAgainWithinTwoSeconds() throws Exception {
        open(10);
        ReceiveQueue atB = engineB.endpointFor(b.getLocalPort()).inbox();
        for (int i = 0; i < 20; i++) {
            a.send(packet(i, relay.forA()), RELIABLE);
        }
        relay.runUntil(clock.nanoTime() + 1_000 * MS, MS, () -> { });
        assertThat(drain(atB)).hasSize(20);

        relay.dropFromA(datagram -> true); // A crashes: its Close never leaves
        int port = a.getLocalPort();
        a.close();
        relay.runUntil(clock.nanoTime() + 100 * MS, MS, () -> { });
        relay.dropFromA(datagram -> false);
        a = socket(engineA, port); // and comes back on the same address, knowing nothing
        long restart = clock.nanoTime();
        List<Segment> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add(a.send(packet(100 + i, relay.forA()), RELIABLE));
        }
        List<QDatagram> got = new ArrayList<>();
        while (got.size() < 20 && clock.nanoTime() - restart < 5_000 * MS) {
            relay.runUntil(clock.nanoTime() + 10 * MS, MS, () -> { });
            got.addAll(drain(atB));
        }
        assertThat(got).extracting(d -> ByteBuffer.wrap(d.data()).getInt()).containsExactlyElementsOf(
                java.util.stream.IntStream.range(100, 120).boxed().toList());
        assertThat(clock.nanoTime() - restart).as("time to deliver after the restart").isLessThanOrEqualTo(2_000 * MS);
        relay.runUntil(clock.nanoTime() + 200 * MS, MS, () -> { });
        assertThat(sent).allSatisfy(s -> assertThat(s.state()).isEqualTo(SegmentState.ACKED));
        assertThat(b.info().dccp().connections()).extracting(c -> c.state()).containsExactly("OPEN");
    }

    @Test
    void aNatThatRebindsTheSendersPortEveryThreeSecondsLosesNoReliableDatagram() throws Exception {
        open(10);
        ReceiveQueue atB = engineB.endpointFor(b.getLocalPort()).inbox();
        int n = 300;
        List<Segment> sent = new ArrayList<>();
        List<QDatagram> got = new ArrayList<>();
        long start = clock.nanoTime();
        long nextRebind = start + 3_000 * MS;
        for (int i = 0; i < n; i++) {
            sent.add(a.send(packet(i, relay.forA()), RELIABLE));
            relay.runUntil(clock.nanoTime() + 30 * MS, MS, () -> { });
            got.addAll(drain(atB));
            if (clock.nanoTime() >= nextRebind) {
                relay.rebindA();
                nextRebind += 3_000 * MS;
            }
        }
        relay.runUntil(clock.nanoTime() + 3_000 * MS, MS, () -> { });
        got.addAll(drain(atB));

        assertThat(got).extracting(d -> ByteBuffer.wrap(d.data()).getInt())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, n).boxed().toList());
        assertThat(sent).allSatisfy(s -> assertThat(s.state()).isEqualTo(SegmentState.ACKED));
        assertThat(b.info().dccp().connections()).hasSize(1);
        assertThat(b.info().dccp().connections().get(0).peer()).as("B follows A to its newest port")
                .isEqualTo(relay.forB());
        assertThat(b.info().dccp().connections().get(0).state()).isEqualTo("OPEN");
    }

    @Test
    void oneAddressCannotOpenMoreThanItsShareOfConnections() throws Exception {
        DutyCycleEngine engine = (DutyCycleEngine) QSockets.init(EngineConfig.builder().name("crowd").clock(clock)
                .threadingMode(ThreadingMode.INVOKER).build());
        engineA = engine;
        b = socket(engine, 0);
        List<QSocket> clients = new ArrayList<>();
        try {
            int n = DccpSession.MAX_CONNECTIONS_PER_ADDRESS + 4;
            List<Segment> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                QSocket c = socket(engine, 0);
                clients.add(c);
                sent.add(c.send(packet(i, (InetSocketAddress) b.getLocalSocketAddress()), RELIABLE));
            }
            for (int t = 1; t <= 200; t++) {
                clock.set(t * MS);
                while (engine.doWork() > 0) {
                    Thread.onSpinWait();
                }
            }
            assertThat(b.info().dccp().connections()).hasSize(DccpSession.MAX_CONNECTIONS_PER_ADDRESS);
            assertThat(b.info().dccp().refusedPeers()).as("refusals, retransmitted handshakes included").isGreaterThanOrEqualTo(4);
            assertThat(sent).filteredOn(s -> s.state() == SegmentState.FAILED).hasSize(4);
        } finally {
            for (QSocket c : clients) {
                c.close();
            }
        }
    }

    /** A peer that vanishes (crash, broken path) is given up on every congestion control, without resending flat out. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(io.qsockets.CongestionControl.class)
    void aPeerThatVanishesIsGivenUpAfterTheIdleTimeoutAndResentToEverLessOften(io.qsockets.CongestionControl cc)
            throws Exception {
        congestionControl = cc;
        open(10);
        a.send(packet(0, relay.forA()), RELIABLE);
        relay.runUntil(clock.nanoTime() + 500 * MS, MS, () -> { });
        assertThat(drain(engineB.endpointFor(b.getLocalPort()).inbox())).hasSize(1);

        relay.dropFromB(datagram -> true); // B is gone: nothing more comes from it
        int[] transmissions = new int[1];
        relay.observe((now, direction, datagram) -> {
            if (direction == io.qsockets.linkemu.Direction.A_TO_B && SimulatedRelay.segmentIdOf(datagram) >= 0) {
                transmissions[0]++;
            }
        });
        long vanished = clock.nanoTime();
        List<Segment> sent = new ArrayList<>();
        long[] failedAt = {-1};
        for (int i = 1; i <= 5; i++) {
            sent.add(a.send(packet(i, relay.forA()), RELIABLE));
        }
        sent.get(0).outcome().thenRun(() -> failedAt[0] = clock.nanoTime());
        relay.runUntil(clock.nanoTime() + 8_000 * MS, 5 * MS, () -> { });

        assertThat(sent).allSatisfy(s -> assertThat(s.state()).isEqualTo(SegmentState.FAILED));
        long settled = failedAt[0] - vanished;
        assertThat(settled).as("given up after the 5 s peer idle timeout")
                .isBetween(QosParams.DEFAULT_PEER_IDLE_TIMEOUT.toNanos() - 600 * MS,
                        QosParams.DEFAULT_PEER_IDLE_TIMEOUT.toNanos() + 500 * MS);
        assertThat(a.info().dccp().connections()).as("its state is freed").isEmpty();
        assertThat(a.info().dccp().failures()).last().satisfies(f -> {
            assertThat(f.reason()).isEqualTo(io.qsockets.PeerFailure.Reason.SILENT);
            assertThat(f.failedPackets()).isEqualTo(5);
        });
        assertThat(transmissions[0]).as("transmissions of 5 segments in 5 s of silence: the loss timer backs off")
                .isLessThanOrEqualTo(5 * 12);
    }

    @Test
    void idlePeersStayConnectedThroughKeepalivesAndTalkAgainWithoutAHandshake() throws Exception {
        open(10);
        ReceiveQueue atB = engineB.endpointFor(b.getLocalPort()).inbox();
        a.send(packet(0, relay.forA()), RELIABLE);
        relay.runUntil(clock.nanoTime() + 500 * MS, MS, () -> { });
        assertThat(drain(atB)).hasSize(1);
        int[] packets = new int[2];
        relay.observe((now, direction, datagram) -> packets[direction.ordinal()]++);

        relay.runUntil(clock.nanoTime() + 30_000 * MS, 10 * MS, () -> { }); // half a minute of silence
        assertThat(packets[0] + packets[1]).as("keepalive packets in 30 s, both ways").isBetween(30, 130);
        assertThat(a.info().dccp().connections()).extracting(c -> c.state()).containsExactly("OPEN");
        assertThat(b.info().dccp().connections()).extracting(c -> c.state()).containsExactly("OPEN");

        int[] requests = new int[1];
        relay.observe((now, direction, datagram) -> {
            DccpHeader h = new DccpHeader().wrap(datagram, datagram.position(), datagram.remaining());
            if (h.validate() == ParseResult.OK && h.type() == DccpPacketType.REQUEST) {
                requests[0]++;
            }
        });
        Segment later = a.send(packet(1, relay.forA()), RELIABLE);
        relay.runUntil(clock.nanoTime() + 500 * MS, MS, () -> { });
        assertThat(drain(atB)).hasSize(1);
        assertThat(later.state()).isEqualTo(SegmentState.ACKED);
        assertThat(requests[0]).as("no new handshake").isZero();
    }

    /** RFC 4340 §14, RFC 6773 §3.7: no packet larger than the path allows, the handshake's included. */
    @Test
    void noPacketExceedsTheMaximumPacketSizeNotEvenWhileTheConnectionOpens() throws Exception {
        open(10);
        int[] largest = new int[1];
        relay.observe((now, direction, datagram) -> largest[0] = Math.max(largest[0], datagram.remaining()));
        int maxDatagram = QosParams.DEFAULT_MAX_PACKET_SIZE - 79;
        List<Segment> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            byte[] d = new byte[maxDatagram];
            ByteBuffer.wrap(d).putInt(i);
            sent.add(a.send(new DatagramPacket(d, d.length, relay.forA()), RELIABLE));
            b.send(new DatagramPacket(d, d.length, relay.forB()), RELIABLE);
        }
        relay.runUntil(clock.nanoTime() + 3_000 * MS, MS, () -> { });
        assertThat(drain(engineB.endpointFor(b.getLocalPort()).inbox())).hasSize(50);
        assertThat(drain(engineA.endpointFor(a.getLocalPort()).inbox())).hasSize(50);
        assertThat(sent).allSatisfy(s -> assertThat(s.state()).isEqualTo(SegmentState.ACKED));
        assertThat(largest[0]).as("the largest UDP payload on the wire")
                .isGreaterThan(maxDatagram).isLessThanOrEqualTo(QosParams.DEFAULT_MAX_PACKET_SIZE);
    }

    /** RFC 4340 §14.1: a DCCP sender SHOULD send every packet unfragmentable. */
    @Test
    void aDccpSocketSendsUnfragmentablePackets() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.qsockets.impl.transport.DontFragment.isSupported(),
                "native socket calls (Linux, JNA) are unavailable here");
        open(10);
        a.send(packet(0, relay.forA()), RELIABLE);
        relay.runUntil(clock.nanoTime() + 100 * MS, MS, () -> { });
        io.qsockets.impl.transport.ChannelPort port =
                (io.qsockets.impl.transport.ChannelPort) engineA.endpointFor(a.getLocalPort()).port();
        assertThat(io.qsockets.impl.transport.DontFragment.mode(port.descriptor())).isEqualTo(2); // IP_PMTUDISC_DO
    }

    @Test
    void whenTheHandshakesAckIsLostTheFirstDataAckCompletesItAndItsDataIsDelivered() throws Exception {
        open(10);
        // A's Request, B's Response, then A's Ack (dropped): A's next packet, a DataAck with the
        // Init Cookie, is the one that completes the handshake at B
        relay.dropFromA(ofType(DccpPacketType.ACK, new int[1], 0));
        Segment first = a.send(packet(0, relay.forA()), RELIABLE);
        relay.runUntil(clock.nanoTime() + 25 * MS, MS, () -> { }); // the Response has arrived, the Ack is gone
        Segment second = a.send(packet(1, relay.forA()), RELIABLE);
        relay.runUntil(clock.nanoTime() + 2_000 * MS, MS, () -> { });

        List<QDatagram> atB = drain(engineB.endpointFor(b.getLocalPort()).inbox());
        assertThat(atB).extracting(d -> ByteBuffer.wrap(d.data()).getInt()).containsExactly(0, 1);
        assertThat(first.state()).isEqualTo(SegmentState.ACKED);
        assertThat(second.state()).isEqualTo(SegmentState.ACKED);
        assertThat(b.info().dccp().malformedPackets()).as("malformed at B").isZero();
    }
}
