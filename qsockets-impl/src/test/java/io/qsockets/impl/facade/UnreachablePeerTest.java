package io.qsockets.impl.facade;

import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.PeerFailure;
import io.qsockets.QSocket;
import io.qsockets.QosParams;
import io.qsockets.Segment;
import io.qsockets.SegmentState;
import io.qsockets.Transport;
import io.qsockets.impl.facade.Facade.Sender;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A DCCP socket whose peer cannot be reached, or is not on the DCCP transport, learns it as an
 * outcome within its connect timeout: every datagram waiting for the peer ends FAILED with a reason
 * in {@code info()}, senders blocked on a full queue wake, and the next send tries again. Real
 * loopback sockets, public API only, against every facade that offers the DCCP transport.
 */
@Timeout(60)
class UnreachablePeerTest {

    static Stream<Facade> facades() {
        return Stream.of(Facade.values());
    }

    private static QosParams.Builder dccp() {
        return QosParams.builder().transport(Transport.DCCP);
    }

    /** A loopback port where nothing listens: bound once, then closed. */
    private static InetSocketAddress closedPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, Facade.LOOPBACK)) {
            return (InetSocketAddress) s.getLocalSocketAddress();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("facades")
    void aPortWhereNothingListensFailsTheDatagramsAtOnceAndTheNextSendTriesAgain(Facade facade) throws Exception {
        InetSocketAddress nobody = closedPort();
        // the sockets the library owns read the host's ICMP port unreachable from their error queue;
        // an attached socket, which the application could close under the engine, waits for the timeout
        boolean owned = facade == Facade.QSOCKET || facade == Facade.CHANNEL;
        try (Sender s = facade.open(dccp().connectTimeout(Duration.ofMillis(owned ? 3_000 : 800)).build())) {
            long start = System.nanoTime();
            Segment first = s.sendSegment(new byte[] {1}, nobody);
            assertThat(first.outcome().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(SegmentState.FAILED);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(owned ? 1_000 : 2_000));
            assertThat(s.info().dccp().failures()).last().satisfies(f -> {
                assertThat(f.peer()).isEqualTo(nobody);
                assertThat(f.reason()).isEqualTo(owned ? PeerFailure.Reason.PORT_UNREACHABLE
                        : PeerFailure.Reason.CONNECT_TIMEOUT);
                assertThat(f.detail()).contains(nobody.toString());
            });
            assertThat(s.info().dccp().failedPackets()).isEqualTo(1);

            // someone starts listening there: the next send opens a connection and is delivered
            try (QSocket listener = new QSocket(nobody, dccp().build())) {
                Segment again = s.sendSegment(new byte[] {2}, nobody);
                assertThat(Facade.receive(listener, 1, Duration.ofSeconds(5))).singleElement()
                        .satisfies(p -> assertThat(p).containsExactly(2));
                assertThat(again.outcome().toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(SegmentState.ACKED);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("facades")
    void blockedSendersToAnUnreachablePeerAllComplete(Facade facade) throws Exception {
        InetSocketAddress nobody = closedPort();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Sender s = facade.open(dccp().sendQueueCapacity(4).connectTimeout(Duration.ofMillis(500)).build())) {
            Future<?> sends = pool.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    s.send(new byte[] {(byte) i}, nobody); // blocks while 4 wait for the peer
                }
                return null;
            });
            sends.get(15, TimeUnit.SECONDS);
            assertThat(s.flush(Duration.ofSeconds(5))).isTrue();
            assertThat(s.info().dccp().failedPackets()).isEqualTo(10);
            assertThat(s.info().submittedPackets()).isEqualTo(10);
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("facades")
    void aSilentPeerFailsTheDatagramsAfterTheConnectTimeout(Facade facade) throws Exception {
        // a plain UDP socket that reads the DCCP Requests as data and never answers
        try (DatagramSocket silent = new DatagramSocket(0, Facade.LOOPBACK);
                Sender s = facade.open(dccp().connectTimeout(Duration.ofMillis(600)).build())) {
            long start = System.nanoTime();
            Segment seg = s.sendSegment(new byte[] {1}, silent.getLocalSocketAddress());
            assertThat(seg.outcome().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(SegmentState.FAILED);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(550),
                    Duration.ofSeconds(3));
            assertThat(s.info().dccp().failures()).last().satisfies(f -> {
                assertThat(f.reason()).isEqualTo(PeerFailure.Reason.CONNECT_TIMEOUT);
                assertThat(f.detail()).contains("connect timeout", "Transport.DCCP");
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("facades")
    void aPeerOnTheUdpTransportIsReportedAsAMismatch(Facade facade) throws Exception {
        try (DatagramSocket plain = new DatagramSocket(0, Facade.LOOPBACK);
                Sender s = facade.open(dccp().connectTimeout(Duration.ofSeconds(2)).build())) {
            plain.setSoTimeout(5_000);
            InetSocketAddress dccpSide = new InetSocketAddress(Facade.LOOPBACK, s.localPort());
            CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> {
                try { // the plain peer answers what it got (a DCCP Request) with plain data
                    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
                    plain.receive(p);
                    plain.send(new DatagramPacket("hello?".getBytes(), 6, dccpSide));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Segment seg = s.sendSegment(new byte[] {1}, plain.getLocalSocketAddress());
            echo.get(5, TimeUnit.SECONDS);
            assertThat(seg.outcome().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(SegmentState.FAILED);
            assertThat(s.info().dccp().notDccpPackets()).isEqualTo(1);
            assertThat(s.info().dccp().failures()).last().satisfies(f -> {
                assertThat(f.reason()).isEqualTo(PeerFailure.Reason.TRANSPORT_MISMATCH);
                assertThat(f.detail()).contains("UDP transport");
            });
        }
    }

    @Test
    void aDccpReceiverCountsPlainDatagramsAndDeliversNone() throws Exception {
        try (QSocket receiver = new QSocket(new InetSocketAddress(Facade.LOOPBACK, 0), dccp().build());
                DatagramSocket plain = new DatagramSocket(0, Facade.LOOPBACK)) {
            for (int i = 0; i < 3; i++) {
                plain.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, receiver.getLocalSocketAddress()));
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (receiver.info().dccp().notDccpPackets() < 3 && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertThat(receiver.info().dccp().notDccpPackets()).isEqualTo(3);
            assertThat(Facade.receive(receiver, 1, Duration.ofMillis(200))).isEmpty();
        }
    }

    @Test
    void failuresAreListedMostRecentLastAndBounded() throws Exception {
        List<InetSocketAddress> nobodies = new ArrayList<>();
        for (int i = 0; i < io.qsockets.DccpStats.MAX_FAILURES + 2; i++) {
            nobodies.add(closedPort());
        }
        try (QSocket s = new QSocket(new InetSocketAddress(Facade.LOOPBACK, 0), dccp().build())) {
            List<Segment> sent = new ArrayList<>();
            for (InetSocketAddress to : nobodies) {
                sent.add(s.send(new DatagramPacket(new byte[1], 1, to), io.qsockets.PacketFlags.NONE));
            }
            for (Segment seg : sent) {
                assertThat(seg.outcome().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(SegmentState.FAILED);
            }
            assertThat(s.info().dccp().failures()).hasSize(io.qsockets.DccpStats.MAX_FAILURES);
            assertThat(s.info().dccp().failedPackets()).isEqualTo(nobodies.size());
        }
    }
}
