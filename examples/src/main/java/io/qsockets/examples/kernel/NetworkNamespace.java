package io.qsockets.examples.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Linux network namespace this program made ({@code ip netns add}), with one thread that lives
 * in it: {@link #call} runs code there, and every socket, thread and process that code creates
 * belongs to the namespace too (a socket keeps its namespace whichever thread uses it later).
 * {@link #close()} stops the thread and deletes the namespace, with its devices. Thread-safe.
 */
public final class NetworkNamespace implements AutoCloseable {
    private static final long CALL_TIMEOUT_SECONDS = 60;
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x4000_0000;

    private final String name;
    private final ExecutorService thread;
    private volatile boolean closed;

    private NetworkNamespace(String name) {
        this.name = name;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netns-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @return why namespaces cannot be made here (not Linux, no {@code ip} or {@code tc}, not
     *     root, or the kernel refuses), or null if they can
     */
    public static String unavailableReason() {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return "network namespaces need Linux; this is " + System.getProperty("os.name");
        }
        for (String tool : List.of("ip", "tc")) {
            if (!onPath(tool)) {
                return "'" + tool + "' was not found in /usr/sbin, /sbin or PATH: install iproute2 "
                        + "(apt-get install iproute2)";
            }
        }
        if (!"0".equals(effectiveUid())) {
            return "network namespaces, qdiscs and SO_PRIORITY above 6 need root; effective uid is "
                    + effectiveUid() + ": run with sudo";
        }
        String probe = "qsprobe" + ProcessHandle.current().pid();
        try {
            run("ip", "netns", "add", probe);
            run("ip", "netns", "del", probe);
            return null;
        } catch (IllegalStateException e) {
            return "the kernel refused a network namespace (" + e.getMessage().strip()
                    + "); in a container run it with --privileged";
        }
    }

    private static boolean onPath(String tool) {
        List<String> dirs = new ArrayList<>(List.of("/usr/sbin", "/sbin"));
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        return dirs.stream().anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, tool)));
    }

    private static String effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2];
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }

    /**
     * Makes the namespace {@code name}, brings its loopback up and starts its thread.
     *
     * @throws IllegalStateException if {@code ip} fails (the message carries its output)
     */
    public static NetworkNamespace create(String name) {
        run("ip", "netns", "add", name);
        NetworkNamespace ns = new NetworkNamespace(name);
        try {
            run("ip", "-n", name, "link", "set", "lo", "up");
            ns.call(() -> {
                enter(name);
                return null;
            });
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** @return the namespace's name, as {@code ip netns} lists it */
    public String name() {
        return name;
    }

    /**
     * Runs {@code body} on the namespace's thread and waits for it (at most 60 s).
     *
     * @throws IllegalStateException if the namespace is closed, the body takes too long, or the
     *     wait is interrupted; what the body throws is rethrown unwrapped when unchecked
     */
    public <T> T call(Callable<T> body) {
        if (closed) {
            throw new IllegalStateException("network namespace " + name + " is closed");
        }
        Future<T> f = thread.submit(body);
        try {
            return f.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("in network namespace " + name + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new IllegalStateException("work in network namespace " + name + " took over "
                    + CALL_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while working in network namespace " + name, e);
        }
    }

    /** Runs {@code ip -n <this> args...}. */
    public String ip(String... args) {
        List<String> line = new ArrayList<>(List.of("ip", "-n", name));
        line.addAll(List.of(args));
        return run(line.toArray(String[]::new));
    }

    /** @return whether {@code ip netns} still lists the namespace {@code name} */
    public static boolean exists(String name) {
        return run("ip", "netns", "list").lines().anyMatch(l -> l.split("\\s+")[0].equals(name));
    }

    /** Runs a command and returns its output; fails with the output if the command fails. */
    public static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    /** Stops the thread and deletes the namespace. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        thread.shutdownNow();
        try {
            run("ip", "netns", "del", name);
        } catch (IllegalStateException e) {
            // already gone
        }
    }

    /** Moves the calling thread into the namespace {@code name}. */
    private static void enter(String name) {
        int fd = CLib.open("/var/run/netns/" + name, O_RDONLY_CLOEXEC);
        try {
            CLib.setns(fd, CLONE_NEWNET);
        } finally {
            CLib.close(fd);
        }
    }

    /** The C library calls that enter a namespace (JNA direct mapping). */
    private static final class CLib {
        static {
            Native.register(CLib.class, Platform.C_LIBRARY_NAME);
        }

        static native int open(String path, int flags) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;

        static native int setns(int fd, int nstype) throws LastErrorException;
    }
}
