package io.qsockets.benchmarks;

import io.qsockets.NanoClock;
import io.qsockets.impl.rtc.Rtc;
import io.qsockets.impl.rtc.RtcActivation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * RTC pacing lateness, real time: {@code streams} periodic streams, each released at
 * {@code rateHz} at fixed rate, paced first by an {@link Rtc}, then by a
 * {@link ScheduledThreadPoolExecutor} with one and with two threads ({@code scheduleAtFixedRate}
 * per stream), in one process run. Lateness is the time a release ran minus its ideal time on
 * the fixed-rate schedule; stream {@code i} starts at phase {@code i * period / streams}.
 * Each run has a warm-up that is not recorded. Not a CI test: the figures depend on the machine.
 *
 * <pre>
 * java -cp benchmarks/target/qsockets-benchmarks.jar io.qsockets.benchmarks.RtcPacingLateness \
 *     [--streams 100] [--rate-hz 1000] [--warmup-s 2] [--duration-s 10] [--spin-us 100]
 * </pre>
 */
public final class RtcPacingLateness {

    private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final long MAX_LATENESS_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final double P99_TARGET_MICROS = 50;
    private static final double RATIO_TARGET = 10;

    private RtcPacingLateness() {
    }

    /** The command line. */
    record Options(int streams, int rateHz, Duration warmup, Duration duration, Duration spinWindow) {

        static Options parse(String[] args) {
            Options o = new Options(100, 1000, Duration.ofSeconds(2), Duration.ofSeconds(10), Rtc.DEFAULT_SPIN_WINDOW);
            for (int i = 0; i < args.length; i++) {
                String[] pair = args[i].split("=", 2);
                String value = pair.length == 2 ? pair[1] : (i + 1 < args.length ? args[++i] : "");
                o = o.with(pair[0], value);
            }
            return o;
        }

        private Options with(String option, String value) {
            long n = parsePositive(option, value);
            switch (option) {
                case "--streams":
                    return new Options((int) n, rateHz, warmup, duration, spinWindow);
                case "--rate-hz":
                    return new Options(streams, (int) n, warmup, duration, spinWindow);
                case "--warmup-s":
                    return new Options(streams, rateHz, Duration.ofSeconds(n), duration, spinWindow);
                case "--duration-s":
                    return new Options(streams, rateHz, warmup, Duration.ofSeconds(n), spinWindow);
                case "--spin-us":
                    return new Options(streams, rateHz, warmup, duration, Duration.ofNanos(n * 1000));
                default:
                    throw new IllegalArgumentException("unknown option " + option
                            + "; known: --streams, --rate-hz, --warmup-s, --duration-s, --spin-us");
            }
        }

        private static long parsePositive(String option, String value) {
            try {
                long n = Long.parseLong(value);
                if (n > 0 && n <= Integer.MAX_VALUE) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " needs a positive integer, got '" + value + "'");
        }

        long periodNanos() {
            return TimeUnit.SECONDS.toNanos(1) / rateHz;
        }
    }

    /** The ideal fixed-rate schedule of one run and the window that is recorded. */
    record Schedule(long firstNanos, long periodNanos, int streams, long measureFromNanos, long endNanos) {

        static Schedule startingSoon(Options o) {
            long first = System.nanoTime() + START_DELAY_NANOS;
            long measureFrom = first + o.warmup().toNanos();
            return new Schedule(first, o.periodNanos(), o.streams(), measureFrom, measureFrom + o.duration().toNanos());
        }

        long phaseOf(int stream) {
            return firstNanos + stream * periodNanos / streams;
        }

        long awaitMillis() {
            return TimeUnit.NANOSECONDS.toMillis(endNanos - System.nanoTime()) + 30_000;
        }
    }

    /**
     * The lateness of a run's releases, in nanoseconds: thread-safe, and sized up front so that
     * recording never allocates (an allocation could stall the pacing thread in a GC).
     */
    static final class Lateness {
        private final Schedule schedule;
        private final Histogram histogram = new ConcurrentHistogram(MAX_LATENESS_NANOS, 3);

