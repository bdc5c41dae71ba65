package io.qsockets.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.DwcsAttributes;
import io.qsockets.DwcsAttributes.Flag;
import io.qsockets.Engine;
import io.qsockets.EngineConfig;
import io.qsockets.ManualNanoClock;
import io.qsockets.PacketFlags;
import io.qsockets.QInfo;
import io.qsockets.QSocket;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.SchedulerAttributes;
import io.qsockets.Segment;
import io.qsockets.SegmentState;
import io.qsockets.ThreadingMode;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The "dwcs" and "edf" disciplines wired into an INVOKER engine on simulated time, with an egress
 * rate below the offered load. A 97-byte datagram is 1 000 bits on the wire with its IPv4 and UDP
 * headers: 1 ms at 1 Mbit/s.
 */
@Timeout(60)
class DwcsEngineTest {
    private static final long MS = 1_000_000;
    private static final long STEP = MS / 4;

    private final ManualNanoClock clock = new ManualNanoClock();
    private DatagramSocket receiver;
    private Engine engine;

    @BeforeEach
    void openReceiver() throws Exception {
        receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
        receiver.close();
    }

    private void start(String scheduler) {
        engine = QSockets.init(EngineConfig.builder().name(scheduler + "-engine-test").clock(clock)
                .threadingMode(ThreadingMode.INVOKER).scheduler(scheduler).egressRate(1_000_000).build());
    }

