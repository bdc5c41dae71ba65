package io.qsockets.examples.video;

import io.qsockets.BackPressure;
import io.qsockets.DwcsAttributes;
import io.qsockets.QInfo;
import io.qsockets.QSocket;
import io.qsockets.Transport;
import io.qsockets.examples.Engines;
import io.qsockets.examples.ExitCodes;
import io.qsockets.examples.Units;
import io.qsockets.examples.control.TransmissionController;
import io.qsockets.examples.stream.Frame;
import io.qsockets.examples.stream.FrameTrace;
import io.qsockets.examples.stream.FrameType;
import io.qsockets.examples.stream.GopGenerator;
import io.qsockets.examples.stream.StreamEmulator;
import io.qsockets.impl.rtc.Rtc;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The video server: plays a trace (or a generated GOP stream) at a frame rate to a video client. */
@Command(name = "video-server", mixinStandardHelpOptions = true,
        description = {"Streams video frames (the shipped H.264 trace, a trace file, or a generated GOP) to a "
                + "video-client. Managed: a QSocket on a DWCS engine, I-frames non-droppable; --plain: a "
                + "DatagramSocket.", "Exit codes: 0 done, 2 bad usage, 3 failure."})
public final class VideoServerCommand implements Callable<Integer> {

    @Option(names = "--to", required = true, description = "the client, host:port")
    String to;

    @Option(names = "--bind", defaultValue = "0", description = "local [host:]port (default: any port)")
    String bind;

    @Option(names = "--fps", defaultValue = "20", description = "frames per second (default: ${DEFAULT-VALUE})")
    double fps;

    @Option(names = "--seconds", defaultValue = "30", description = "how long to stream (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--trace", description = "a CSV trace: time_ms,size_bytes,type (default: the shipped H.264 trace)")
    Path trace;

    @Option(names = "--generate", description = "generate a VBR stream following --gop at --bitrate instead")
    boolean generate;

    @Option(names = "--bitrate", defaultValue = "1M", description = "mean rate of --generate (default: ${DEFAULT-VALUE})")
    String bitrate;

    @Option(names = "--gop", defaultValue = "IBBPBBPBBPBBPBBPBBPB", description = "GOP of --generate "
            + "(default: ${DEFAULT-VALUE})")
    String gop;

    @Option(names = "--plain", description = "send from a plain DatagramSocket (unmanaged)")
    boolean plain;

    @Option(names = "--loss", defaultValue = "1/4", description = "DWCS loss tolerance x/y for P and B frames "
            + "(default: ${DEFAULT-VALUE})")
    String loss;

    @Option(names = "--device-rate", defaultValue = "0", description = "egress capacity the engine shares, bit/s "
            + "(k/M/G), 0 for unlimited (default: ${DEFAULT-VALUE})")
    String deviceRate;

    @Option(names = "--transport", defaultValue = "UDP", description = "${COMPLETION-CANDIDATES} "
            + "(default: ${DEFAULT-VALUE})")
    Transport transport;

    @Option(names = "--payload", defaultValue = "1200", description = "frame bytes per datagram "
            + "(default: ${DEFAULT-VALUE})")
    int payload;

    @Option(names = "--cancel-after", description = "cancel datagrams not sent this many ms after their frame")
    Integer cancelAfterMs;

    @Option(names = "--relax-i-frames", description = "give I-frame datagrams this deadline in ms (more retries on "
            + "a retransmitting transport)")
    Integer relaxIMs;

    @Option(names = "--playout", defaultValue = "100", description = "ms a frame stays useful to the client (its "
            + "deadline); 0 for the end of its period (default: ${DEFAULT-VALUE})")
    long playoutMs;

