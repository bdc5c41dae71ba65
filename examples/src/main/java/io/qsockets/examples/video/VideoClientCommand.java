package io.qsockets.examples.video;

import io.qsockets.examples.ExitCodes;
import io.qsockets.examples.ReceiveLoop;
import io.qsockets.examples.Units;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The video client: receives a video-server's stream and reports frame rate and jitter. */
@Command(name = "video-client", mixinStandardHelpOptions = true,
        description = {"Receives a video-server stream; each interval prints the frames completed per second, "
                + "the inter-frame jitter and the frames lost.",
            "Exit codes: 0 frames received, 1 none, 2 bad usage, 3 failure."})
public final class VideoClientCommand implements Callable<Integer> {

    @Option(names = "--bind", defaultValue = ":5004", description = "local [host]:port (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--seconds", defaultValue = "0", description = "how long to listen; 0 until interrupted "
            + "(default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--interval", defaultValue = "1", description = "report interval in seconds "
            + "(default: ${DEFAULT-VALUE})")
    double interval;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        InetSocketAddress local;
        try {
            local = Units.address(bind, null);
            if (!(interval >= 0.1) || seconds < 0) {
                throw new IllegalArgumentException("--interval " + interval + " must be >= 0.1 and --seconds "
                        + seconds + " >= 0");
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (DatagramSocket socket = new DatagramSocket(local)) {
            socket.setReceiveBufferSize(4 << 20);
            socket.setSoTimeout(50);
            out.printf(Locale.ROOT, "video-client listening on %s%n", socket.getLocalSocketAddress());
            out.flush();
            long start = System.nanoTime();
            long end = seconds == 0 ? Long.MAX_VALUE : start + Math.round(seconds * 1e9);
            FrameMeter meter = new FrameMeter(start, Math.round(interval * 1e9));
            int[] printed = {0};
            ReceiveLoop.run(socket, () -> System.nanoTime() - end < 0,
                    (p, now) -> meter.onDatagram(p.getData(), p.getOffset(), p.getLength(), now), () -> {
                        meter.closeUpTo(System.nanoTime());
                        List<FrameMeter.Interval> all = meter.intervals();
                        for (FrameMeter.Interval i : all.subList(printed[0], all.size())) {
                            out.printf(Locale.ROOT, "t=%6.1f s  fps %5.1f  jitter %6.1f ms  mean gap %6.1f ms  lost %3d%n",
                                    i.startSeconds() + interval, i.fps(), i.jitterMs(), i.meanGapMs(), i.lostFrames());
                            out.flush();
                        }
                        printed[0] = all.size();
                    });
            out.printf(Locale.ROOT, "frames complete %d, lost %d (I-frames %d)%n", meter.completedFrames(),
                    meter.lostFrames(), meter.lostIFrames());
            out.flush();
            return meter.completedFrames() > 0 ? ExitCodes.OK : ExitCodes.EXPECTATION_NOT_MET;
        }
    }
}