    private QSocket open(SchedulerAttributes attributes) throws Exception {
        return new QSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                QosParams.builder().engine(engine).attributes(attributes).sendQueueCapacity(4096).build());
    }

    private DatagramPacket datagram() {
        return new DatagramPacket(new byte[97], 97, receiver.getLocalSocketAddress());
    }

    private void runAt(long nanos) {
        clock.set(nanos);
        while (engine.doWork() > 0) {
            // a batch limit may leave work for the next cycle
        }
    }

    /** @return the most segments that did not leave (expired or dropped) in any block [ky, (k+1)y) */
    private static int worstWindow(List<Segment> segments, int y) {
        int worst = 0;
        for (int start = 0; start + y <= segments.size(); start += y) {
            int lost = 0;
            for (int k = start; k < start + y; k++) {
                lost += segments.get(k).state() == SegmentState.SENT ? 0 : 1;
            }
            worst = Math.max(worst, lost);
        }
        return worst;
    }

    @Test
    void overloadedLinkKeepsEachSocketWithinItsLossTolerance() throws Exception {
        // Three sockets, one datagram every 2 ms each: 1.5 datagrams per ms on a link that carries
        // one. Their minimum needs: (1 − 1/2)/2 + (1 − 2/4)/2 + (1 − 0/1)/2 = 1 datagram per ms.
        start("dwcs");
        DwcsAttributes half = DwcsAttributes.of(Duration.ofMillis(2), 1, 2);
        DwcsAttributes twoOfFour = DwcsAttributes.of(Duration.ofMillis(2), 2, 4);
        DwcsAttributes never = DwcsAttributes.of(Duration.ofMillis(2), 0, 1, Flag.NON_DROPPABLE);
        int periods = 1_000;
        try (QSocket a = open(half); QSocket b = open(twoOfFour); QSocket c = open(never)) {
            List<List<Segment>> segments = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            List<QSocket> sockets = List.of(a, b, c);
            for (long t = 0; t < (periods * 2 + 10) * MS; t += STEP) {
                clock.set(t);
                if (t % (2 * MS) == 0 && t < periods * 2 * MS) {
                    for (int i = 0; i < 3; i++) {
                        segments.get(i).add(sockets.get(i).send(datagram(), PacketFlags.NONE));
                    }
                }
                runAt(t);
            }
            int[] tolerance = {1, 2, 0};
            int[] window = {2, 4, 1};
            for (int i = 0; i < 3; i++) {
                QInfo info = sockets.get(i).info();
                List<Segment> mine = segments.get(i);
                assertThat(mine).allMatch(s -> s.state() == SegmentState.SENT || s.state() == SegmentState.EXPIRED);
                long expired = mine.stream().filter(s -> s.state() == SegmentState.EXPIRED).count();
                assertThat(worstWindow(mine, window[i])).as("socket %d", i).isLessThanOrEqualTo(tolerance[i]);
                assertThat(info.scheduler()).isEqualTo("dwcs");
                assertThat(info.submittedPackets()).isEqualTo(periods);
                assertThat(info.sentPackets() + info.droppedPackets()).isEqualTo(periods);
                assertThat(info.droppedPackets()).isEqualTo(expired);
                assertThat(info.schedulerStats().violations()).as("socket %d", i).isZero();
                assertThat(info.schedulerStats().dropped()).isEqualTo(expired);
                assertThat(info.schedulerStats().missed()).isEqualTo(expired);
                assertThat(info.schedulerStats().serviced()).isEqualTo(info.sentPackets());
                assertThat(info.toTable()).contains("violations 0");
            }
            // the link was full: a and b lost what c needed (a third of all), within their tolerance
            assertThat(c.info().droppedPackets()).isZero();
            assertThat(a.info().droppedPackets() + b.info().droppedPackets()).isGreaterThanOrEqualTo(periods - 2);
            assertThat(a.info().sentPackets() + b.info().sentPackets() + c.info().sentPackets())
                    .isGreaterThanOrEqualTo(2L * periods - 2);
        }
    }

    @Test
    void lossyEdfSocketNeverSendsLateLosslessOneSendsLateAndCountsIt() throws Exception {
        // "edf": two sockets without a period, per-datagram deadlines 1 to 8 ms away, about 0.7
        // datagrams per ms each on a link that carries 1 per ms.
        start("edf");
        try (QSocket lossy = open(DwcsAttributes.of(Duration.ZERO, 0, 1));
                QSocket lossless = open(DwcsAttributes.of(Duration.ZERO, 0, 1, Flag.LOSSLESS))) {
            SplittableRandom r = new SplittableRandom(12);
            List<Segment> lossySegments = new ArrayList<>();
            int submitted = 0;
            for (long t = 0; t < 3_000 * MS; t += STEP) {
                clock.set(t);
                if (t < 2_000 * MS) {
                    for (QSocket s : List.of(lossy, lossless)) {
                        if (r.nextInt(100) < 17) {
                            PacketFlags flags = PacketFlags.NONE.withDeadline(Duration.ofMillis(1 + r.nextInt(8)));
                            Segment segment = s.send(datagram(), flags);
                            if (s == lossy) {
                                lossySegments.add(segment);
                            } else {
                                submitted++;
                            }
                        }
                    }
                }
                runAt(t);
            }
            QInfo l = lossy.info();
            assertThat(l.latePackets()).isZero();
            assertThat(l.droppedPackets()).isPositive();
            assertThat(lossySegments.stream().filter(s -> s.state() == SegmentState.EXPIRED).count())
                    .isEqualTo(l.droppedPackets());
            assertThat(l.schedulerStats().missed()).isEqualTo(l.droppedPackets());
            QInfo ll = lossless.info();
            assertThat(ll.droppedPackets()).isZero();
            assertThat(ll.sentPackets()).isEqualTo(submitted);
            assertThat(ll.latePackets()).isPositive();
            assertThat(ll.schedulerStats().missed()).isEqualTo(ll.latePackets());
            assertThat(ll.schedulerStats().serviced()).isEqualTo(ll.sentPackets() - ll.latePackets());
        }
    }

    @Test
    void socketsWithDefaultParametersWorkOnADwcsEngine() throws Exception {
        // period-only attributes are read as 0/1, LOSSLESS: nothing is dropped
        start("dwcs");
        try (QSocket plain = open(SchedulerAttributes.paced(Duration.ofMillis(1)))) {
            for (int i = 0; i < 5; i++) {
                plain.send(datagram());
            }
            for (long t = 0; t <= 10 * MS; t += STEP) {
                runAt(t);
            }
            assertThat(plain.info().sentPackets()).isEqualTo(5);
            assertThat(plain.info().schedulerStats().currentLossDenominator()).isEqualTo(1);
        }
    }
}
