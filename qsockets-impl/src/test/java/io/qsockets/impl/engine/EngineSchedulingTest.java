package io.qsockets.impl.engine;

import static io.qsockets.impl.engine.SimulatedLink.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.QSocket;
import io.qsockets.QosParams;
import io.qsockets.SchedulerAttributes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine's transmit rules on simulated time: egress rate, per-socket pacing, change(). */
@Timeout(30)
class EngineSchedulingTest {

    private static QSocket open(SimulatedLink link, SchedulerAttributes attributes) throws Exception {
        return new QSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                QosParams.builder().engine(link.engine).attributes(attributes).build());
    }

    /** Steps 1 ms at a time up to {@code untilMs} and returns the millisecond of each departure. */
    private static List<Long> departures(SimulatedLink link, QSocket socket, long untilMs) {
        List<Long> times = new ArrayList<>();
        long before = socket.info().sentPackets();
        for (long t = link.clock.nanoTime() / MS; t <= untilMs; t++) {
            link.runAt(t * MS);
            long sent = socket.info().sentPackets();
            for (long k = before; k < sent; k++) {
                times.add(t);
            }
            before = sent;
        }
        return times;
    }

    @Test
    void egressRateSpacesUnpacedDatagramsByTheirWireTime() throws Exception {
        // 97 B payload + 28 B of IPv4 and UDP headers = 1000 bits: 1 ms each at 1 Mbit/s
        try (SimulatedLink link = new SimulatedLink(1_000_000);
                QSocket socket = open(link, SchedulerAttributes.unpaced())) {
            for (int i = 0; i < 5; i++) {
                socket.send(link.packetTo(new byte[97]));
            }
            assertThat(departures(link, socket, 10)).containsExactly(0L, 1L, 2L, 3L, 4L);
            link.receive(5);
        }
    }

    @Test
    void socketsArePacedIndependently() throws Exception {
        try (SimulatedLink link = new SimulatedLink();
                QSocket fast = open(link, SchedulerAttributes.paced(Duration.ofMillis(10)));
                QSocket slow = open(link, SchedulerAttributes.paced(Duration.ofMillis(25)))) {
            for (int i = 0; i < 4; i++) {
                fast.send(link.packetTo(new byte[10]));
                slow.send(link.packetTo(new byte[10]));
            }
            List<Long> fastTimes = new ArrayList<>();
            List<Long> slowTimes = new ArrayList<>();
            long fastBefore = 0;
            long slowBefore = 0;
            for (long t = 0; t <= 100; t++) {
                link.runAt(t * MS);
                for (long k = fastBefore; k < fast.info().sentPackets(); k++) {
                    fastTimes.add(t);
                }
                for (long k = slowBefore; k < slow.info().sentPackets(); k++) {
                    slowTimes.add(t);
                }
                fastBefore = fast.info().sentPackets();
                slowBefore = slow.info().sentPackets();
            }
            assertThat(fastTimes).containsExactly(0L, 10L, 20L, 30L);
            assertThat(slowTimes).containsExactly(0L, 25L, 50L, 75L);
            link.receive(8);
        }
    }

    @Test
    void changeAppliesToDatagramsAlreadyQueued() throws Exception {
        try (SimulatedLink link = new SimulatedLink();
                QSocket socket = open(link, SchedulerAttributes.paced(Duration.ofMillis(20)))) {
            for (int i = 0; i < 5; i++) {
                socket.send(link.packetTo(new byte[10]));
            }
            link.runAt(0);
            assertThat(socket.info().sentPackets()).isEqualTo(1);
            socket.change(socket.params().toBuilder().attributes(SchedulerAttributes.paced(Duration.ofMillis(5)))
                    .build());
            assertThat(departures(link, socket, 40)).containsExactly(5L, 10L, 15L, 20L);
            assertThat(socket.params().attributes().periodNanos()).isEqualTo(5 * MS);
            link.receive(5);
        }
    }

    @Test
    void infoReportsQueueDelayAndLateness() throws Exception {
        try (SimulatedLink link = new SimulatedLink();
                QSocket socket = open(link, SchedulerAttributes.paced(Duration.ofMillis(10)))) {
            // non-droppable: sent late rather than dropped when the deadline passes
            var flags = io.qsockets.PacketFlags.builder().deadline(Duration.ofMillis(15)).nonDroppable(true).build();
            for (int i = 0; i < 4; i++) {
                socket.send(link.packetTo(new byte[100]), flags);
            }
            departures(link, socket, 40);
            var info = socket.info();
            // departures at 0, 10, 20, 30 ms; deadlines at 15 ms: the last two are late
            assertThat(info.submittedPackets()).isEqualTo(4);
            assertThat(info.submittedBytes()).isEqualTo(400);
            assertThat(info.sentPackets()).isEqualTo(4);
            assertThat(info.sentBytes()).isEqualTo(400);
            assertThat(info.latePackets()).isEqualTo(2);
            assertThat(info.droppedPackets()).isZero();
            assertThat(info.queueLength()).isZero();
            assertThat(info.queueDelayMeanNanos()).isEqualTo(15 * MS);
            assertThat(info.queueDelayP99Nanos()).isBetween(29 * MS, 31 * MS);
            assertThat(info.achievedPacketsPerSecond()).isEqualTo(100.0);
            assertThat(info.achievedBitsPerSecond()).isEqualTo(100.0 * 100 * 8);
            assertThat(info.toTable()).contains("late").contains("queue delay p99");
            link.receive(4);
        }
    }
}