        Lateness(Schedule schedule) {
            this.schedule = schedule;
        }

        /** @return false once the release is past the end of the run */
        boolean record(long idealNanos, long ranAtNanos) {
            if (idealNanos >= schedule.endNanos()) {
                return false;
            }
            if (idealNanos >= schedule.measureFromNanos()) {
                histogram.recordValue(Math.min(MAX_LATENESS_NANOS, Math.max(0, ranAtNanos - idealNanos)));
            }
            return true;
        }
    }

    /** One stream paced by the RTC: records, then reschedules itself one period later. */
    static final class RtcStream implements RtcActivation {
        private final Rtc rtc;
        private final Lateness lateness;
        private final CountDownLatch done;

        RtcStream(Rtc rtc, Lateness lateness, CountDownLatch done) {
            this.rtc = rtc;
            this.lateness = lateness;
            this.done = done;
        }

        @Override
        public void activate(long deadlineNanos, long firedAtNanos) {
            if (lateness.record(deadlineNanos, firedAtNanos)) {
                rtc.schedule(deadlineNanos + lateness.schedule.periodNanos(), this);
            } else {
                done.countDown();
            }
        }
    }

    /** One stream paced by scheduleAtFixedRate: its k-th run is ideally at phase + k * period. */
    static final class ExecutorStream implements Runnable {
        private final Lateness lateness;
        private final long phaseNanos;
        private final CountDownLatch done;
        private long runs;
        private boolean finished;

        ExecutorStream(Lateness lateness, long phaseNanos, CountDownLatch done) {
            this.lateness = lateness;
            this.phaseNanos = phaseNanos;
            this.done = done;
        }

        @Override
        public void run() {
            long now = System.nanoTime();
            long ideal = phaseNanos + runs++ * lateness.schedule.periodNanos();
            if (!lateness.record(ideal, now) && !finished) {
                finished = true;
                done.countDown();
            }
        }
    }

    /** A run's name, lateness, and the share of all CPUs other processes used meanwhile. */
    record Result(String name, Histogram lateness, double otherCpuPercent) {
    }

    /**
     * The CPU time other processes use while a run goes on, from {@code /proc} (Linux; NaN
     * elsewhere): a spinning thread loses its core whenever the machine is oversubscribed, so a
     * run is only meaningful on a quiet machine.
     */
    static final class OtherCpu {
        private static final int USER_FIELDS = 8;
        private static final int IDLE = 4;
        private static final int IOWAIT = 5;
        private final long[] start = sample();

        /** @return share of all CPUs used by other processes since construction, in percent */
        double percent() {
            long[] end = sample();
            if (start == null || end == null || end[0] == start[0]) {
                return Double.NaN;
            }
            long others = (end[1] - start[1]) - (end[2] - start[2]);
            return Math.max(0, 100.0 * others / (end[0] - start[0]));
        }

