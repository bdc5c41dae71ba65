package io.qsockets.examples.demo;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * What every experiment of the demo shares.
 *
 * @param seconds the length of each run
 * @param linkBitsPerSecond the bottleneck's rate
 * @param delay the bottleneck's one-way delay
 * @param bulkBacklog datagrams the bulk transfer keeps queued
 * @param socketQueue the send queue bound of the sockets under test (non-blocking: a full queue drops)
 * @param seed seeds the link and the generated workloads
 * @param progress where progress lines go
 * @param beds where the runs happen
 */
record DemoSettings(int seconds, long linkBitsPerSecond, Duration delay, int bulkBacklog, int socketQueue, long seed,
        PrintWriter progress, Bed.Factory beds) {

    /** @return these settings with {@code runs} instead of the runs' length */
    DemoSettings withSeconds(int runs, PrintWriter to) {
        return new DemoSettings(runs, linkBitsPerSecond, delay, bulkBacklog, socketQueue, seed, to, beds);
    }

    /** @return the second at which the video experiments' perturbation starts */
    int perturbationStart() {
        return (int) Math.round(seconds * 0.3);
    }

    /** @return the second at which it stops */
    int perturbationEnd() {
        return Math.max(perturbationStart() + 1, (int) Math.round(seconds * 0.7));
    }

    void progress(String format, Object... args) {
        progress.printf(java.util.Locale.ROOT, format + "%n", args);
        progress.flush();
    }
}
