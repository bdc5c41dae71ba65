package io.qsockets.classifier.htb;

import io.qsockets.KernelStats;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads an HTB class's counters from what {@code tc -s class show} prints. */
final class ClassCounters {
    private static final Pattern SENT = Pattern.compile(
            "Sent (\\d+) bytes (\\d+) pkt \\(dropped (\\d+), overlimits (\\d+)");
    private static final Pattern BACKLOG = Pattern.compile("backlog (\\d+)([KMG]?)b (\\d+)p");

    private ClassCounters() {
    }

    /**
     * @param output the output for one class
     * @throws IllegalArgumentException quoting the output if it holds no counters
     */
    static KernelStats parse(String output, String classId, long rate, long ceil) {
        Matcher sent = SENT.matcher(output);
        Matcher backlog = BACKLOG.matcher(output);
        if (!sent.find() || !backlog.find()) {
            throw new IllegalArgumentException("no counters for class " + classId + " in tc output: " + output.strip());
        }
        long unit = switch (backlog.group(2)) {
            case "K" -> 1L << 10;
            case "M" -> 1L << 20;
            case "G" -> 1L << 30;
            default -> 1;
        };
        return new KernelStats(classId, rate, ceil, Long.parseLong(sent.group(1)), Long.parseLong(sent.group(2)),
                Long.parseLong(sent.group(3)), Long.parseLong(sent.group(4)), Long.parseLong(backlog.group(1)) * unit,
                Long.parseLong(backlog.group(3)));
    }
}
