package io.qsockets.classifier.htb;

import io.qsockets.KernelOffloadException;
import io.qsockets.classifier.linux.SocketOptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the kernel path needs of the host, and the message for each missing piece: Linux, socket
 * options through JNA, the {@code tc} and {@code ip} commands of iproute2, and
 * {@code CAP_NET_ADMIN}. Immutable.
 *
 * @param osName the operating system, as {@code os.name} says
 * @param effectiveCapabilities the calling thread's effective capability set, or -1 if unknown
 * @param tc the {@code tc} command, or null if not found
 * @param ip the {@code ip} command, or null if not found
 * @param searchPath where the commands were looked for
 */
record HostFacts(String osName, long effectiveCapabilities, Path tc, Path ip, String searchPath) {
    static final int CAP_NET_ADMIN = 12;
    private static final String SBIN = "/usr/local/sbin:/usr/sbin:/sbin";

    /** @return the facts as the calling thread sees them */
    static HostFacts current() {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + SBIN;
        return new HostFacts(System.getProperty("os.name"), readCapabilities(), find("tc", path),
                find("ip", path), path);
    }

    /** @throws KernelOffloadException naming the first missing piece and how to get it */
    void require(String device) {
        if (!osName.startsWith("Linux")) {
            throw new KernelOffloadException("kernel offload hands scheduling to Linux traffic control (an HTB qdisc); "
                    + "this is " + osName + ". Leave EngineConfig.kernelOffload unset: the user-level path works here");
        }
        try {
            SocketOptions.requireSupported();
        } catch (UnsupportedOperationException e) {
            throw new KernelOffloadException("kernel offload cannot mark sockets here: " + e.getMessage(), e);
        }
        for (Path command : new Path[] {tc, ip}) {
            if (command == null) {
                throw new KernelOffloadException("kernel offload runs the tc and ip commands of iproute2, and "
                        + (tc == null ? "tc" : "ip") + " is not on PATH (" + searchPath + "): install iproute2 "
                        + "(Debian/Ubuntu: apt-get install iproute2; Fedora/RHEL: dnf install iproute iproute-tc)");
            }
        }
        if (effectiveCapabilities >= 0 && (effectiveCapabilities & (1L << CAP_NET_ADMIN)) == 0) {
            throw new KernelOffloadException("kernel offload needs CAP_NET_ADMIN (to install a qdisc on " + device
                    + " and to set SO_PRIORITY above 6), which this process lacks: run it as root, or grant the "
                    + "capability as an ambient one so that the tc it runs has it too (systemd: "
                    + "AmbientCapabilities=CAP_NET_ADMIN; Docker: --cap-add NET_ADMIN)");
        }
    }

    private static long readCapabilities() {
        for (String status : new String[] {"/proc/thread-self/status", "/proc/self/status"}) {
            try {
                for (String line : Files.readAllLines(Path.of(status))) {
                    if (line.startsWith("CapEff:")) {
                        return Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux, or no /proc: unknown
            }
        }
        return -1;
    }

    private static Path find(String command, String path) {
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, command);
                if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }
}
