package io.qsockets.classifier.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two network namespaces joined by a veth pair, for kernel tests: {@code a} holds
 * {@code 10.77.S.1} on its end, {@code b} holds {@code 10.77.S.2}. Code runs in a namespace on a
 * fresh thread that enters it (threads and processes it starts stay there); {@link #close()}
 * deletes both namespaces. Tests call {@link #assumeUsable()} first: without root, or without
 * {@code ip}/{@code tc}, they are skipped with the reason.
 */
public final class Netns implements AutoCloseable {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final long CALL_TIMEOUT_SECONDS = 40;

    public final String a;
    public final String b;
    public final String deviceA;
    public final String deviceB;
    public final String addressA;
    public final String addressB;

    private Netns(int subnet) {
        String id = ProcessHandle.current().pid() % 100_000 + "x" + SEQUENCE.incrementAndGet();
        this.a = "qsa" + id;
        this.b = "qsb" + id;
        this.deviceA = "qva" + id;
        this.deviceB = "qvb" + id;
        this.addressA = "10.77." + subnet + ".1";
        this.addressB = "10.77." + subnet + ".2";
    }

    /** Skips the calling test, with the reason, unless namespaces can be made here. */
    public static void assumeUsable() {
        String reason = unusableReason();
        if (reason != null) {
            System.out.println("skipped: " + reason);
        }
        assumeTrue(reason == null, reason);
    }

    private static String unusableReason() {
        if (!System.getProperty("os.name").startsWith("Linux")) {
            return "kernel tests need Linux network namespaces";
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))) {
            return "kernel tests need the ip command of iproute2";
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/tc")) && !Files.isExecutable(Path.of("/sbin/tc"))) {
            return "kernel tests need the tc command of iproute2";
        }
        if (!"0".equals(uid())) {
            return "kernel tests need root (network namespaces, qdiscs, SO_PRIORITY above 6); uid is " + uid();
        }
        return NamespaceProbe.FAILURE;
    }

    /** Whether a network namespace can be made here (a container may forbid it); probed once. */
    private static final class NamespaceProbe {
        static final String FAILURE = probe();

        private static String probe() {
            String name = "qsprobe" + ProcessHandle.current().pid();
            try {
                run("ip", "netns", "add", name);
                run("ip", "netns", "del", name);
                return null;
            } catch (IllegalStateException e) {
                return "kernel tests cannot create a network namespace here (" + e.getMessage().strip()
                        + "); a container needs CAP_SYS_ADMIN, e.g. docker run --privileged";
            }
        }
    }

    private static String uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2]; // effective uid
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }

    /** Creates the namespaces and the link, {@code 10.77.subnet.0/24}. */
    public static Netns create(int subnet) {
        Netns n = new Netns(subnet);
        try {
            run("ip", "netns", "add", n.a);
            run("ip", "netns", "add", n.b);
            run("ip", "link", "add", n.deviceA, "netns", n.a, "type", "veth", "peer", "name", n.deviceB, "netns", n.b);
            run("ip", "-n", n.a, "addr", "add", n.addressA + "/24", "dev", n.deviceA);
            run("ip", "-n", n.b, "addr", "add", n.addressB + "/24", "dev", n.deviceB);
            for (String ns : List.of(n.a, n.b)) {
                run("ip", "-n", ns, "link", "set", "lo", "up");
            }
            run("ip", "-n", n.a, "link", "set", n.deviceA, "up");
            run("ip", "-n", n.b, "link", "set", n.deviceB, "up");
        } catch (RuntimeException e) {
            n.close();
            throw e;
        }
        return n;
    }

    /** Runs {@code body} on a new thread inside namespace {@code a}, and waits for it. */
    public <T> T inA(Callable<T> body) throws Exception {
        return in(a, body);
    }

    /** Runs {@code body} on a new thread inside namespace {@code b}, and waits for it. */
    public <T> T inB(Callable<T> body) throws Exception {
        return in(b, body);
    }

    private static <T> T in(String namespace, Callable<T> body) throws Exception {
        FutureTask<T> task = new FutureTask<>(() -> {
            TestLibC.enterNetworkNamespace("/var/run/netns/" + namespace);
            return body.call();
        });
        Thread t = new Thread(task, "in-" + namespace);
        t.setDaemon(true);
        t.start();
        try {
            return task.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** @return what {@code tc args...} prints inside namespace {@code a} */
    public String tcInA(String... args) {
        List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", a, "tc"));
        line.addAll(List.of(args));
        return run(line.toArray(String[]::new));
    }

    /** @return the root qdisc line of device A, e.g. {@code "qdisc noqueue 0: root refcnt 2"} */
    public String rootQdiscA() {
        return tcInA("qdisc", "show", "dev", deviceA, "root").strip();
    }

    /** Runs a command; fails with its output if it fails. */
    public static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    /** Deletes both namespaces (and with them the link and any qdisc). */
    @Override
    public void close() {
        for (String ns : List.of(a, b)) {
            try {
                run("ip", "netns", "del", ns);
            } catch (IllegalStateException e) {
                // not created
            }
        }
    }
}
