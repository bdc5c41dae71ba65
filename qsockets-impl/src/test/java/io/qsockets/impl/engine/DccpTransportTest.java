package io.qsockets.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qsockets.Engine;
import io.qsockets.EngineConfig;
import io.qsockets.ManualNanoClock;
import io.qsockets.QSocket;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.ThreadingMode;
import io.qsockets.Transport;
import io.qsockets.impl.dccp.ConnectionState;
import io.qsockets.impl.dccp.DccpConnection;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** QSockets on the DCCP transport talk to each other over connections they open and accept themselves. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DccpTransportTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static QosParams dccp(Engine engine) {
        return QosParams.builder().engine(engine).transport(Transport.DCCP).sendQueueCapacity(4096).build();
    }

    private static QSocket open(Engine engine) throws SocketException {
        QSocket s = new QSocket(new InetSocketAddress(LOOPBACK, 0), dccp(engine));
        s.setSoTimeout(5_000);
        return s;
    }

    private static byte[] payload(int i, int size) {
        byte[] b = new byte[size];
        for (int k = 0; k < size; k++) {
            b[k] = (byte) (i * 7 + k);
        }
        return b;
    }

    private static byte[] receive(QSocket s) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        s.receive(p);
        return java.util.Arrays.copyOf(p.getData(), p.getLength());
    }

    @Test
    void datagramsCrossAConnectionTheSenderOpensAndTheReceiverAcceptsBothWays() throws Exception {
        Engine engine = QSockets.init(EngineConfig.builder().name("dccp-real").build());
        try (QSocket a = open(engine); QSocket b = open(engine)) {
            int n = 300;
            for (int i = 0; i < n; i++) {
                byte[] d = payload(i, 100 + i);
                a.send(new DatagramPacket(d, d.length, b.getLocalSocketAddress()));
            }
            for (int i = 0; i < n; i++) {
                assertThat(receive(b)).as("datagram %d", i).isEqualTo(payload(i, 100 + i));
            }
            byte[] reply = {42};
            b.send(new DatagramPacket(reply, 1, a.getLocalSocketAddress()));
            DatagramPacket got = new DatagramPacket(new byte[16], 16);
            a.receive(got);
            assertThat(got.getLength()).isEqualTo(1);
            assertThat(got.getSocketAddress()).isEqualTo(b.getLocalSocketAddress());
            assertThat(a.info().sentPackets()).isEqualTo(n);
            assertThat(b.info().receivedPackets()).isEqualTo(n);
            io.qsockets.DccpStats atA = a.info().dccp();
            assertThat(atA.connections()).hasSize(1);
            io.qsockets.ConnectionInfo c = atA.connections().get(0);
            assertThat(c.peer()).isEqualTo(b.getLocalSocketAddress());
            assertThat(c.state()).isEqualTo("OPEN");
            assertThat(c.cwnd()).isPositive();
            assertThat(c.srttNanos()).isPositive();
            assertThat(c.rtoNanos()).isPositive();
            assertThat(c.packetsSent()).isGreaterThanOrEqualTo(n);
            assertThat(c.lossRate()).isBetween(0.0, 1.0);
            assertThat(b.info().dccp().connections()).extracting(io.qsockets.ConnectionInfo::peer)
                    .containsExactly((InetSocketAddress) a.getLocalSocketAddress());
            assertThat(a.info().toTable()).contains("dccp").contains("cwnd");
        } finally {
            engine.close();
        }
    }

    @Test
    void onSimulatedTimeTheHandshakeAndDataNeedNoWaiting() throws Exception {
        ManualNanoClock clock = new ManualNanoClock();
        DutyCycleEngine engine = (DutyCycleEngine) QSockets.init(EngineConfig.builder().name("dccp-sim").clock(clock)
                .threadingMode(ThreadingMode.INVOKER).build());
        try (QSocket a = open(engine); QSocket b = open(engine)) {
            b.setSoTimeout(1);
            for (int i = 0; i < 3; i++) {
                a.send(new DatagramPacket(payload(i, 10), 10, b.getLocalSocketAddress()));
            }
            List<byte[]> got = new ArrayList<>();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (got.size() < 3 && System.nanoTime() < end) {
                engine.doWork(); // the clock stands still: the handshake needs no timer
                try {
                    got.add(receive(b));
                } catch (SocketTimeoutException e) {
                    // not yet: another cycle
                }
            }
            assertThat(got).containsExactly(payload(0, 10), payload(1, 10), payload(2, 10));
            Endpoint ea = endpointOf(engine, a);
            List<DccpConnection> connections = ea.dccp().connections();
            assertThat(connections).hasSize(1);
            assertThat(connections.get(0).state()).isIn(ConnectionState.OPEN, ConnectionState.PARTOPEN);
            assertThat(clock.nanoTime()).isZero();
        } finally {
            engine.close();
        }
    }

    @Test
    void closingASocketClosesItsConnectionsAtThePeer() throws Exception {
        ManualNanoClock clock = new ManualNanoClock();
        DutyCycleEngine engine = (DutyCycleEngine) QSockets.init(EngineConfig.builder().name("dccp-close").clock(clock)
                .threadingMode(ThreadingMode.INVOKER).build());
        try (QSocket b = open(engine)) {
            QSocket a = open(engine);
            b.setSoTimeout(1);
            a.send(new DatagramPacket(new byte[] {1}, 1, b.getLocalSocketAddress()));
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            boolean received = false;
            while (!received && System.nanoTime() < end) {
                engine.doWork();
                try {
                    receive(b);
                    received = true;
                } catch (SocketTimeoutException e) {
                    // another cycle
                }
            }
            assertThat(received).isTrue();
            Endpoint eb = endpointOf(engine, b);
            DccpConnection atB = eb.dccp().connections().get(0);
            a.close(); // lets its datagram settle (b acknowledges it within its ack delay), then sends Close
            end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((atB.state() == ConnectionState.OPEN || atB.state() == ConnectionState.PARTOPEN)
                    && System.nanoTime() < end) {
                if (engine.doWork() == 0) {
                    clock.advance(TimeUnit.MILLISECONDS.toNanos(1));
                }
            }
            assertThat(atB.state()).isIn(ConnectionState.CLOSED, ConnectionState.TIMEWAIT, ConnectionState.CLOSING,
                    ConnectionState.CLOSEREQ);
        } finally {
            engine.close();
        }
    }

    @Test
    void datagramsWaitingForAConnectionThatNeverOpensExpireAtTheirDeadline() throws Exception {
        ManualNanoClock clock = new ManualNanoClock();
        DutyCycleEngine engine = (DutyCycleEngine) QSockets.init(EngineConfig.builder().name("dccp-expiry").clock(clock)
                .threadingMode(ThreadingMode.INVOKER).build());
        try (QSocket a = open(engine); DatagramSocket silent = new DatagramSocket(0, LOOPBACK)) {
            io.qsockets.PacketFlags tenMs = io.qsockets.PacketFlags.NONE.withDeadline(java.time.Duration.ofMillis(10));
            io.qsockets.Segment late = a.send(new DatagramPacket(new byte[8], 8, silent.getLocalSocketAddress()), tenMs);
            io.qsockets.Segment keeps = a.send(new DatagramPacket(new byte[8], 8, silent.getLocalSocketAddress()),
                    io.qsockets.PacketFlags.NONE);
            engine.doWork();
            assertThat(late.state()).isEqualTo(io.qsockets.SegmentState.QUEUED);
            clock.set(11_000_000);
            engine.doWork();
            assertThat(late.state()).isEqualTo(io.qsockets.SegmentState.EXPIRED);
            assertThat(keeps.state()).isEqualTo(io.qsockets.SegmentState.QUEUED);
            assertThat(a.info().dccp().expiredPackets()).isEqualTo(1);
            assertThat(a.info().dccp().connections()).extracting(io.qsockets.ConnectionInfo::state)
                    .containsExactly("REQUEST");
            assertThat(a.info().sentPackets()).isZero();
        } finally {
            engine.close();
        }
    }

    @Test
    void aUdpSocketReportsNoDccpSection() throws Exception {
        Engine engine = QSockets.init(EngineConfig.builder().name("udp-info").build());
        try (QSocket s = new QSocket(new InetSocketAddress(LOOPBACK, 0), QosParams.builder().engine(engine).build())) {
            assertThat(s.info().dccp()).isEqualTo(io.qsockets.DccpStats.NONE);
            assertThat(s.info().toTable()).doesNotContain("dccp");
        } finally {
            engine.close();
        }
    }

    @Test
    void aReceiveWithoutDataTimesOutAndACloseWakesAWaitingReceiver() throws Exception {
        Engine engine = QSockets.init(EngineConfig.builder().name("dccp-timeout").build());
        try {
            QSocket s = open(engine);
            s.setSoTimeout(50);
            assertThatThrownBy(() -> receive(s)).isInstanceOf(SocketTimeoutException.class);
            s.setSoTimeout(0);
            CompletableFuture<Throwable> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    receive(s);
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            s.close();
            assertThat(waiter.get(5, TimeUnit.SECONDS)).isInstanceOf(SocketException.class);
        } finally {
            engine.close();
        }
    }

    @Test
    void aPayloadDccpCannotCarryIsRefusedWithAReason() throws Exception {
        Engine engine = QSockets.init(EngineConfig.builder().name("dccp-refused").build());
        try (QSocket s = open(engine)) {
            byte[] huge = new byte[65_507];
            assertThatThrownBy(() -> s.send(new DatagramPacket(huge, huge.length, s.getLocalSocketAddress())))
                    .isInstanceOf(SocketException.class).hasMessageContaining("largest DCCP payload");
        } finally {
            engine.close();
        }
    }

    /** The engine-side endpoint of {@code s}: found through the engine's streams. */
    private static Endpoint endpointOf(DutyCycleEngine engine, QSocket s) {
        return engine.endpointFor(s.getLocalPort());
    }
}