        /** @return {all jiffies, busy jiffies, this process's jiffies}, or null */
        private static long[] sample() {
            try {
                String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                long busy = 0;
                for (int i = 1; i <= USER_FIELDS && i < cpu.length; i++) {
                    long jiffies = Long.parseLong(cpu[i]);
                    total += jiffies;
                    busy += i == IDLE || i == IOWAIT ? 0 : jiffies;
                }
                String self = Files.readString(Path.of("/proc/self/stat"));
                String[] fields = self.substring(self.lastIndexOf(')') + 2).split(" ");
                long own = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                return new long[] {total, busy, own};
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        printHeader(options);
        Result rtc = runRtc(options);
        Result oneThread = runExecutor(options, 1);
        Result twoThreads = runExecutor(options, 2);
        printTable(rtc, List.of(oneThread, twoThreads));
    }

    static Result runRtc(Options o) throws InterruptedException {
        System.gc();
        OtherCpu otherCpu = new OtherCpu();
        try (Rtc rtc = Rtc.start("rtc-pacing", NanoClock.system(), o.spinWindow())) {
            Schedule schedule = Schedule.startingSoon(o);
            CountDownLatch done = new CountDownLatch(o.streams());
            Lateness lateness = new Lateness(schedule);
            for (int i = 0; i < o.streams(); i++) {
                rtc.schedule(schedule.phaseOf(i), new RtcStream(rtc, lateness, done));
            }
            awaitRun(done, schedule, "Rtc");
            String name = "Rtc (spin " + o.spinWindow().toNanos() / 1000 + " µs)";
            return new Result(name, lateness.histogram, otherCpu.percent());
        }
    }

    static Result runExecutor(Options o, int threads) throws InterruptedException {
        System.gc();
        OtherCpu otherCpu = new OtherCpu();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(threads);
        try {
            Schedule schedule = Schedule.startingSoon(o);
            CountDownLatch done = new CountDownLatch(o.streams());
            Lateness lateness = new Lateness(schedule);
            for (int i = 0; i < o.streams(); i++) {
                long phase = schedule.phaseOf(i);
                executor.scheduleAtFixedRate(new ExecutorStream(lateness, phase, done),
                        phase - System.nanoTime(), schedule.periodNanos(), TimeUnit.NANOSECONDS);
            }
            awaitRun(done, schedule, "STPE");
            executor.shutdownNow();
            executor.awaitTermination(10, TimeUnit.SECONDS);
            String name = "STPE (" + threads + (threads == 1 ? " thread)" : " threads)");
            return new Result(name, lateness.histogram, otherCpu.percent());
        } finally {
            executor.shutdownNow();
        }
    }

    private static void awaitRun(CountDownLatch done, Schedule schedule, String name) throws InterruptedException {
        if (!done.await(schedule.awaitMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(name + " run did not finish: " + done.getCount() + " streams still running");
        }
    }

    private static void printHeader(Options o) {
        System.out.printf(Locale.ROOT, "RTC pacing lateness: %d streams x %d Hz, %d s warm-up + %d s recorded per run,"
                        + " %d CPUs, %s%n%n", o.streams(), o.rateHz(), o.warmup().toSeconds(), o.duration().toSeconds(),
                Runtime.getRuntime().availableProcessors(), Runtime.version());
    }

    private static void printTable(Result rtc, List<Result> baselines) {
        System.out.printf(Locale.ROOT, "%-20s %10s %9s %9s %9s %9s %9s %11s%n",
                "lateness (µs)", "samples", "p50", "p90", "p99", "p99.9", "max", "other CPU");
        printRow(rtc);
        baselines.forEach(RtcPacingLateness::printRow);
        System.out.println();
        double rtcP99 = micros(rtc.lateness().getValueAtPercentile(99));
        boolean ratiosMet = true;
        for (Result baseline : baselines) {
            double ratio = micros(baseline.lateness().getValueAtPercentile(99)) / rtcP99;
            ratiosMet &= ratio >= RATIO_TARGET;
            System.out.printf(Locale.ROOT, "%s p99 / Rtc p99 = %.1fx%n", baseline.name(), ratio);
        }
        System.out.printf(Locale.ROOT, "target: Rtc p99 <= %.0f µs: %s; >= %.0fx better than STPE: %s%n",
                P99_TARGET_MICROS, rtcP99 <= P99_TARGET_MICROS ? "met" : "NOT met",
                RATIO_TARGET, ratiosMet ? "met" : "NOT met");
        System.out.println("other CPU: share of all CPUs used by other processes during the run;"
                + " figures are only meaningful near 0 %");
    }

    private static void printRow(Result result) {
        Histogram h = result.lateness();
        System.out.printf(Locale.ROOT, "%-20s %10d %9.1f %9.1f %9.1f %9.1f %9.1f %10.0f%%%n", result.name(),
                h.getTotalCount(), micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(90)),
                micros(h.getValueAtPercentile(99)), micros(h.getValueAtPercentile(99.9)), micros(h.getMaxValue()),
                result.otherCpuPercent());
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }
}