    @Option(names = "--seed", defaultValue = "1", description = "seed of --generate (default: ${DEFAULT-VALUE})")
    long seed;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        InetSocketAddress destination;
        InetSocketAddress local;
        int[] xy;
        try {
            destination = Units.address(to, "127.0.0.1");
            local = Units.address(bind, null);
            xy = lossTolerance(loss);
            if (!(fps > 0) || fps > 1000 || !(seconds > 0) || seconds > 86_400) {
                throw new IllegalArgumentException("--fps " + fps + " must be in (0, 1000] and --seconds " + seconds
                        + " in (0, 86400]");
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Iterator<Frame> frames = generate ? new GopGenerator(fps, Units.bitsPerSecond(bitrate), gop, seed)
                : (trace == null ? FrameTrace.builtIn() : FrameTrace.load(trace)).loop(fps);
        Duration period = Duration.ofNanos(Math.round(1e9 / fps));
        try (Engines.Chosen engine = Engines.choose("dwcs", deviceRate);
                DatagramSocket socket = plain ? new DatagramSocket(local) : new QSocket(local, engine.params()
                        .transport(transport).attributes(DwcsAttributes.of(period, xy[0], xy[1]))
                        .backPressure(BackPressure.DROP).sendQueueCapacity(256).build());
                Rtc rtc = Rtc.start("video-server-rtc")) {
            TransmissionController controller = controller();
            FrameSender sender = new FrameSender(socket, destination, payload, !plain,
                    playoutMs == 0 ? null : Duration.ofMillis(playoutMs), controller);
            out.printf(Locale.ROOT, "video-server %s -> %s: %.1f fps for %.1f s, %s%n", socket.getLocalSocketAddress(),
                    destination, fps, seconds, plain ? "plain DatagramSocket" : "QSocket, DWCS period "
                            + period.toMillis() + " ms, loss " + xy[0] + "/" + xy[1] + ", I-frames non-droppable");
            out.flush();
            long[] iFrames = new long[1];
            StreamEmulator<Frame> emulator = StreamEmulator.start("video-server", rtc, frames,
                    Duration.ofNanos(Math.round(seconds * 1e9)), f -> {
                        if (f.type() == FrameType.I) {
                            iFrames[0]++;
                        }
                        sender.send(f);
                    });
            int second = 0;
            while (!emulator.await(Duration.ofSeconds(1))) {
                second++;
                out.printf(Locale.ROOT, "t=%4d s  frames %6d  datagrams %7d%s%n", second, sender.frames(),
                        sender.datagrams(), socket instanceof QSocket q ? "  " + brief(q.info()) : "");
                out.flush();
            }
            out.printf(Locale.ROOT, "sent %d frames (%d I-frames) in %d datagrams; %d refused by a full queue%s%n",
                    sender.frames(), iFrames[0], sender.datagrams(), sender.refused(),
                    controller == null ? "" : "; controller cancelled " + controller.cancelled() + ", relaxed "
                            + controller.relaxed());
            if (socket instanceof QSocket q) {
                out.print(q.info().toTable());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    private TransmissionController controller() {
        if (plain || (cancelAfterMs == null && relaxIMs == null)) {
            return null;
        }
        TransmissionController.Builder b = TransmissionController.builder();
        if (cancelAfterMs != null) {
            b.cancelAfter(Duration.ofMillis(cancelAfterMs));
        }
        if (relaxIMs != null) {
            b.relaxDeadline(tag -> tag == FrameType.I, Duration.ofMillis(relaxIMs));
        }
        return b.build();
    }

    static String brief(QInfo info) {
        return String.format(Locale.ROOT, "sent %7d  dropped %5d  late %5d  queue %4d", info.sentPackets(),
                info.droppedPackets(), info.latePackets(), info.queueLength());
    }

    static int[] lossTolerance(String text) {
        String[] p = text.split("/");
        try {
            if (p.length == 2) {
                int x = Integer.parseInt(p[0].strip());
                int y = Integer.parseInt(p[1].strip());
                if (x >= 0 && y >= 1 && x <= y) {
                    return new int[] {x, y};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--loss '" + text + "' must be x/y with 0 <= x <= y and y >= 1");
    }
}
