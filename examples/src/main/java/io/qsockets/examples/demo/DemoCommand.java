package io.qsockets.examples.demo;

import io.qsockets.examples.ExitCodes;
import io.qsockets.examples.Units;
import io.qsockets.examples.kernel.NetworkNamespace;
import io.qsockets.examples.sensor.SensorMode;
import io.qsockets.examples.stream.FrameTrace;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Reproduces the Q.Sockets paper's experiments on loopback, without privilege: the video stream
 * managed and unmanaged under a perturbation that starts and stops (Figures 4 and 5), two managed
 * streams beside an unmanaged one (Figure 6), and the sensor with lossy EDF, lossless EDF and a
 * plain socket (Figure 7). Prints a table; writes CSV files and PNG charts.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Reproduces the Q.Sockets paper's experiments (Figures 4-7) on loopback: a link emulator "
                + "is the bottleneck, a bulk transfer on the same engine is the perturbation.",
            "With --kernel (root): in two network namespaces, the engine's HTB offload on a veth pair is the "
                + "bottleneck and a bulk TCP flow is the perturbation.",
            "Prints a table; writes CSV files and PNG charts to --out.",
            "Exit codes: 0 expectations met, 1 an expectation missed, 2 bad usage, 3 failure."})
public final class DemoCommand implements Callable<Integer> {

    /** The experiments. */
    enum Experiment { video, streams, sensor }

    @Option(names = "--out", defaultValue = "demo-output", description = "directory for CSV and PNG files "
            + "(default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--seconds", defaultValue = "10", description = "length of each of the 6 runs, 4 to 600 "
            + "(default: ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--only", split = ",", description = "experiments to run, of ${COMPLETION-CANDIDATES} "
            + "(default: all)")
    Set<Experiment> only;

    @Option(names = "--link-rate", defaultValue = "4M", description = "bottleneck rate in bit/s "
            + "(default: ${DEFAULT-VALUE})")
    String linkRate;

