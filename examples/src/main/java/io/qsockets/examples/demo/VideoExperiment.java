package io.qsockets.examples.demo;

import io.qsockets.BackPressure;
import io.qsockets.DwcsAttributes;
import io.qsockets.QSocket;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.examples.ReceiveLoop;
import io.qsockets.examples.stream.Frame;
import io.qsockets.examples.stream.FrameTrace;
import io.qsockets.examples.stream.FrameType;
import io.qsockets.examples.stream.StreamEmulator;
import io.qsockets.examples.video.FrameMeter;
import io.qsockets.examples.video.FrameSender;
import java.io.IOException;
import java.net.DatagramSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The video experiments of the Q.Sockets paper (Figures 4, 5 and 6): video streams played from
 * the H.264 trace through one DWCS engine and the bottleneck, while a bulk transfer on the same
 * engine starts and stops. A managed stream is a {@link QSocket} with DWCS attributes (its frame
 * period, losing at most 1 of 4 frames, I-frames non-droppable, each frame useful for 100 ms: the
 * client's playout buffer); an unmanaged one is a plain
 * {@link DatagramSocket} attached with no QoS, so the engine (the device queue) serves it best
 * effort, first come first served with the bulk transfer. Both send without blocking: a datagram
 * that finds its socket's queue full is dropped.
 */
final class VideoExperiment {
    static final int PAYLOAD = 1200;
    /** How long a frame stays useful to the client: two frame times of playout buffer at 20 fps. */
    static final Duration PLAYOUT = Duration.ofMillis(100);
    private static final long SECOND = 1_000_000_000L;

    private VideoExperiment() {
    }

    /** One stream of a run. */
    record Spec(String name, double fps, boolean managed) {
    }

    /**
     * What one stream saw.
     *
     * @param spec the stream
     * @param intervals per second of the run
     * @param framesSent frames the server sent
     * @param framesLost frames that never arrived whole
     * @param iFramesSent I-frames the server sent
     * @param iFramesLost of those, how many never arrived whole
     * @param refused datagrams its full send queue dropped
     */
    record StreamResult(Spec spec, List<FrameMeter.Interval> intervals, long framesSent, long framesLost,
            long iFramesSent, long iFramesLost, long refused) {

        double fps(int from, int to) {
            return intervals.stream().filter(i -> i.index() >= from && i.index() < to)
                    .mapToDouble(FrameMeter.Interval::fps).average().orElse(0);
        }

        double jitterMs(int from, int to) {
            return intervals.stream().filter(i -> i.index() >= from && i.index() < to)
                    .mapToDouble(FrameMeter.Interval::jitterMs).average().orElse(0);
        }
    }

    /** A run: its streams and when the perturbation was on. */
    record Result(String title, int seconds, int perturbationStart, int perturbationEnd, List<StreamResult> streams) {
    }

    static Result run(String title, List<Spec> specs, FrameTrace trace, DemoSettings settings) throws Exception {
        int seconds = settings.seconds();
        int on = settings.perturbationStart();
        int off = settings.perturbationEnd();
        settings.progress("  %s: %d s, bulk transfer from %d s to %d s", title, seconds, on, off);
        List<Stream> streams = new ArrayList<>();
        try (Bed bed = settings.beds().start("video", "dwcs", settings);
                Bed.Perturbation bulk = bed.perturbation(settings)) {
            long origin = bed.rtc().clock().nanoTime() + 100_000_000L;
            try {
                for (Spec spec : specs) {
                    streams.add(new Stream(bed, spec, settings, origin));
                }
                for (Stream s : streams) {
                    s.play(bed, trace, seconds);
                }
                sleepUntil(origin + on * SECOND);
                bulk.start();
                settings.progress("    %2d s  bulk transfer starts", on);
                sleepUntil(origin + off * SECOND);
                bulk.stop();
                settings.progress("    %2d s  bulk transfer stops", off);
                for (Stream s : streams) {
                    s.awaitPlayed(seconds);
                }
                sleepUntil(origin + seconds * SECOND + 300_000_000L);
            } finally {
                for (Stream s : streams) {
                    s.close();
                }
            }
        }
        List<StreamResult> results = new ArrayList<>();
        for (Stream s : streams) {
            results.add(s.result(seconds));
        }
        return new Result(title, seconds, on, off, results);
    }

    static void sleepUntil(long deadlineNanos) {
        long wait;
        while ((wait = deadlineNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /** One stream's sockets, server, client and measurements. */
    private static final class Stream implements AutoCloseable {
        private final Spec spec;
        private final long origin;
        private final DatagramSocket receiver;
        private final DatagramSocket sender;
        private final FrameSender frames;
        private final FrameMeter meter;
        private final Thread client;
        private final List<Long> iFrames = new ArrayList<>();
        private volatile boolean receiving = true;
        private StreamEmulator<Frame> server;

        Stream(Bed bed, Spec spec, DemoSettings settings, long origin) throws IOException {
            this.spec = spec;
            this.origin = origin;
            receiver = bed.receiver();
            QosParams.Builder params = bed.params().backPressure(BackPressure.DROP)
                    .sendQueueCapacity(settings.socketQueue());
            if (spec.managed()) {
                Duration period = Duration.ofNanos(Math.round(1e9 / spec.fps()));
                sender = bed.managed(params.attributes(DwcsAttributes.of(period, 1, 4)).build());
            } else {
                sender = bed.unmanaged(params.build());
            }
            frames = new FrameSender(sender, bed.route(sender, receiver), PAYLOAD, spec.managed(),
                    spec.managed() ? PLAYOUT : null, null);
            meter = new FrameMeter(origin, SECOND);
            client = ReceiveLoop.start("video-client-" + spec.name(), receiver, () -> receiving,
                    (p, now) -> meter.onDatagram(p.getData(), p.getOffset(), p.getLength(), now));
        }

        void play(Bed bed, FrameTrace trace, int seconds) {
            server = StreamEmulator.start("video-server-" + spec.name(), bed.rtc(), origin, trace.loop(spec.fps()),
                    Duration.ofSeconds(seconds), frame -> {
                        if (frame.type() == FrameType.I) {
                            iFrames.add(frame.index());
                        }
                        frames.send(frame);
                    });
        }

        void awaitPlayed(int seconds) throws InterruptedException {
            if (!server.await(Duration.ofSeconds(seconds + 10L))) {
                throw new IllegalStateException("video server " + spec.name() + " did not finish");
            }
        }

        StreamResult result(int seconds) {
            meter.closeUpTo(origin + seconds * SECOND);
            List<FrameMeter.Interval> intervals = meter.intervals().subList(0, Math.min(seconds, meter.intervals().size()));
            long iLost = iFrames.stream().filter(f -> !meter.isComplete(f)).count();
            long sent = frames.frames();
            return new StreamResult(spec, intervals, sent, sent - meter.completedFrames(), iFrames.size(), iLost,
                    frames.refused());
        }

        @Override
        public void close() {
            if (server != null) {
                server.close();
            }
            receiving = false;
            try {
                client.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            receiver.close();
            sender.close();
        }
    }
}
