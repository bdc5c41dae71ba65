package io.qsockets.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qsockets.BackPressure;
import io.qsockets.DwcsAttributes;
import io.qsockets.Engine;
import io.qsockets.EngineConfig;
import io.qsockets.ManualNanoClock;
import io.qsockets.PacketFlags;
import io.qsockets.QSocket;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.SchedulerAttributes;
import io.qsockets.Segment;
import io.qsockets.SegmentState;
import io.qsockets.ThreadingMode;
import io.qsockets.Transport;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every per-datagram flag and every kind of scheduler attributes against every built-in
 * scheduler ("fifo", "edf", "dwcs"): each is either honoured, with the effect asserted here, or
 * refused when the socket is made, changed or sends, with a message naming what was asked, the
 * scheduler and what would honour it. Nothing is silently ignored. INVOKER engines on simulated
 * time, real loopback sockets.
 */
@Timeout(30)
class QosHonouredOrRefusedTest {
    private static final long MS = 1_000_000;

    private final ManualNanoClock clock = new ManualNanoClock();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private Engine engine;
    private DatagramSocket receiver;

    private void start(String scheduler) throws Exception {
        engine = QSockets.init(EngineConfig.builder().name(scheduler + "-matrix").clock(clock)
                .threadingMode(ThreadingMode.INVOKER).scheduler(scheduler).build());
        receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        receiver.setSoTimeout(5_000);
        closing.add(engine);
        closing.add(receiver);
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private QSocket open(QosParams.Builder params) throws Exception {
        QSocket s = new QSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), params.engine(engine).build());
        closing.add(s);
        return s;
    }

    private DatagramPacket packet(int tag) {
        return new DatagramPacket(new byte[] {(byte) tag}, 1, receiver.getLocalSocketAddress());
    }

    private void runUntil(long nanos) {
        for (long t = clock.nanoTime(); t <= nanos; t += MS / 2) {
            clock.set(t);
            while (engine.doWork() > 0) {
                // drain what is due
            }
        }
    }

    private List<Integer> received(int n) throws Exception {
        List<Integer> tags = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            DatagramPacket p = new DatagramPacket(new byte[8], 8);
            receiver.receive(p);
            tags.add((int) p.getData()[0]);
        }
        return tags;
    }

    private static QosParams.Builder paced(long periodMillis) {
        return QosParams.builder().attributes(SchedulerAttributes.paced(Duration.ofMillis(periodMillis)));
    }

    // ---- attributes ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fifo", "edf", "dwcs"})
    void aPeriodIsHonouredByEveryScheduler(String scheduler) throws Exception {
        start(scheduler);
        QSocket s = open(paced(10));
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            segments.add(s.send(packet(i), PacketFlags.NONE));
        }
        runUntil(25 * MS);
        assertThat(segments).extracting(Segment::lastTransmitNanos).containsExactly(0L, 10 * MS, 20 * MS);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fifo", "edf", "dwcs"})
    void aLossToleranceIsHonouredOnlyWhereTheSchedulerOrdersByIt(String scheduler) throws Exception {
        start(scheduler);
        QosParams.Builder oneOfFour = QosParams.builder().attributes(DwcsAttributes.of(Duration.ofMillis(10), 1, 4));
        switch (scheduler) {
            case "fifo" -> assertThatThrownBy(() -> open(oneOfFour)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContainingAll("'fifo'", "1/4", "'dwcs'");
            case "edf" -> assertThatThrownBy(() -> open(oneOfFour)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContainingAll("'edf'", "1/4", "'dwcs'");
            default -> {
                QSocket s = open(oneOfFour);
                runUntil(0);
                assertThat(s.info().schedulerStats().currentLossNumerator()).isEqualTo(1);
                assertThat(s.info().schedulerStats().currentLossDenominator()).isEqualTo(4);
            }
        }
        if (!scheduler.equals("fifo")) {
            // all or nothing: EDF takes it too (late datagrams dropped, or with LOSSLESS sent late)
            open(QosParams.builder().attributes(DwcsAttributes.of(Duration.ZERO, 1, 1)));
        }
        // a change is checked as a new socket is
        QSocket plain = open(QosParams.builder());
        if (scheduler.equals("dwcs")) {
            plain.change(plain.params().toBuilder().attributes(DwcsAttributes.of(Duration.ofMillis(10), 1, 4)).build());
        } else {
            assertThatThrownBy(() -> plain.change(plain.params().toBuilder()
                    .attributes(DwcsAttributes.of(Duration.ofMillis(10), 1, 4)).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'dwcs'");
        }
    }

    // ---- per-datagram flags ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fifo", "edf", "dwcs"})
    void aDatagramWhoseDeadlinePassesWhileItWaitsIsDroppedAndCounted(String scheduler) throws Exception {
        start(scheduler);
        QSocket s = open(paced(10));
        Segment first = s.send(packet(1), PacketFlags.NONE.withDeadline(Duration.ofMillis(50)));
        Segment late = s.send(packet(2), PacketFlags.NONE.withDeadline(Duration.ofMillis(5)));
        Segment next = s.send(packet(3), PacketFlags.NONE.withDeadline(Duration.ofMillis(50)));
        runUntil(40 * MS);
        assertThat(first.state()).isEqualTo(SegmentState.SENT);
        assertThat(late.state()).isEqualTo(SegmentState.EXPIRED);
        assertThat(next.state()).isEqualTo(SegmentState.SENT);
        assertThat(s.info().droppedPackets()).isEqualTo(1);
        assertThat(s.info().latePackets()).isZero();
        assertThat(received(2)).containsExactly(1, 3);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fifo", "edf", "dwcs"})
    void aNonDroppableDatagramPastItsDeadlineIsSentLateAndCountedLate(String scheduler) throws Exception {
        start(scheduler);
        QSocket s = open(paced(10));
        s.send(packet(1), PacketFlags.NONE);
        Segment key = s.send(packet(2), PacketFlags.builder().deadline(Duration.ofMillis(5)).nonDroppable(true).build());
        runUntil(30 * MS);
        assertThat(key.state()).isEqualTo(SegmentState.SENT);
        assertThat(s.info().latePackets()).isEqualTo(1);
        assertThat(s.info().droppedPackets()).isZero();
        assertThat(received(2)).containsExactly(1, 2);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fifo", "edf", "dwcs"})
    void aFrameThatLosesADatagramLosesTheRestOfItButItsKeyData(String scheduler) throws Exception {
        start(scheduler);
        QSocket s = open(paced(10));
        s.send(packet(0), PacketFlags.NONE);
        PacketFlags frame = PacketFlags.NONE.withFrame(7, false, false);
        Segment head = s.send(packet(1), PacketFlags.builder().frame(7, true, false).deadline(Duration.ofMillis(5))
                .build());
        Segment middle = s.send(packet(2), frame);
        Segment key = s.send(packet(3), PacketFlags.builder().frame(7, false, false).nonDroppable(true).build());
        Segment tail = s.send(packet(4), PacketFlags.NONE.withFrame(7, false, true));
        Segment after = s.send(packet(5), PacketFlags.NONE);
        runUntil(60 * MS);
        assertThat(head.state()).isEqualTo(SegmentState.EXPIRED);
        assertThat(middle.state()).isEqualTo(SegmentState.DROPPED);
        assertThat(tail.state()).isEqualTo(SegmentState.DROPPED);
        assertThat(key.state()).isEqualTo(SegmentState.SENT);
        assertThat(after.state()).isEqualTo(SegmentState.SENT);
        assertThat(received(3)).containsExactly(0, 3, 5);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fifo", "edf", "dwcs"})
    void aPriorityIsHonouredWhereTheSchedulerServesByIt(String scheduler) throws Exception {
        start(scheduler);
        PacketFlags urgent = PacketFlags.builder().priority(9).build();
        QSocket low = open(QosParams.builder());
        QSocket high = open(QosParams.builder());
        if (scheduler.equals("fifo")) {
            assertThatThrownBy(() -> high.send(packet(2), urgent)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContainingAll("'fifo'", "priority 9", "'dwcs'", "Transport.DCCP");
            // on the DCCP transport the send window serves higher priorities first: accepted
            open(QosParams.builder().transport(Transport.DCCP)).send(packet(2), urgent);
            return;
        }
        low.send(packet(1), PacketFlags.NONE);
        high.send(packet(2), urgent);
        runUntil(0);
        assertThat(received(2)).containsExactly(2, 1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fifo", "edf", "dwcs"})
    void underDropBackPressureTheLowestDropPriorityGoesFirst(String scheduler) throws Exception {
        start(scheduler);
        QosParams.Builder bounded = paced(10).sendQueueCapacity(3).backPressure(BackPressure.DROP);
        PacketFlags keep = PacketFlags.builder().dropPriority(5).build();
        if (scheduler.equals("fifo")) {
            QSocket s = open(bounded);
            assertThatThrownBy(() -> s.send(packet(1), keep)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContainingAll("'fifo'", "drop priority 5", "'dwcs'");
            assertThatThrownBy(() -> open(bounded.defaultFlags(keep))).isInstanceOf(IllegalArgumentException.class);
            return;
        }
        QSocket s = open(bounded);
        Segment a = s.send(packet(1), keep);
        Segment b = s.send(packet(2), PacketFlags.builder().dropPriority(1).build());
        Segment c = s.send(packet(3), keep);
        Segment d = s.send(packet(4), PacketFlags.builder().dropPriority(9).build()); // full: b makes room
        Segment e = s.send(packet(5), PacketFlags.builder().dropPriority(1).build()); // full: nothing lower
        runUntil(40 * MS);
        assertThat(List.of(a, b, c, d, e)).extracting(Segment::state).containsExactly(SegmentState.SENT,
                SegmentState.DROPPED, SegmentState.SENT, SegmentState.SENT, SegmentState.DROPPED);
        assertThat(s.info().droppedPackets()).isEqualTo(2);
        assertThat(received(3)).containsExactly(1, 3, 4);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fifo", "edf", "dwcs"})
    void underDropBackPressureKeyDataIsNeverDropped(String scheduler) throws Exception {
        start(scheduler);
        QSocket s = open(paced(10).sendQueueCapacity(2).backPressure(BackPressure.DROP));
        PacketFlags key = PacketFlags.builder().nonDroppable(true).build();
        Segment a = s.send(packet(1), key);
        Segment b = s.send(packet(2), PacketFlags.NONE);
        Segment c = s.send(packet(3), key); // full: b makes room
        Segment d = s.send(packet(4), key); // full of key data: queued beyond the bound
        runUntil(40 * MS);
        assertThat(List.of(a, b, c, d)).extracting(Segment::state).containsExactly(SegmentState.SENT,
                SegmentState.DROPPED, SegmentState.SENT, SegmentState.SENT);
        assertThat(received(3)).containsExactly(1, 3, 4);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fifo", "edf", "dwcs"})
    void retransmissionFlagsAreRefusedOnTheUdpTransport(String scheduler) throws Exception {
        start(scheduler);
        QSocket s = open(QosParams.builder());
        for (PacketFlags f : List.of(PacketFlags.builder().reliable(true).build(),
                PacketFlags.builder().maxAttempts(3).build(), PacketFlags.builder().grace(Duration.ofMillis(5)).build())) {
            assertThatThrownBy(() -> s.send(packet(1), f)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContainingAll("Transport.DCCP", "UDP transport");
        }
        assertThatThrownBy(() -> open(QosParams.builder().defaultFlags(PacketFlags.builder().reliable(true).build())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Transport.DCCP");
        assertThat(s.info().submittedPackets()).isZero();
    }

    // ---- maxQueueDelay ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fifo", "edf", "dwcs"})
    void maxQueueDelayDropsWhatWaitedTooLongButKeyData(String scheduler) throws Exception {
        start(scheduler);
        QSocket s = open(paced(10).maxQueueDelay(Duration.ofMillis(25)));
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            PacketFlags f = i == 6 ? PacketFlags.builder().nonDroppable(true).build() : PacketFlags.NONE;
            segments.add(s.send(packet(i), f));
        }
        runUntil(100 * MS);
        // 0, 1, 2 leave at 0, 10 and 20 ms; at 30 ms the rest has waited 30 ms: dropped, but the key datagram
        assertThat(segments).extracting(Segment::state).containsExactly(SegmentState.SENT, SegmentState.SENT,
                SegmentState.SENT, SegmentState.DROPPED, SegmentState.DROPPED, SegmentState.DROPPED, SegmentState.SENT,
                SegmentState.DROPPED, SegmentState.DROPPED, SegmentState.DROPPED);
        assertThat(segments.get(6).lastTransmitNanos()).isEqualTo(30 * MS);
        assertThat(s.info().droppedPackets()).isEqualTo(6);
        assertThat(s.info().queueLength()).isZero();
        assertThat(received(4)).containsExactly(0, 1, 2, 6);
    }
}
