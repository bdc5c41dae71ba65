package io.qsockets.benchmarks;

import io.qsockets.BackPressure;
import io.qsockets.Engine;
import io.qsockets.EngineConfig;
import io.qsockets.IdleStrategy;
import io.qsockets.QInfo;
import io.qsockets.QSocket;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.SchedulerAttributes;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Pacing of an attached legacy socket, real time: a plain {@link DatagramSocket} on 127.0.0.1 is
 * attached with {@link QSockets#attach(DatagramSocket, QosParams)} at {@code rate} packets/s
 * ("fifo" scheduler, an engine of its own per run), and the application offers datagrams either
 * in bursts ({@code burst-size} every {@code burst-interval-ms}) or one every {@code period-ms}
 * ± uniform random {@code jitter-ms}. Each payload carries its sequence number and the
 * {@link System#nanoTime()} at which it was offered; a receiver thread on a plain
 * {@link DatagramSocket} timestamps each arrival with {@link System#nanoTime()}.
 *
 * <p>The receiver rebuilds the schedule the scheduler promises from the submit times alone:
 * {@code release_0 = submit_0}, {@code release_k = max(submit_k, release_(k-1) + 1/rate)}. Two
 * figures per run, over the datagrams whose ideal release falls after the warm-up:
 * <ul>
 *   <li><b>|arrival − ideal|</b>, the ideal arrival being {@code release_k} shifted by the transit
 *       time of the first recorded datagrams (the median of the first ten, so that one slow first
 *       datagram does not shift the whole schedule; in burst mode: first arrival + k × period), so
 *       a constant loopback delay does not count; this is the figure the goal (p99 ≤ 1 ms) is on;</li>
 *   <li><b>arrival − release</b>, not anchored: the time from the promised release to the
 *       arrival, loopback transit and receiver wake-up included.</li>
 * </ul>
 * Both idle strategies (default, busySpin) and both offer patterns run in one process. Not a CI
 * test: the figures depend on the machine and on what else runs on it.
 *
 * <pre>
 * java -cp benchmarks/target/qsockets-benchmarks.jar io.qsockets.benchmarks.AttachedPacingHarness \
 *     [--duration-s 30] [--warmup-s 2] [--rate 50] [--burst-size 10] [--burst-interval-ms 200] \
 *     [--period-ms 20] [--jitter-ms 5] [--payload 64] [--modes burst,jitter] [--idle default,busySpin] \
 *     [--seed 42]
 * </pre>
 */
public final class AttachedPacingHarness {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final long MAX_VALUE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final double GOAL_P99_MICROS = 1000;
    private static final int HEADER_BYTES = 16;
    private static final int ANCHOR_SAMPLES = 10;

    private AttachedPacingHarness() {
    }

    /** The command line. */
    static final class Options {
        long durationNanos = TimeUnit.SECONDS.toNanos(30);
        long warmupNanos = TimeUnit.SECONDS.toNanos(2);
        double rate = 50;
        int burstSize = 10;
        long burstIntervalNanos = TimeUnit.MILLISECONDS.toNanos(200);
        long periodNanos = TimeUnit.MILLISECONDS.toNanos(20);
        long jitterNanos = TimeUnit.MILLISECONDS.toNanos(5);
        int payload = 64;
        List<String> modes = List.of("burst", "jitter");
        List<String> idle = List.of("default", "busySpin");
        long seed = 42;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String[] pair = args[i].split("=", 2);
                String value = pair.length == 2 ? pair[1] : (i + 1 < args.length ? args[++i] : "");
                o.set(pair[0], value);
            }
            if (o.payload < HEADER_BYTES) {
                throw new IllegalArgumentException("--payload " + o.payload + " must be at least " + HEADER_BYTES);
            }
            if (o.jitterNanos * 2 >= o.periodNanos) {
                throw new IllegalArgumentException("--jitter-ms must be less than half of --period-ms");
            }
            return o;
        }

        private void set(String option, String value) {
            switch (option) {
                case "--duration-s" -> durationNanos = TimeUnit.SECONDS.toNanos(positive(option, value));
                case "--warmup-s" -> warmupNanos = TimeUnit.SECONDS.toNanos(nonNegative(option, value));
                case "--rate" -> rate = positive(option, value);
                case "--burst-size" -> burstSize = (int) positive(option, value);
                case "--burst-interval-ms" -> burstIntervalNanos = TimeUnit.MILLISECONDS.toNanos(positive(option, value));
                case "--period-ms" -> periodNanos = TimeUnit.MILLISECONDS.toNanos(positive(option, value));
                case "--jitter-ms" -> jitterNanos = TimeUnit.MILLISECONDS.toNanos(nonNegative(option, value));
                case "--payload" -> payload = (int) positive(option, value);
                case "--seed" -> seed = nonNegative(option, value);
                case "--modes" -> modes = list(option, value, List.of("burst", "jitter"));
                case "--idle" -> idle = list(option, value, List.of("default", "busySpin"));
                default -> throw new IllegalArgumentException("unknown option " + option + "; known: --duration-s,"
                        + " --warmup-s, --rate, --burst-size, --burst-interval-ms, --period-ms, --jitter-ms,"
                        + " --payload, --modes, --idle, --seed");
            }
        }

        private static long positive(String option, String value) {
            long n = nonNegative(option, value);
            if (n == 0) {
                throw new IllegalArgumentException(option + " needs a positive integer, got '" + value + "'");
            }
            return n;
        }

        private static long nonNegative(String option, String value) {
            try {
                long n = Long.parseLong(value);
                if (n >= 0 && n <= Integer.MAX_VALUE) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " needs a non-negative integer, got '" + value + "'");
        }

        private static List<String> list(String option, String value, List<String> allowed) {
            List<String> items = List.of(value.split(","));
            for (String item : items) {
                if (!allowed.contains(item)) {
                    throw new IllegalArgumentException(option + " takes a comma-separated subset of " + allowed
                            + ", got '" + item + "'");
                }
            }
            return items;
        }

        long pacingPeriodNanos() {
            return Math.max(1, Math.round(1e9 / rate));
        }

        /** @return how many datagrams a run of {@code mode} offers */
        int count(String mode) {
            long total = warmupNanos + durationNanos;
            return mode.equals("burst")
                    ? (int) ((total + burstIntervalNanos - 1) / burstIntervalNanos) * burstSize
                    : (int) ((total + periodNanos - 1) / periodNanos);
        }
    }

    /** What a run measured. */
    record Result(String mode, String idle, Histogram vsSchedule, Histogram sinceRelease, int offered, int received,
            long anchorNanos, long minTransitNanos, QInfo info, String loadAverage) {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.out.printf(Locale.ROOT, "Attached pacing: legacy DatagramSocket on %s attached at %.1f packets/s"
                        + " (fifo), %d B payloads, %d s warm-up + %d s recorded per run, %d CPUs, Java %s%n",
                LOOPBACK.getHostAddress(), options.rate, options.payload, TimeUnit.NANOSECONDS.toSeconds(options.warmupNanos),
                TimeUnit.NANOSECONDS.toSeconds(options.durationNanos), Runtime.getRuntime().availableProcessors(),
                Runtime.version());
        System.out.printf(Locale.ROOT, "burst: %d every %d ms; jitter: one every %d ms ± %d ms (uniform)%n%n",
                options.burstSize, TimeUnit.NANOSECONDS.toMillis(options.burstIntervalNanos),
                TimeUnit.NANOSECONDS.toMillis(options.periodNanos), TimeUnit.NANOSECONDS.toMillis(options.jitterNanos));
        List<Result> results = new ArrayList<>();
        for (String idle : options.idle) {
            for (String mode : options.modes) {
                Result r = run(options, mode, idle);
                results.add(r);
                System.out.printf(Locale.ROOT, "done: %s / %s, %d of %d received, load average %s%n", mode, idle,
                        r.received(), r.offered(), r.loadAverage());
            }
        }
        printTable(results);
    }

    static Result run(Options o, String mode, String idle) throws Exception {
        System.gc();
        IdleStrategy strategy = idle.equals("busySpin") ? IdleStrategy.busySpin() : IdleStrategy.defaultStrategy();
        int count = o.count(mode);
        long[] submits = new long[count];
        long[] arrivals = new long[count];
        Engine engine = QSockets.init(EngineConfig.builder().name("attached-pacing-" + idle).scheduler("fifo")
                .idleStrategy(strategy).build());
        try (DatagramSocket receiverSocket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            receiverSocket.setReceiveBufferSize(1 << 20);
            receiverSocket.setSoTimeout(100);
            Receiver receiver = new Receiver(receiverSocket, submits, arrivals);
            Thread receiverThread = new Thread(receiver, "attached-pacing-receiver");
            receiverThread.start();

            DatagramSocket legacy = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            QosParams params = QosParams.builder().engine(engine).attributes(SchedulerAttributes.rate(o.rate))
                    .sendQueueCapacity(Math.max(1024, 2 * o.burstSize)).backPressure(BackPressure.BLOCK).build();
            try (QSocket view = QSockets.attach(legacy, params)) {
                long start = System.nanoTime() + START_DELAY_NANOS;
                offer(o, mode, view, receiverSocket.getLocalSocketAddress(), count, start);
                // the last datagrams leave up to a burst's worth of periods after they were offered
                awaitArrivals(receiver, count, o.burstSize * o.pacingPeriodNanos() + TimeUnit.SECONDS.toNanos(5));
                receiver.stop = true;
                receiverThread.join();
                if (receiver.failure != null) {
                    throw new IllegalStateException("receiver failed", receiver.failure);
                }
                return analyse(o, mode, idle, submits, arrivals, receiver.received, start, view.info());
            }
        } finally {
            engine.close();
        }
    }

    private static void offer(Options o, String mode, QSocket view, java.net.SocketAddress destination, int count,
            long start) throws IOException {
        byte[] payload = new byte[o.payload];
        ByteBuffer header = ByteBuffer.wrap(payload);
        DatagramPacket packet = new DatagramPacket(payload, payload.length, destination);
        SplittableRandom random = new SplittableRandom(o.seed);
        for (int seq = 0; seq < count; seq++) {
            if (mode.equals("burst")) {
                if (seq % o.burstSize == 0) {
                    sleepUntil(start + (long) (seq / o.burstSize) * o.burstIntervalNanos);
                }
            } else {
                long jitter = o.jitterNanos == 0 ? 0 : random.nextLong(-o.jitterNanos, o.jitterNanos + 1);
                sleepUntil(start + seq * o.periodNanos + jitter);
            }
            header.putLong(0, seq);
            header.putLong(8, System.nanoTime());
            view.send(packet);
        }
    }

    private static void sleepUntil(long deadline) {
        long wait;
        while ((wait = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    private static void awaitArrivals(Receiver receiver, int count, long timeoutNanos) throws InterruptedException {
        long limit = System.nanoTime() + timeoutNanos;
        while (receiver.received < count && System.nanoTime() < limit) {
            Thread.sleep(5);
        }
    }

    /** Timestamps each arrival and files it under its sequence number. */
    static final class Receiver implements Runnable {
        private final DatagramSocket socket;
        private final long[] submits;
        private final long[] arrivals;
        volatile boolean stop;
        volatile int received;
        volatile Exception failure;

        Receiver(DatagramSocket socket, long[] submits, long[] arrivals) {
            this.socket = socket;
            this.submits = submits;
            this.arrivals = arrivals;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[65_536];
            ByteBuffer header = ByteBuffer.wrap(buffer);
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            int n = 0;
            while (!stop) {
                try {
                    packet.setLength(buffer.length);
                    socket.receive(packet);
                } catch (SocketTimeoutException e) {
                    continue;
                } catch (IOException e) {
                    failure = e;
                    return;
                }
                long now = System.nanoTime();
                if (packet.getLength() < HEADER_BYTES) {
                    continue;
                }
                long seq = header.getLong(0);
                if (seq >= 0 && seq < arrivals.length && arrivals[(int) seq] == 0) {
                    arrivals[(int) seq] = now;
                    submits[(int) seq] = header.getLong(8);
                    received = ++n;
                }
            }
        }
    }

    static Result analyse(Options o, String mode, String idle, long[] submits, long[] arrivals, int received,
            long start, QInfo info) {
        long period = o.pacingPeriodNanos();
        long measureFrom = start + o.warmupNanos;
        Histogram vsSchedule = new Histogram(MAX_VALUE_NANOS, 3);
        Histogram sinceRelease = new Histogram(MAX_VALUE_NANOS, 3);
        long[] releases = new long[arrivals.length];
        long release = Long.MIN_VALUE;
        for (int k = 0; k < arrivals.length; k++) {
            // a lost datagram's submit time is unknown; its release is then at least one period later
            long submit = arrivals[k] != 0 ? submits[k] : Long.MIN_VALUE;
            release = k == 0 ? submit : Math.max(submit, release + period);
            releases[k] = release;
        }
        // the anchor: the median transit of the first ANCHOR_SAMPLES recorded datagrams (in burst mode,
        // the first burst), so that one slow first datagram does not shift the whole schedule
        long[] firstTransits = new long[ANCHOR_SAMPLES];
        int firsts = 0;
        long minTransit = Long.MAX_VALUE;
        for (int k = 0; k < arrivals.length; k++) {
            if (arrivals[k] != 0 && releases[k] >= measureFrom) {
                long transit = arrivals[k] - releases[k];
                minTransit = Math.min(minTransit, transit);
                if (firsts < firstTransits.length) {
                    firstTransits[firsts++] = transit;
                }
            }
        }
        long anchor = 0;
        if (firsts > 0) {
            long[] sorted = Arrays.copyOf(firstTransits, firsts);
            Arrays.sort(sorted);
            anchor = sorted[firsts / 2];
        }
        for (int k = 0; k < arrivals.length; k++) {
            if (arrivals[k] == 0 || releases[k] < measureFrom) {
                continue;
            }
            long transit = arrivals[k] - releases[k];
            vsSchedule.recordValue(Math.min(MAX_VALUE_NANOS, Math.abs(transit - anchor)));
            sinceRelease.recordValue(Math.min(MAX_VALUE_NANOS, Math.max(0, transit)));
        }
        return new Result(mode, idle, vsSchedule, sinceRelease, arrivals.length, received, anchor,
                minTransit == Long.MAX_VALUE ? 0 : minTransit, info, loadAverage());
    }

    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static void printTable(List<Result> results) {
        System.out.println();
        System.out.printf(Locale.ROOT, "%-8s %-9s %-15s %8s %9s %9s %9s %9s %9s %10s %10s%n", "mode", "idle",
                "figure (µs)", "samples", "p50", "p90", "p99", "p99.9", "max", "anchor", "rate pkt/s");
        boolean met = true;
        for (Result r : results) {
            row(r, "|arr - ideal|", r.vsSchedule(), String.format(Locale.ROOT, "%10.1f", r.anchorNanos() / 1000.0),
                    String.format(Locale.ROOT, "%10.2f", r.info().achievedPacketsPerSecond()));
            row(r, "arr - release", r.sinceRelease(), String.format(Locale.ROOT, "%10s", "min " + Math.round(
                    r.minTransitNanos() / 1000.0)), "");
            met &= r.vsSchedule().getTotalCount() > 0 && micros(r.vsSchedule().getValueAtPercentile(99)) <= GOAL_P99_MICROS;
        }
        System.out.println();
        for (Result r : results) {
            QInfo i = r.info();
            System.out.printf(Locale.ROOT, "%s / %s: received %d of %d; engine sent %d, dropped %d,"
                            + " departure jitter %.1f µs, queue delay mean %.1f µs; load average %s%n",
                    r.mode(), r.idle(), r.received(), r.offered(), i.sentPackets(), i.droppedPackets(),
                    i.interDepartureJitterNanos() / 1000.0, i.queueDelayMeanNanos() / 1000.0, r.loadAverage());
        }
        System.out.printf(Locale.ROOT, "%ngoal: p99 |arrival - ideal| <= %.0f µs in every run: %s%n", GOAL_P99_MICROS,
                met ? "met" : "NOT met");
        System.out.println("anchor: median transit (arrival - promised release) of the first " + ANCHOR_SAMPLES
                + " recorded datagrams, µs; 'arr - release' includes loopback transit and receiver wake-up"
                + " (min: the smallest transit seen, µs)");
    }

    private static void row(Result r, String figure, Histogram h, String anchor, String rate) {
        System.out.printf(Locale.ROOT, "%-8s %-9s %-15s %8d %9.1f %9.1f %9.1f %9.1f %9.1f %10s %10s%n", r.mode(),
                r.idle(), figure, h.getTotalCount(), micros(h.getValueAtPercentile(50)),
                micros(h.getValueAtPercentile(90)), micros(h.getValueAtPercentile(99)),
                micros(h.getValueAtPercentile(99.9)), micros(h.getMaxValue()), anchor, rate);
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }
}