    @Option(names = "--seed", defaultValue = "7", description = "seed of the link and the sensor workload "
            + "(default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--kernel", description = "run in network namespaces with HTB offload and a TCP flow as "
            + "the perturbation (needs root)")
    boolean kernel;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        if (kernel) {
            String why = NetworkNamespace.unavailableReason();
            if (why != null) {
                spec.commandLine().getErr().println("demo --kernel cannot run here: " + why
                        + ". The demo without --kernel needs no privilege.");
                return ExitCodes.USAGE;
            }
        }
        if (seconds < 4 || seconds > 600) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds " + seconds
                    + " must be between 4 and 600");
        }
        long rate;
        try {
            rate = Units.bitsPerSecond(linkRate);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--link-rate: " + e.getMessage());
        }
        Set<Experiment> run = only == null || only.isEmpty() ? EnumSet.allOf(Experiment.class) : only;
        Files.createDirectories(out);
        DemoSettings settings = new DemoSettings(seconds, rate, kernel ? Duration.ZERO : Duration.ofMillis(5), 256, 64,
                seed, stdout, kernel ? KernelBed.FACTORY : Testbed.FACTORY);
        FrameTrace trace = FrameTrace.builtIn();
        long started = System.nanoTime();
        if (kernel) {
            stdout.printf(Locale.ROOT, "qsockets demo --kernel: two network namespaces joined by a veth pair; the "
                    + "engine's HTB root shapes it to %s, a class per managed socket; the perturbation is a bulk TCP "
                    + "flow in the default class (%d-packet queue); video from %s (%s at 20 fps)%n",
                    Units.formatBits(rate), KernelBed.DEVICE_QUEUE, trace.name(),
                    Units.formatBits(trace.meanBitsPerSecond(20)));
        } else {
            stdout.printf(Locale.ROOT, "qsockets demo: bottleneck %s with 5 ms delay; engine egress %.0f %% of it; "
                    + "video from %s (%s at 20 fps)%n", Units.formatBits(rate), Testbed.EGRESS_SHARE * 100,
                    trace.name(), Units.formatBits(trace.meanBitsPerSecond(20)));
        }
        List<String> missed = new ArrayList<>();
        StringBuilder tables = new StringBuilder();
        stdout.println("warming up (not measured)");
        stdout.flush();
        DemoSettings warmUp = settings.withSeconds(2, new PrintWriter(java.io.OutputStream.nullOutputStream()));
        if (run.contains(Experiment.video) || run.contains(Experiment.streams)) {
            VideoExperiment.run("warm-up", List.of(new VideoExperiment.Spec("warm-up", 20, true),
                    new VideoExperiment.Spec("warm-up plain", 20, false)), trace, warmUp);
        }
        if (run.contains(Experiment.sensor)) {
            SensorExperiment.run(SensorMode.LOSSY_EDF, warmUp);
        }
        if (run.contains(Experiment.video)) {
            runVideo(settings, trace, tables, missed);
        }
        if (run.contains(Experiment.streams)) {
            runStreams(settings, trace, tables, missed);
        }
        if (run.contains(Experiment.sensor)) {
            runSensor(settings, tables, missed);
        }
        stdout.println();
        stdout.print(tables);
        stdout.printf(Locale.ROOT, "CSV files and charts in %s; %.0f s in all%n", out.toAbsolutePath(),
                (System.nanoTime() - started) / 1e9);
        if (!missed.isEmpty()) {
            missed.forEach(m -> stdout.println("expectation not met: " + m));
            stdout.flush();
            return ExitCodes.EXPECTATION_NOT_MET;
        }
        stdout.println("all expectations met");
        stdout.flush();
        return ExitCodes.OK;
    }

    private void runVideo(DemoSettings settings, FrameTrace trace, StringBuilder tables, List<String> missed)
            throws Exception {
        settings.progress("[video] Figures 4 and 5: one 20 fps stream, managed, then unmanaged");
        VideoExperiment.Result managed = VideoExperiment.run("video managed",
                List.of(new VideoExperiment.Spec("managed", 20, true)), trace, settings);
        VideoExperiment.Result unmanaged = VideoExperiment.run("video unmanaged",
                List.of(new VideoExperiment.Spec("unmanaged", 20, false)), trace, settings);
        List<VideoExperiment.StreamResult> both = List.of(managed.streams().get(0), unmanaged.streams().get(0));
        VideoExperiment.Result merged = new VideoExperiment.Result(
                "20 fps video, managed vs unmanaged (Fig. 4, 5)", managed.seconds(),
                managed.perturbationStart(), managed.perturbationEnd(), both);
        tables.append(table(merged));
        DemoReport.videoFiles(out, "video", merged);
        VideoExperiment.StreamResult m = both.get(0);
        VideoExperiment.StreamResult u = both.get(1);
        double mDuring = m.fps(merged.perturbationStart(), merged.perturbationEnd());
        double uDuring = u.fps(merged.perturbationStart(), merged.perturbationEnd());
        if (mDuring < 19.5) {
            missed.add(String.format(Locale.ROOT, "managed video %.1f fps during the perturbation (want >= 19.5)",
                    mDuring));
        }
        if (m.iFramesLost() > 0) {
            missed.add("managed video lost " + m.iFramesLost() + " I-frames (want 0)");
        }
        if (uDuring > mDuring - 2) {
            missed.add(String.format(Locale.ROOT, "unmanaged video %.1f fps during the perturbation, not visibly "
                    + "below the managed %.1f", uDuring, mDuring));
        }
    }

    private void runStreams(DemoSettings settings, FrameTrace trace, StringBuilder tables, List<String> missed)
            throws Exception {
        settings.progress("[streams] Figure 6: managed 20 fps and 15 fps beside an unmanaged 20 fps stream");
        VideoExperiment.Result r = VideoExperiment.run("Three video streams on one engine (Fig. 6)",
                List.of(new VideoExperiment.Spec("managed 20 fps", 20, true),
                        new VideoExperiment.Spec("managed 15 fps", 15, true),
                        new VideoExperiment.Spec("unmanaged 20 fps", 20, false)), trace, settings);
        tables.append(table(r));
        DemoReport.videoFiles(out, "streams", r);
        for (VideoExperiment.StreamResult s : r.streams()) {
            if (s.spec().managed() && s.iFramesLost() > 0) {
                missed.add(s.spec().name() + " lost " + s.iFramesLost() + " I-frames (want 0)");
            }
        }
    }

    private void runSensor(DemoSettings settings, StringBuilder tables, List<String> missed) throws Exception {
        settings.progress("[sensor] Figure 7: readings with random deadlines (%d-%d ms)",
                SensorExperiment.MIN_DEADLINE.toMillis(), SensorExperiment.MAX_DEADLINE.toMillis());
        List<SensorExperiment.Result> results = new ArrayList<>();
        for (SensorMode mode : SensorMode.values()) {
            results.add(SensorExperiment.run(mode, settings));
        }
        java.io.StringWriter w = new java.io.StringWriter();
        DemoReport.sensorTable(new PrintWriter(w, true), results);
        tables.append(w);
        DemoReport.sensorFiles(out, results);
        long lossyLate = results.get(0).total(SensorExperiment.Interval::late);
        if (lossyLate > 0) {
            missed.add("lossy EDF delivered " + lossyLate + " late readings (want 0)");
        }
    }

    private static String table(VideoExperiment.Result r) {
        java.io.StringWriter w = new java.io.StringWriter();
        DemoReport.videoTable(new PrintWriter(w, true), r);
        return w.toString();
    }
}
