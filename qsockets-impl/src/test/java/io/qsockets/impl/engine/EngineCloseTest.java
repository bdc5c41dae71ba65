package io.qsockets.impl.engine;

import static io.qsockets.impl.engine.SimulatedLink.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qsockets.PacketFlags;
import io.qsockets.QSocket;
import io.qsockets.QosParams;
import io.qsockets.SchedulerAttributes;
import io.qsockets.Segment;
import io.qsockets.SegmentState;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Closing and flushing on simulated time: a close lets the queue leave at its pace within the
 * linger (counted on the engine's clock), discards and counts what is left when the linger
 * passes, and only then frees the port.
 */
@Timeout(30)
class EngineCloseTest {

    private static QSocket open(SimulatedLink link, QosParams.Builder params) throws Exception {
        return new QSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                params.engine(link.engine).build());
    }

    private static boolean portIsFree(int port) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            return true;
        } catch (SocketException e) {
            return false;
        }
    }

    @Test
    void closeLetsThePacedQueueLeaveWithinTheLingerThenDiscardsTheRest() throws Exception {
        try (SimulatedLink link = new SimulatedLink()) {
            QSocket socket = open(link, QosParams.builder().attributes(SchedulerAttributes.paced(Duration.ofMillis(10)))
                    .linger(Duration.ofMillis(25)));
            int port = socket.getLocalPort();
            List<Segment> segments = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                segments.add(socket.send(link.packetTo(new byte[] {(byte) i}), PacketFlags.NONE));
            }
            socket.close(); // INVOKER: returns at once, the engine finishes the close as it runs
            assertThat(socket.isClosed()).isTrue();
            assertThatThrownBy(() -> socket.send(link.packetTo(new byte[1]))).isInstanceOf(SocketException.class);
            for (long t = 0; t <= 20 * MS; t += MS) {
                link.runAt(t);
            }
            assertThat(segments).extracting(Segment::state).containsExactly(SegmentState.SENT, SegmentState.SENT,
                    SegmentState.SENT, SegmentState.QUEUED, SegmentState.QUEUED);
            assertThat(portIsFree(port)).as("the port stays bound while the close drains").isFalse();
            link.runAt(24 * MS);
            assertThat(segments.get(3).state()).isEqualTo(SegmentState.QUEUED);
            link.runAt(25 * MS); // the linger passed
            assertThat(segments).extracting(Segment::state).endsWith(SegmentState.DROPPED, SegmentState.DROPPED);
            assertThat(socket.info().sentPackets()).isEqualTo(3);
            assertThat(socket.info().droppedPackets()).isEqualTo(2);
            assertThat(portIsFree(port)).isTrue();
            assertThat(link.receive(3)).extracting(b -> (int) b[0]).containsExactly(0, 1, 2);
        }
    }

    @Test
    void aDrainedCloseFinishesAtTheNextCycleAndFreesThePort() throws Exception {
        try (SimulatedLink link = new SimulatedLink()) {
            QSocket socket = open(link, QosParams.builder());
            int port = socket.getLocalPort();
            socket.send(link.packetTo(new byte[] {7}));
            link.runAt(0);
            socket.close();
            link.runAt(0);
            assertThat(portIsFree(port)).isTrue();
            assertThat(socket.info().sentPackets()).isEqualTo(1);
            assertThat(socket.info().droppedPackets()).isZero();
        }
    }

    @Test
    void zeroLingerDiscardsAtOnce() throws Exception {
        try (SimulatedLink link = new SimulatedLink()) {
            QSocket socket = open(link, QosParams.builder().attributes(SchedulerAttributes.paced(Duration.ofSeconds(1)))
                    .linger(Duration.ZERO));
            Segment first = socket.send(link.packetTo(new byte[] {1}), PacketFlags.NONE);
            Segment second = socket.send(link.packetTo(new byte[] {2}), PacketFlags.NONE);
            link.runAt(0);
            socket.close();
            link.runAt(0);
            assertThat(first.state()).isEqualTo(SegmentState.SENT);
            assertThat(second.state()).isEqualTo(SegmentState.DROPPED);
            assertThat(socket.info().droppedPackets()).isEqualTo(1);
        }
    }

    @Test
    void flushOnTheEngineThreadIsRefusedRatherThanStoppingTheEngine() throws Exception {
        try (io.qsockets.Engine engine = io.qsockets.QSockets.init(io.qsockets.EngineConfig.builder()
                .name("flush-on-engine").build());
                DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                QSocket socket = new QSocket(QosParams.builder().engine(engine)
                        .attributes(SchedulerAttributes.paced(Duration.ofMillis(200))).build())) {
            java.util.concurrent.CompletableFuture<Throwable> thrown = new java.util.concurrent.CompletableFuture<>();
            java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[1], 1, peer.getLocalSocketAddress());
            socket.send(p);
            Segment s = socket.send(p, PacketFlags.NONE); // leaves a period later, long after the callback is set
            s.outcome().thenRun(() -> { // a segment's outcome completes on the engine thread
                try {
                    socket.flush(Duration.ofSeconds(1));
                    thrown.complete(null);
                } catch (Throwable t) {
                    thrown.complete(t);
                }
            });
            assertThat(thrown.get(5, java.util.concurrent.TimeUnit.SECONDS))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("engine's own thread");
        }
    }
}
