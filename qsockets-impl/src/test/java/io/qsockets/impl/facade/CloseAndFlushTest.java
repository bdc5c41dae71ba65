package io.qsockets.impl.facade;

import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.QInfo;
import io.qsockets.QosParams;
import io.qsockets.SchedulerAttributes;
import io.qsockets.Transport;
import io.qsockets.impl.facade.Facade.Sender;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@code DatagramSocket} users write, from the outside, against every facade and both
 * transports: a send followed by a close loses nothing, a paced socket's close lets its queue
 * leave, a linger of zero discards (and counts) what waits, a linger bounds how long close waits,
 * flush waits for the queue to drain, and the port is free when close returns. Real loopback
 * sockets, default engines, public API only.
 */
@Timeout(60)
class CloseAndFlushTest {

    static Stream<Arguments> facades() {
        List<Arguments> all = new ArrayList<>();
        for (Facade f : Facade.values()) {
            for (Transport t : Transport.values()) {
                all.add(Arguments.of(f, t));
            }
        }
        return all.stream();
    }

    private static QosParams.Builder params(Transport transport) {
        return QosParams.builder().transport(transport);
    }

    private static byte[] payload(int i) {
        return new byte[] {(byte) i, (byte) (i >> 8), 42};
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("facades")
    void sendThenCloseLosesNothing(Facade facade, Transport transport) throws Exception {
        try (DatagramSocket peer = Facade.peer(transport)) {
            for (int i = 0; i < 20; i++) {
                try (Sender s = facade.open(params(transport).build())) {
                    s.send(payload(i), peer.getLocalSocketAddress());
                }
            }
            assertThat(Facade.receive(peer, 20, Duration.ofSeconds(2))).hasSize(20);
        }
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("facades")
    void pacedSendThenCloseLosesNothing(Facade facade, Transport transport) throws Exception {
        try (DatagramSocket peer = Facade.peer(transport)) {
            for (int i = 0; i < 10; i++) {
                try (Sender s = facade.open(params(transport).attributes(SchedulerAttributes.rate(1000)).build())) {
                    for (int k = 0; k < 3; k++) {
                        s.send(payload(3 * i + k), peer.getLocalSocketAddress());
                    }
                }
            }
            assertThat(Facade.receive(peer, 30, Duration.ofSeconds(2))).hasSize(30);
        }
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("facades")
    void zeroLingerDiscardsWhatWaitsAndCountsIt(Facade facade, Transport transport) throws Exception {
        try (DatagramSocket peer = Facade.peer(transport)) {
            Sender s = facade.open(params(transport).attributes(SchedulerAttributes.rate(2))
                    .linger(Duration.ZERO).build());
            for (int i = 0; i < 5; i++) {
                s.send(payload(i), peer.getLocalSocketAddress());
            }
            long start = System.nanoTime();
            s.close();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            QInfo info = s.info();
            // one may have left before the close; the rest never will
            assertThat(info.droppedPackets()).isGreaterThanOrEqualTo(4);
            assertThat(info.droppedPackets() + info.sentPackets()).isEqualTo(5);
            assertThat(Facade.receive(peer, 5, Duration.ofMillis(700)).size()).isLessThanOrEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("facades")
    void lingerBoundsHowLongCloseWaits(Facade facade, Transport transport) throws Exception {
        try (DatagramSocket peer = Facade.peer(transport)) {
            Sender s = facade.open(params(transport).attributes(SchedulerAttributes.rate(20))
                    .linger(Duration.ofMillis(300)).build());
            for (int i = 0; i < 50; i++) {
                s.send(payload(i), peer.getLocalSocketAddress());
            }
            long start = System.nanoTime();
            s.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(250)).isLessThan(Duration.ofMillis(1_300));
            QInfo info = s.info();
            assertThat(info.sentPackets()).isBetween(3L, 12L);
            assertThat(info.sentPackets() + info.droppedPackets()).isEqualTo(50);
            assertThat(Facade.receive(peer, 50, Duration.ofSeconds(1))).hasSize((int) info.sentPackets());
        }
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("facades")
    void flushWaitsUntilTheQueueHasDrained(Facade facade, Transport transport) throws Exception {
        try (DatagramSocket peer = Facade.peer(transport);
                Sender s = facade.open(params(transport).attributes(SchedulerAttributes.rate(200)).build())) {
            for (int i = 0; i < 20; i++) {
                s.send(payload(i), peer.getLocalSocketAddress());
            }
            assertThat(s.flush(Duration.ZERO)).as("20 datagrams at 200/s are not gone at once").isFalse();
            assertThat(s.flush(Duration.ofSeconds(5))).isTrue();
            assertThat(s.info().queueLength()).isZero();
            assertThat(s.info().sentPackets()).isEqualTo(20);
            assertThat(s.flush(Duration.ZERO)).isTrue();
            assertThat(Facade.receive(peer, 20, Duration.ofSeconds(2))).hasSize(20);
        }
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("facades")
    void flushTimesOutWhileThePaceHoldsTheQueue(Facade facade, Transport transport) throws Exception {
        try (DatagramSocket peer = Facade.peer(transport);
                Sender s = facade.open(params(transport).attributes(SchedulerAttributes.rate(10))
                        .linger(Duration.ZERO).build())) {
            for (int i = 0; i < 10; i++) {
                s.send(payload(i), peer.getLocalSocketAddress());
            }
            long start = System.nanoTime();
            assertThat(s.flush(Duration.ofMillis(150))).isFalse();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
            assertThat(s.info().queueLength()).isPositive();
        }
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("facades")
    void portIsFreeWhenCloseReturnsWithDatagramsQueued(Facade facade, Transport transport) throws Exception {
        try (DatagramSocket peer = Facade.peer(transport)) {
            Sender s = facade.open(params(transport).attributes(SchedulerAttributes.rate(100)).build());
            int port = s.localPort();
            for (int i = 0; i < 5; i++) {
                s.send(payload(i), peer.getLocalSocketAddress());
            }
            s.close();
            assertThat(s.info().sentPackets()).isEqualTo(5);
            try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(Facade.LOOPBACK, port))) {
                assertThat(again.getLocalPort()).isEqualTo(port);
            }
            assertThat(Facade.receive(peer, 5, Duration.ofSeconds(2))).hasSize(5);
        }
    }
}
