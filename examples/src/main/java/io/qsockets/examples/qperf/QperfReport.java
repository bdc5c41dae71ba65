package io.qsockets.examples.qperf;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** A qperf report in its three forms: wire text ({@code key=value} lines), a human table, JSON. */
final class QperfReport {

    private QperfReport() {
    }

    static String toText(Map<String, String> report) {
        return report.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n"));
    }

    static Map<String, String> parse(String text) {
        Map<String, String> r = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                r.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return r;
    }

    /** @return a JSON object; every value is a number */
    static String toJson(Map<String, String> report) {
        return report.entrySet().stream().map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    static String toTable(Map<String, String> r) {
        StringBuilder s = new StringBuilder();
        row(s, "datagrams", r.get("received") + " of " + r.get("sent") + " received, " + r.get("lost") + " lost ("
                + r.get("loss_percent") + " %)");
        row(s, "throughput", String.format(Locale.ROOT, "%.3f Mbit/s over %s s",
                Double.parseDouble(r.get("throughput_bps")) / 1e6, r.get("seconds")));
        row(s, "on time", "0".equals(r.get("with_deadline")) ? "no deadlines"
                : r.get("on_time_percent") + " % of those sent arrived by their deadline");
        row(s, "jitter", r.get("jitter_ms") + " ms (RFC 3550)");
        row(s, "out of order", r.get("out_of_order") + ", duplicates " + r.get("duplicates"));
        return s.toString();
    }

    private static void row(StringBuilder s, String name, String value) {
        s.append(String.format(Locale.ROOT, "  %-13s %s%n", name, value));
    }
}
