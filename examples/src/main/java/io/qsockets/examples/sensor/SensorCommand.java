package io.qsockets.examples.sensor;

import io.qsockets.BackPressure;
import io.qsockets.DwcsAttributes;
import io.qsockets.QSocket;
import io.qsockets.Transport;
import io.qsockets.examples.Engines;
import io.qsockets.examples.ExitCodes;
import io.qsockets.examples.Units;
import io.qsockets.examples.control.TransmissionController;
import io.qsockets.examples.stream.Reading;
import io.qsockets.examples.stream.SensorWorkload;
import io.qsockets.examples.stream.StreamEmulator;
import io.qsockets.impl.rtc.Rtc;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The sensor: aperiodic bursts of readings with random deadlines, sent to a collector. */
@Command(name = "sensor", mixinStandardHelpOptions = true,
        description = {"Sends aperiodic bursts of readings with random deadlines to a collector, with lossy EDF, "
                + "lossless EDF or a plain DatagramSocket.", "Exit codes: 0 done, 2 bad usage, 3 failure."})
public final class SensorCommand implements Callable<Integer> {

    @Option(names = "--to", required = true, description = "the collector, host:port")
    String to;

    @Option(names = "--bind", defaultValue = "0", description = "local [host:]port (default: any port)")
    String bind;

    @Option(names = "--mode", defaultValue = "lossy", description = "lossy, lossless or plain "
            + "(default: ${DEFAULT-VALUE})")
    String mode;

    @Option(names = "--seconds", defaultValue = "30", description = "how long to run (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--mean-gap", defaultValue = "100", description = "mean ms between bursts "
            + "(default: ${DEFAULT-VALUE})")
    double meanGapMs;

    @Option(names = "--max-burst", defaultValue = "30", description = "readings per burst at most "
            + "(default: ${DEFAULT-VALUE})")
    int maxBurst;

    @Option(names = "--size", defaultValue = "200-800", description = "reading size range in bytes "
            + "(default: ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--deadline", defaultValue = "30-150", description = "deadline range in ms "
            + "(default: ${DEFAULT-VALUE})")
    String deadline;

    @Option(names = "--guard", defaultValue = "20", description = "ms of each deadline kept for the path "
            + "(default: ${DEFAULT-VALUE})")
    long guardMs;

    @Option(names = "--device-rate", defaultValue = "0", description = "egress capacity the engine shares, bit/s "
            + "(k/M/G), 0 for unlimited (default: ${DEFAULT-VALUE})")
    String deviceRate;

    @Option(names = "--transport", defaultValue = "UDP", description = "${COMPLETION-CANDIDATES} "
            + "(default: ${DEFAULT-VALUE})")
    Transport transport;

    @Option(names = "--channels", defaultValue = "1", description = "sensor channels (default: ${DEFAULT-VALUE})")
    int channels;

    @Option(names = "--update-latest", description = "a reading whose channel still has one waiting replaces its "
            + "content instead of queueing")
    boolean updateLatest;

    @Option(names = "--seed", defaultValue = "1", description = "workload seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        SensorMode m;
        InetSocketAddress destination;
        InetSocketAddress local;
        SensorWorkload workload;
        try {
            m = parseMode(mode);
            destination = Units.address(to, "127.0.0.1");
            local = Units.address(bind, null);
            long[] sizes = range("--size", size);
            long[] deadlines = range("--deadline", deadline);
            if (!(seconds > 0) || !(meanGapMs > 0) || guardMs < 0) {
                throw new IllegalArgumentException("--seconds " + seconds + " and --mean-gap " + meanGapMs
                        + " must be positive, --guard " + guardMs + " >= 0");
            }
            workload = new SensorWorkload(Duration.ofNanos(Math.round(meanGapMs * 1e6)), maxBurst, (int) sizes[0],
                    (int) sizes[1], Duration.ofMillis(deadlines[0]), Duration.ofMillis(deadlines[1]), seed);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Set<DwcsAttributes.Flag> flags = m == SensorMode.LOSSLESS_EDF ? EnumSet.of(DwcsAttributes.Flag.LOSSLESS)
                : Set.of();
        try (Engines.Chosen engine = Engines.choose("edf", deviceRate);
                DatagramSocket socket = m == SensorMode.PLAIN ? new DatagramSocket(local)
                        : new QSocket(local, engine.params().transport(transport)
                                .attributes(new DwcsAttributes(0, 1, 1, flags)).backPressure(BackPressure.DROP)
                                .sendQueueCapacity(256).build());
                Rtc rtc = Rtc.start("sensor-rtc")) {
            TransmissionController controller = updateLatest && m != SensorMode.PLAIN
                    ? TransmissionController.builder().build() : null;
            ReadingSender sender = new ReadingSender(socket, destination, m, Duration.ofMillis(guardMs), channels,
                    controller);
            out.printf(Locale.ROOT, "sensor %s -> %s: %s for %.1f s%n", socket.getLocalSocketAddress(), destination,
                    m.label(), seconds);
            out.flush();
            StreamEmulator<Reading> emulator = StreamEmulator.start("sensor", rtc, workload,
                    Duration.ofNanos(Math.round(seconds * 1e9)), r -> sender.send(r, ReadingWire.nowMicros()));
            int second = 0;
            while (!emulator.await(Duration.ofSeconds(1))) {
                second++;
                out.printf(Locale.ROOT, "t=%4d s  readings %6d  sent %6d  not sent (too late) %4d  refused %4d%n",
                        second, emulator.emitted(), sender.sent(), sender.tooLate(), sender.refused());
                out.flush();
            }
            out.printf(Locale.ROOT, "readings %d: sent %d, not sent (too late) %d, refused by a full queue %d%s%n",
                    emulator.emitted(), sender.sent(), sender.tooLate(), sender.refused(),
                    controller == null ? "" : ", updated in place " + controller.updated());
            if (socket instanceof QSocket q) {
                out.print(q.info().toTable());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    static SensorMode parseMode(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "lossy" -> SensorMode.LOSSY_EDF;
            case "lossless" -> SensorMode.LOSSLESS_EDF;
            case "plain" -> SensorMode.PLAIN;
            default -> throw new IllegalArgumentException("--mode '" + text + "' must be lossy, lossless or plain");
        };
    }

    static long[] range(String option, String text) {
        String[] p = text.split("-");
        try {
            long lo = Long.parseLong(p[0].strip());
            long hi = p.length == 1 ? lo : Long.parseLong(p[1].strip());
            if (p.length <= 2 && lo >= 1 && hi >= lo) {
                return new long[] {lo, hi};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " '" + text + "' must be N or MIN-MAX with 1 <= MIN <= MAX");
    }
}
