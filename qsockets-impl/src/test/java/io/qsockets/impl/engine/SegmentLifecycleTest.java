package io.qsockets.impl.engine;

import static io.qsockets.impl.engine.SimulatedLink.MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qsockets.BackPressure;
import io.qsockets.PacketFlags;
import io.qsockets.QSocket;
import io.qsockets.QosParams;
import io.qsockets.SchedulerAttributes;
import io.qsockets.Segment;
import io.qsockets.SegmentState;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Segment handles, late binding and back-pressure over the UDP transport on simulated time. */
@Timeout(30)
class SegmentLifecycleTest {

    private static QSocket open(SimulatedLink link, QosParams.Builder params) throws Exception {
        return new QSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                params.engine(link.engine).build());
    }

    @Test
    void segmentIsQueuedThenSent() throws Exception {
        try (SimulatedLink link = new SimulatedLink(); QSocket socket = open(link, QosParams.builder())) {
            Segment s = socket.send(link.packetTo(new byte[] {1, 2, 3}), PacketFlags.NONE);
            assertThat(s.state()).isEqualTo(SegmentState.QUEUED);
            assertThat(s.length()).isEqualTo(3);
            link.clock.set(7 * MS);
            link.runAt(7 * MS);
            assertThat(s.state()).isEqualTo(SegmentState.SENT);
            assertThat(s.outcome().toCompletableFuture().get(1, TimeUnit.SECONDS)).isEqualTo(SegmentState.SENT);
            assertThat(s.attempts()).isEqualTo(1);
            assertThat(s.lastTransmitNanos()).isEqualTo(7 * MS);
            assertThat(s.cancel()).isFalse();
            assertThat(link.receive(1).get(0)).containsExactly(1, 2, 3);
        }
    }

    @Test
    void cancelledSegmentIsNeverTransmitted() throws Exception {
        try (SimulatedLink link = new SimulatedLink(); QSocket socket = open(link, QosParams.builder())) {
            Segment cancelled = socket.send(link.packetTo(new byte[] {9}), PacketFlags.NONE);
            assertThat(cancelled.cancel()).isTrue();
            Segment kept = socket.send(link.packetTo(new byte[] {7}), PacketFlags.NONE);
            link.runAt(0);
            assertThat(cancelled.state()).isEqualTo(SegmentState.CANCELLED);
            assertThat(kept.state()).isEqualTo(SegmentState.SENT);
            assertThat(socket.info().sentPackets()).isEqualTo(1);
            assertThat(socket.info().queueLength()).isZero();
            assertThat(link.receive(1).get(0)).containsExactly(7);
        }
    }

    @Test
    void updateBeforeTransmissionChangesWhatLeaves() throws Exception {
        try (SimulatedLink link = new SimulatedLink();
                QSocket socket = open(link, QosParams.builder()
                        .attributes(SchedulerAttributes.paced(Duration.ofMillis(10))))) {
            socket.send(link.packetTo(new byte[] {1, 1, 1}), PacketFlags.NONE);
            Segment second = socket.send(link.packetTo(new byte[] {2, 2, 2}), PacketFlags.NONE);
            link.runAt(0);
            assertThat(second.update(new byte[] {5, 5})).isTrue();
            assertThatThrownBy(() -> second.update(new byte[4])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("4 bytes").hasMessageContaining("2 bytes");
            link.runAt(10 * MS);
            assertThat(second.update(new byte[] {6})).isFalse();
            assertThat(link.receive(2)).satisfiesExactly(
                    first -> assertThat(first).containsExactly(1, 1, 1),
                    updated -> assertThat(updated).containsExactly(5, 5));
            assertThat(socket.info().sentBytes()).isEqualTo(5);
        }
    }

    @Test
    void aRelaxedDeadlineKeepsADatagramThatWouldHaveBeenDroppedLate() throws Exception {
        try (SimulatedLink link = new SimulatedLink();
                QSocket socket = open(link, QosParams.builder()
                        .attributes(SchedulerAttributes.paced(Duration.ofMillis(10))))) {
            PacketFlags fiveMs = PacketFlags.NONE.withDeadline(Duration.ofMillis(5));
            socket.send(link.packetTo(new byte[1]), fiveMs);
            Segment relaxed = socket.send(link.packetTo(new byte[1]), fiveMs);
            Segment strict = socket.send(link.packetTo(new byte[1]), fiveMs);
            assertThat(relaxed.relaxDeadline(Duration.ofMillis(50))).isTrue();
            for (long t = 0; t <= 20; t++) {
                link.runAt(t * MS);
            }
            // the relaxed one leaves in time for its new deadline; the strict one's passed while it waited
            assertThat(relaxed.state()).isEqualTo(SegmentState.SENT);
            assertThat(strict.state()).isEqualTo(SegmentState.EXPIRED);
            assertThat(socket.info().latePackets()).isZero();
            assertThat(socket.info().droppedPackets()).isEqualTo(1);
            link.receive(2);
        }
    }

    @Test
    void dropBackPressureRefusesBeyondTheQueueBound() throws Exception {
        try (SimulatedLink link = new SimulatedLink();
                QSocket socket = open(link, QosParams.builder().sendQueueCapacity(2)
                        .backPressure(BackPressure.DROP))) {
            Segment a = socket.send(link.packetTo(new byte[10]), PacketFlags.NONE);
            Segment b = socket.send(link.packetTo(new byte[10]), PacketFlags.NONE);
            Segment c = socket.send(link.packetTo(new byte[10]), PacketFlags.NONE);
            socket.send(link.packetTo(new byte[10]));
            assertThat(c.state()).isEqualTo(SegmentState.DROPPED);
            assertThat(socket.info().queueLength()).isEqualTo(2);
            assertThat(socket.info().droppedPackets()).isEqualTo(2);
            assertThat(socket.info().droppedBytes()).isEqualTo(20);
            link.runAt(0);
            assertThat(a.state()).isEqualTo(SegmentState.SENT);
            assertThat(b.state()).isEqualTo(SegmentState.SENT);
            assertThat(socket.info().submittedPackets()).isEqualTo(4);
            link.receive(2);
        }
    }

    @Test
    void roomHeldBackInBatchesIsHandedBackWhenTheEngineRunsOutOfWork() throws Exception {
        // capacity 16: the engine hands room back 4 datagrams at a time, and all of it when idle
        try (SimulatedLink link = new SimulatedLink();
                QSocket socket = open(link, QosParams.builder().sendQueueCapacity(16)
                        .backPressure(BackPressure.DROP))) {
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 16; i++) {
                    socket.send(link.packetTo(new byte[10]));
                }
                assertThat(socket.info().queueLength()).isEqualTo(16);
                link.runAt(round * MS);
                assertThat(socket.info().queueLength()).isZero();
                link.receive(16);
            }
            assertThat(socket.info().droppedPackets()).isZero();
            assertThat(socket.info().sentPackets()).isEqualTo(48);
        }
    }

    @Test
    void blockBackPressureWaitsForRoom() throws Exception {
        try (SimulatedLink link = new SimulatedLink();
                QSocket socket = open(link, QosParams.builder().sendQueueCapacity(1))) {
            socket.send(link.packetTo(new byte[] {1}));
            CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
                try {
                    socket.send(link.packetTo(new byte[] {2}));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread waiter = awaitWaitingSender();
            assertThat(blocked).isNotDone();
            link.runAt(0); // the first leaves, the second gets its room
            blocked.get(5, TimeUnit.SECONDS);
            link.runAt(0);
            assertThat(link.receive(2)).extracting(p -> (int) p[0]).containsExactly(1, 2);
            assertThat(waiter).isNotNull();
        }
    }

    @Test
    void closeWakesABlockedSenderWithSocketException() throws Exception {
        try (SimulatedLink link = new SimulatedLink()) {
            QSocket socket = open(link, QosParams.builder().sendQueueCapacity(1));
            socket.send(link.packetTo(new byte[] {1}));
            CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    socket.send(link.packetTo(new byte[] {2}));
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            awaitWaitingSender();
            socket.close();
            assertThat(blocked.get(5, TimeUnit.SECONDS)).isInstanceOf(SocketException.class);
            link.runAt(0);
            // the datagram accepted before the close still leaves (within the linger)
            assertThat(socket.info().sentPackets()).isEqualTo(1);
            assertThat(socket.info().droppedPackets()).isZero();
            assertThat(link.receive(1)).containsExactly(new byte[] {1});
        }
    }

    @Test
    void engineCloseDropsQueuedDatagramsAndClosesItsSockets() throws Exception {
        SimulatedLink link = new SimulatedLink();
        QSocket socket = open(link, QosParams.builder().attributes(SchedulerAttributes.paced(Duration.ofSeconds(1))));
        socket.send(link.packetTo(new byte[1]));
        Segment queued = socket.send(link.packetTo(new byte[1]), PacketFlags.NONE);
        link.runAt(0);
        link.close();
        assertThat(queued.state()).isEqualTo(SegmentState.DROPPED);
        assertThat(socket.isClosed()).isTrue();
        assertThat(socket.info().droppedPackets()).isEqualTo(1);
        assertThat(socket.info().sentPackets()).isEqualTo(1);
        assertThatThrownBy(link.engine::doWork).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    /** Waits, without sleeping, until some thread is parked waiting for room in a send queue. */
    private static Thread awaitWaitingSender() {
        while (true) {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getState() == Thread.State.WAITING) {
                    for (StackTraceElement frame : t.getStackTrace()) {
                        if (frame.getClassName().equals(Endpoint.class.getName())) {
                            return t;
                        }
                    }
                }
            }
            Thread.onSpinWait();
        }
    }
}
