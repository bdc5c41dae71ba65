package io.qsockets.examples.demo;

import io.qsockets.BackPressure;
import io.qsockets.DwcsAttributes;
import io.qsockets.QSocket;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.examples.ReceiveLoop;
import io.qsockets.examples.sensor.ReadingLedger;
import io.qsockets.examples.sensor.ReadingSender;
import io.qsockets.examples.sensor.ReadingWire;
import io.qsockets.examples.sensor.SensorMode;
import io.qsockets.examples.stream.Reading;
import io.qsockets.examples.stream.SensorWorkload;
import io.qsockets.examples.stream.StreamEmulator;
import java.io.IOException;
import java.net.DatagramSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The remote data acquisition experiment of the Q.Sockets paper (Figure 7): a sensor sends
 * aperiodic bursts of readings with random deadlines through an EDF engine and the bottleneck;
 * a bulk transfer on the same engine starts part-way and runs to the end. Run three times with the
 * same readings: lossy EDF, lossless EDF, and a plain socket (attached with no QoS: best effort,
 * first come first served with the bulk transfer). Readings are counted by the second they were
 * taken in: late (arrived after their deadline) or lost (never arrived, dropped at the source
 * included).
 */
final class SensorExperiment {
    static final Duration MIN_DEADLINE = Duration.ofMillis(30);
    static final Duration MAX_DEADLINE = Duration.ofMillis(150);
    static final int MAX_BURST = 50;
    private static final long SECOND = 1_000_000_000L;

    private SensorExperiment() {
    }

    /**
     * One second of a run, by the time the readings were taken.
     *
     * @param index the second
     * @param taken readings taken in it
     * @param late of those, arrived after their deadline
     * @param lost of those, never arrived
     */
    record Interval(int index, int taken, int late, int lost) {
        int missed() {
            return late + lost;
        }
    }

    /** One run: the sender's mode, its seconds, and what the sender counted. */
    record Result(SensorMode mode, int perturbationStart, List<Interval> intervals, long droppedAtSource) {
        long total(java.util.function.ToIntFunction<Interval> f) {
            return intervals.stream().mapToLong(f::applyAsInt).sum();
        }

        long during(java.util.function.ToIntFunction<Interval> f) {
            return intervals.stream().filter(i -> i.index() >= perturbationStart).mapToLong(f::applyAsInt).sum();
        }
    }

    /** @return the path's share of each deadline: the link's delay plus a margin for scheduling */
    static Duration guard(DemoSettings settings) {
        return settings.delay().plusMillis(15);
    }

    static int perturbationStart(DemoSettings settings) {
        return (int) Math.round(settings.seconds() * 0.4);
    }

    static Result run(SensorMode mode, DemoSettings settings) throws Exception {
        int seconds = settings.seconds();
        int on = perturbationStart(settings);
        settings.progress("  sensor, %s: %d s, bulk transfer from %d s", mode.label(), seconds, on);
        List<Reading> taken = new ArrayList<>();
        ReadingLedger ledger;
        ReadingSender readings;
        long droppedBySocket;
        try (Bed bed = settings.beds().start("sensor", "edf", settings);
                Bed.Perturbation bulk = bed.perturbation(settings);
                DatagramSocket receiver = bed.receiver();
                DatagramSocket sender = open(bed, mode)) {
            readings = new ReadingSender(sender, bed.route(sender, receiver), mode, guard(settings), 1,
                    null);
            long origin = bed.rtc().clock().nanoTime() + 100_000_000L;
            ledger = new ReadingLedger(ReadingWire.nowMicros(), SECOND / 1000);
            Collector collector = new Collector(receiver, ledger);
            try {
                SensorWorkload workload = new SensorWorkload(Duration.ofMillis(100), MAX_BURST, 200, 1000, MIN_DEADLINE,
                        MAX_DEADLINE, settings.seed());
                StreamEmulator<Reading> sensor = StreamEmulator.start("sensor", bed.rtc(), origin, workload,
                        Duration.ofSeconds(seconds), r -> {
                            taken.add(r);
                            readings.send(r, ReadingWire.nowMicros());
                        });
                VideoExperiment.sleepUntil(origin + on * SECOND);
                bulk.start();
                settings.progress("    %2d s  bulk transfer starts", on);
                if (!sensor.await(Duration.ofSeconds(seconds + 10L))) {
                    throw new IllegalStateException("the sensor did not finish");
                }
                VideoExperiment.sleepUntil(origin + seconds * SECOND + MAX_DEADLINE.toNanos() + 200_000_000L);
            } finally {
                collector.close();
            }
            droppedBySocket = sender instanceof QSocket q ? q.info().droppedPackets() : 0;
        }
        ledger.finish(taken.isEmpty() ? -1 : taken.get(taken.size() - 1).seq());
        int[] n = new int[seconds];
        int[] late = new int[seconds];
        int[] lost = new int[seconds];
        for (Reading r : taken) {
            int second = (int) Math.min(seconds - 1, r.offsetNanos() / SECOND);
            n[second]++;
            if (!ledger.received(r.seq())) {
                lost[second]++;
            } else if (ledger.late(r.seq())) {
                late[second]++;
            }
        }
        List<Interval> intervals = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            intervals.add(new Interval(i, n[i], late[i], lost[i]));
        }
        return new Result(mode, on, intervals, readings.tooLate() + droppedBySocket);
    }

    private static DatagramSocket open(Bed bed, SensorMode mode) throws IOException {
        QosParams.Builder params = bed.params().backPressure(BackPressure.DROP).sendQueueCapacity(256);
        return switch (mode) {
            case LOSSY_EDF -> bed.managed(params.attributes(new DwcsAttributes(0, 1, 1, Set.of())).build());
            case LOSSLESS_EDF -> bed.managed(params.attributes(
                    new DwcsAttributes(0, 1, 1, EnumSet.of(DwcsAttributes.Flag.LOSSLESS))).build());
            case PLAIN -> bed.unmanaged(params.build());
        };
    }

    /** The collector's receiving thread. */
    private static final class Collector implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;

        Collector(DatagramSocket socket, ReadingLedger ledger) {
            this.thread = ReceiveLoop.start("collector", socket, () -> running,
                    (p, now) -> ledger.onDatagram(p.getData(), p.getOffset(), p.getLength(), ReadingWire.nowMicros()));
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(2_000);
        }
    }
}
