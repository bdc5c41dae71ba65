package io.qsockets.examples.qperf;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The qperf server's measurements of one test: datagrams and bytes received, loss (against the
 * count the client reports), reordering, duplicates, the share delivered by the deadline, and the
 * RFC 3550 interarrival jitter (which needs no clock synchronisation; the on-time share does, so
 * across hosts their clocks must agree). Not thread-safe.
 */
final class QperfStats {
    private final BitSet seen = new BitSet();
    private long received;
    private long bytes;
    private long outOfOrder;
    private long duplicates;
    private long withDeadline;
    private long onTime;
    private long maxSeq = -1;
    private long firstMicros = -1;
    private long lastMicros;
    private long previousTransit = Long.MIN_VALUE;
    private double jitterMicros;

    void onData(long seq, long sentMicros, long deadlineMicros, int length, long nowMicros) {
        if (seq < 0 || seq >= Integer.MAX_VALUE) {
            return;
        }
        if (seen.get((int) seq)) {
            duplicates++;
            return;
        }
        seen.set((int) seq);
        received++;
        bytes += length;
        if (seq < maxSeq) {
            outOfOrder++;
        }
        maxSeq = Math.max(maxSeq, seq);
        if (firstMicros < 0) {
            firstMicros = nowMicros;
        }
        lastMicros = nowMicros;
        if (deadlineMicros > 0) {
            withDeadline++;
            if (nowMicros <= deadlineMicros) {
                onTime++;
            }
        }
        long transit = nowMicros - sentMicros;
        if (previousTransit != Long.MIN_VALUE) {
            jitterMicros += (Math.abs(transit - previousTransit) - jitterMicros) / 16;
        }
        previousTransit = transit;
    }

    long received() {
        return received;
    }

    /**
     * @param sent datagrams the client sent, or -1 if unknown (then the highest number seen + 1)
     * @return the report, in a fixed order
     */
    Map<String, String> report(long sent) {
        long total = sent >= 0 ? sent : maxSeq + 1;
        double seconds = Math.max(1e-6, (lastMicros - firstMicros) / 1e6);
        Map<String, String> r = new LinkedHashMap<>();
        r.put("sent", Long.toString(total));
        r.put("received", Long.toString(received));
        r.put("lost", Long.toString(Math.max(0, total - received)));
        r.put("loss_percent", fmt(total == 0 ? 0 : 100.0 * Math.max(0, total - received) / total));
        r.put("bytes", Long.toString(bytes));
        r.put("seconds", fmt(received < 2 ? 0 : seconds));
        r.put("throughput_bps", fmt(received < 2 ? 0 : bytes * 8 / seconds));
        r.put("with_deadline", Long.toString(withDeadline));
        r.put("on_time_percent", fmt(withDeadline == 0 ? 0 : 100.0 * onTime / total));
        r.put("jitter_ms", String.format(Locale.ROOT, "%.3f", jitterMicros / 1000));
        r.put("out_of_order", Long.toString(outOfOrder));
        r.put("duplicates", Long.toString(duplicates));
        return r;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
