package io.qsockets.examples.demo;

import io.qsockets.examples.video.FrameMeter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The demo's outputs: the table, the CSV files and the charts. */
final class DemoReport {

    private DemoReport() {
    }

    static void videoTable(PrintWriter out, VideoExperiment.Result r) {
        out.printf(Locale.ROOT, "%s: bulk transfer from %d s to %d s%n", r.title(), r.perturbationStart(),
                r.perturbationEnd());
        out.printf(Locale.ROOT, "  %-20s %10s %10s %10s %14s %12s %14s%n", "stream", "fps before", "fps during",
                "fps after", "jitter during", "frames lost", "I-frames lost");
        for (VideoExperiment.StreamResult s : r.streams()) {
            out.printf(Locale.ROOT, "  %-20s %10.1f %10.1f %10.1f %11.1f ms %5d of %4d %6d of %4d%n", s.spec().name(),
                    s.fps(0, r.perturbationStart()), s.fps(r.perturbationStart(), r.perturbationEnd()),
                    s.fps(r.perturbationEnd(), r.seconds()), s.jitterMs(r.perturbationStart(), r.perturbationEnd()),
                    s.framesLost(), s.framesSent(), s.iFramesLost(), s.iFramesSent());
        }
        out.println();
    }

    static void sensorTable(PrintWriter out, List<SensorExperiment.Result> results) {
        if (results.isEmpty()) {
            return;
        }
        SensorExperiment.Result first = results.get(0);
        out.printf(Locale.ROOT, "Sensor readings with random deadlines (Figure 7): bulk transfer from %d s%n",
                first.perturbationStart());
        out.printf(Locale.ROOT, "  %-14s %9s %8s %6s %6s %19s %22s%n", "sender", "readings", "on time", "late", "lost",
                "dropped at source", "late+lost during pert.");
        for (SensorExperiment.Result r : results) {
            long taken = r.total(SensorExperiment.Interval::taken);
            long late = r.total(SensorExperiment.Interval::late);
            long lost = r.total(SensorExperiment.Interval::lost);
            out.printf(Locale.ROOT, "  %-14s %9d %8d %6d %6d %19d %22d%n", r.mode().label(), taken,
                    taken - late - lost, late, lost, r.droppedAtSource(),
                    r.during(SensorExperiment.Interval::missed));
        }
        out.println();
    }

    static void videoFiles(Path dir, String stem, VideoExperiment.Result r) throws IOException {
        List<String> header = new ArrayList<>(List.of("second"));
        for (VideoExperiment.StreamResult s : r.streams()) {
            String n = s.spec().name().replace(' ', '_');
            header.addAll(List.of(n + "_fps", n + "_jitter_ms", n + "_lost_frames"));
        }
        List<String> rows = new ArrayList<>();
        rows.add(String.join(",", header));
        for (int i = 0; i < r.seconds(); i++) {
            StringBuilder row = new StringBuilder().append(i);
            for (VideoExperiment.StreamResult s : r.streams()) {
                FrameMeter.Interval in = i < s.intervals().size() ? s.intervals().get(i) : null;
                row.append(String.format(Locale.ROOT, ",%.1f,%.2f,%d", in == null ? 0 : in.fps(),
                        in == null ? 0 : in.jitterMs(), in == null ? 0 : in.lostFrames()));
            }
            rows.add(row.toString());
        }
        Files.write(dir.resolve(stem + ".csv"), rows);
        Map<String, double[]> fps = new LinkedHashMap<>();
        Map<String, double[]> jitter = new LinkedHashMap<>();
        for (VideoExperiment.StreamResult s : r.streams()) {
            fps.put(s.spec().name(), s.intervals().stream().mapToDouble(FrameMeter.Interval::fps).toArray());
            jitter.put(s.spec().name(), s.intervals().stream().mapToDouble(FrameMeter.Interval::jitterMs).toArray());
        }
        String window = "; bulk transfer between the lines";
        Charts.lines(dir.resolve(stem + "-fps.png"), r.title() + window, "frames per second", fps,
                r.perturbationStart(), r.perturbationEnd());
        Charts.lines(dir.resolve(stem + "-jitter.png"), "Inter-frame jitter" + window, "jitter (ms)", jitter,
                r.perturbationStart(), r.perturbationEnd());
    }

    static void sensorFiles(Path dir, List<SensorExperiment.Result> results) throws IOException {
        if (results.isEmpty()) {
            return;
        }
        List<String> rows = new ArrayList<>();
        StringBuilder head = new StringBuilder("second");
        for (SensorExperiment.Result r : results) {
            String n = r.mode().name().toLowerCase(Locale.ROOT);
            head.append(',').append(n).append("_taken,").append(n).append("_late,").append(n).append("_lost");
        }
        rows.add(head.toString());
        int seconds = results.get(0).intervals().size();
        for (int i = 0; i < seconds; i++) {
            StringBuilder row = new StringBuilder().append(i);
            for (SensorExperiment.Result r : results) {
                SensorExperiment.Interval in = r.intervals().get(i);
                row.append(',').append(in.taken()).append(',').append(in.late()).append(',').append(in.lost());
            }
            rows.add(row.toString());
        }
        Files.write(dir.resolve("sensor.csv"), rows);
        Map<String, double[]> missed = new LinkedHashMap<>();
        for (SensorExperiment.Result r : results) {
            missed.put(r.mode().label(), r.intervals().stream().mapToDouble(SensorExperiment.Interval::missed)
                    .toArray());
        }
        Charts.bars(dir.resolve("sensor-missed.png"), "Missed deadlines (late + lost) per second; bulk transfer from "
                + results.get(0).perturbationStart() + " s", "readings", missed);
    }
}
