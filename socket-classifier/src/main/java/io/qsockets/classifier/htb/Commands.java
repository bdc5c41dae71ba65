package io.qsockets.classifier.htb;

import io.qsockets.KernelOffloadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the iproute2 commands ({@code tc}, {@code ip}) in the calling thread's network namespace
 * and returns what they print; a failure becomes a {@link KernelOffloadException} quoting the
 * command and its error output. Thread-safe.
 */
final class Commands {
    private static final long TIMEOUT_SECONDS = 10;

    private final Path tc;
    private final Path ip;

    Commands(Path tc, Path ip) {
        this.tc = tc;
        this.ip = ip;
    }

    /** @return what {@code tc args...} printed */
    String tc(String... args) {
        return run(tc, args);
    }

    /** @return what {@code ip args...} printed */
    String ip(String... args) {
        return run(ip, args);
    }

    /** Runs {@code tc args...}, ignoring a failure (used while restoring). */
    void tcQuietly(String... args) {
        try {
            run(tc, args);
        } catch (KernelOffloadException e) {
            // best effort: the caller restores what it can
        }
    }

    private static String run(Path command, String... args) {
        List<String> line = new ArrayList<>(args.length + 1);
        line.add(command.toString());
        line.addAll(List.of(args));
        String shown = String.join(" ", line);
        try {
            Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new KernelOffloadException("'" + shown + "' did not finish within " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new KernelOffloadException("'" + shown + "' failed (exit " + p.exitValue() + "): "
                        + out.strip() + hint(out));
            }
            return out;
        } catch (IOException e) {
            throw new KernelOffloadException("cannot run '" + shown + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelOffloadException("interrupted while running '" + shown + "'", e);
        }
    }

    private static String hint(String output) {
        if (output.contains("Operation not permitted")) {
            return " (the tc process lacks CAP_NET_ADMIN: run as root, or make the capability ambient)";
        }
        if (output.contains("qdisc kind is unknown") || output.contains("Unknown qdisc")) {
            return " (this kernel has no HTB qdisc: modprobe sch_htb, or build with CONFIG_NET_SCH_HTB)";
        }
        return "";
    }
}
