package io.qsockets.impl.engine;

import static io.qsockets.impl.engine.SimulatedLink.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.QSocket;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.SchedulerAttributes;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A legacy DatagramSocket attached and paced at 50 packets/s, checked on simulated time. */
@Timeout(30)
class AttachedPacingTest {

    @Test
    void burstOfTenLeavesExactlyEveryTwentyMilliseconds() throws Exception {
        try (SimulatedLink link = new SimulatedLink();
                DatagramSocket legacy = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            QSocket paced = QSockets.attach(legacy,
                    QosParams.builder().engine(link.engine).attributes(SchedulerAttributes.rate(50)).build());
            for (int i = 0; i < 10; i++) {
                paced.send(link.packetTo(new byte[] {(byte) i}));
            }
            // Release k is due at k * 20 ms: sent(t) = min(10, floor(t / 20 ms) + 1).
            List<Long> departures = new ArrayList<>();
            long sentBefore = 0;
            for (long t = 0; t <= 250 * MS; t += MS) {
                link.runAt(t);
                long sent = paced.info().sentPackets();
                for (long k = sentBefore; k < sent; k++) {
                    departures.add(t / MS);
                }
                sentBefore = sent;
            }
            assertThat(departures).containsExactly(0L, 20L, 40L, 60L, 80L, 100L, 120L, 140L, 160L, 180L);
            assertThat(link.receive(10)).extracting(b -> (int) b[0]).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            assertThat(paced.info().achievedPacketsPerSecond()).isEqualTo(50.0);
            assertThat(paced.info().interDepartureJitterNanos()).isZero();
        }
    }

    @Test
    void engineReportsTheNextReleaseAsItsDeadline() throws Exception {
        try (SimulatedLink link = new SimulatedLink();
                DatagramSocket legacy = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            QSocket paced = QSockets.attach(legacy,
                    QosParams.builder().engine(link.engine).attributes(SchedulerAttributes.rate(50)).build());
            for (int i = 0; i < 3; i++) {
                paced.send(link.packetTo(new byte[100]));
            }
            link.runAt(0);
            // jump straight from deadline to deadline: no polling between releases
            List<Long> deadlines = new ArrayList<>();
            long next;
            while ((next = link.engine.nextDeadlineNanos()) != Long.MAX_VALUE) {
                deadlines.add(next / MS);
                link.runAt(next);
            }
            assertThat(deadlines).containsExactly(20L, 40L);
            assertThat(paced.info().sentPackets()).isEqualTo(3);
            link.receive(3);
        }
    }

    @Test
    void sendsSpacedWiderThanThePeriodLeaveAtOnce() throws Exception {
        try (SimulatedLink link = new SimulatedLink();
                DatagramSocket legacy = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            QSocket paced = QSockets.attach(legacy,
                    QosParams.builder().engine(link.engine).attributes(SchedulerAttributes.rate(50)).build());
            for (int i = 0; i < 5; i++) {
                link.runAt(i * 30 * MS);
                paced.send(link.packetTo(new byte[] {(byte) i}));
                link.runAt(i * 30 * MS);
                assertThat(paced.info().sentPackets()).isEqualTo(i + 1);
            }
            assertThat(paced.info().queueDelayP99Nanos()).isZero();
            link.receive(5);
        }
    }
}
