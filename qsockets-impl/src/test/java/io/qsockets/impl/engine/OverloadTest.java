package io.qsockets.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.BackPressure;
import io.qsockets.DwcsAttributes;
import io.qsockets.DwcsAttributes.Flag;
import io.qsockets.Engine;
import io.qsockets.EngineConfig;
import io.qsockets.ManualNanoClock;
import io.qsockets.QInfo;
import io.qsockets.QSocket;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.Segment;
import io.qsockets.SegmentState;
import io.qsockets.ThreadingMode;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ten times what the link carries, for 60 s of simulated time: the send queues stay within their
 * bounds, a full queue drops at the source and counts it (DROP back-pressure, as documented),
 * the heap does not grow, and the non-droppable stream gets every datagram through.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OverloadTest {
    private static final long MS = 1_000_000;

    @Test
    void tenTimesTheLinkForSixtySecondsStaysBoundedAndKeepsTheNonDroppableStream() throws Exception {
        ManualNanoClock clock = new ManualNanoClock();
        // 1000 datagrams of 97 B per second (125 B on the wire with the IPv4 and UDP headers)
        Engine engine = QSockets.init(EngineConfig.builder().name("overload").clock(clock)
                .threadingMode(ThreadingMode.INVOKER).scheduler("dwcs").egressRate(1_000_000).build());
        int capacity = 256;
        try (DatagramSocket sink = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                QSocket bulk = open(engine, DwcsAttributes.of(Duration.ofMillis(1), 9, 10), capacity);
                QSocket vital = open(engine, DwcsAttributes.of(Duration.ofMillis(10), 0, 1, Flag.NON_DROPPABLE),
                        capacity)) {
            DatagramPacket d = new DatagramPacket(new byte[97], 97, sink.getLocalSocketAddress());
            long offered = 0;
            long vitalOffered = 0;
            Segment lastVital = null;
            int worstQueue = 0;
            long heapAtTen = 0;
            long step = MS / 10; // the applications offer 10 datagrams per ms: 10 x the link
            for (long t = 0; t < 60_000 * MS; t += step) {
                clock.set(t);
                bulk.send(d); // DROP back-pressure: never blocks, a full queue counts a drop
                offered++;
                if (t % (10 * MS) == 0) {
                    lastVital = vital.send(d, io.qsockets.PacketFlags.NONE);
                    vitalOffered++;
                }
                while (engine.doWork() > 0) {
                    // a batch limit may leave work for the next cycle
                }
                if (t % (1_000 * MS) == 0) {
                    worstQueue = Math.max(worstQueue, Math.max(bulk.info().queueLength(), vital.info().queueLength()));
                    if (t == 10_000 * MS) {
                        heapAtTen = usedHeapAfterGc();
                    }
                }
            }
            clock.set(60_100 * MS);
            while (engine.doWork() > 0) {
                // drain
            }
            long heapAtSixty = usedHeapAfterGc();
            QInfo b = bulk.info();
            QInfo v = vital.info();
            assertThat(worstQueue).as("queue bound").isLessThanOrEqualTo(capacity);
            assertThat(b.submittedPackets()).isEqualTo(offered);
            assertThat(b.droppedPackets()).as("the excess is dropped at the source and counted")
                    .isGreaterThan(offered / 2);
            assertThat(b.sentPackets() + b.droppedPackets() + b.queueLength()).isEqualTo(offered);
            assertThat(v.sentPackets()).as("every non-droppable datagram left").isEqualTo(vitalOffered);
            assertThat(v.droppedPackets()).isZero();
            assertThat(lastVital.state()).isEqualTo(SegmentState.SENT);
            double linkShare = (b.sentPackets() + v.sentPackets()) / 60.0;
            assertThat(linkShare).as("datagrams per second on a 1000/s link").isBetween(900.0, 1010.0);
            assertThat(heapAtSixty - heapAtTen).as("heap growth from 10 s to 60 s").isLessThan(16L << 20);
        } finally {
            engine.close();
        }
    }

    private static QSocket open(Engine engine, DwcsAttributes attributes, int capacity) throws Exception {
        return new QSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), QosParams.builder()
                .engine(engine).attributes(attributes).sendQueueCapacity(capacity).backPressure(BackPressure.DROP)
                .build());
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
