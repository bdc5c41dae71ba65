package io.qsockets.classifier;

import io.qsockets.classifier.linux.SocketOptionException;
import io.qsockets.classifier.linux.SocketOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the kernel socket behind a Java socket without JDK internals: the socket's bound address
 * (and peer, if connected) picks its rows in {@code /proc/net/udp} and {@code /proc/net/udp6},
 * which give inodes; {@code /proc/self/fd} tells which of those inodes this process holds, and
 * by which descriptor. Two sockets of this process bound to the same address and peer (with
 * {@code SO_REUSEADDR}) are told apart by briefly giving the one asked about a distinct
 * {@code IP_TOS} and reading it back from each descriptor.
 *
 * <p>The tables read are those of the calling thread's network namespace. The descriptor table
 * is cached between lookups, so locating one more socket costs one read of the UDP tables and
 * of the descriptors opened since. Linux only; thread-safe.
 */
public final class SocketLocator {
    private static final Path NET = Files.isDirectory(Path.of("/proc/thread-self/net"))
            ? Path.of("/proc/thread-self/net") : Path.of("/proc/self/net");

    private final FdTable fds = new FdTable(Path.of("/proc/self/fd"));
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 16);

    /**
     * @param socket an open, bound {@link java.net.DatagramSocket} (a {@code QSocket} included)
     *     or {@link java.nio.channels.DatagramChannel}
     * @return its inode and descriptor
     * @throws IllegalArgumentException if {@code socket} is of another type, closed or unbound
     * @throws IllegalStateException if no socket of this process matches (a socket in another
     *     network namespace than the calling thread), or two match and cannot be told apart
     */
    public synchronized NativeSocket locate(Object socket) {
        JavaSocket s = JavaSocket.of(socket);
        int port = s.local().getPort();
        List<UdpRow> rows = new ArrayList<>(s.local().getAddress() instanceof Inet6Address ? List.of() : read(false, port));
        rows.addAll(read(true, port));
        return match(s, rows, new Refresh());
    }

    /**
     * Locates many sockets with one read of the tables.
     *
     * @param sockets open, bound sockets, as for {@link #locate(Object)}
     * @return their identities, in the same order
     */
    public synchronized List<NativeSocket> locateAll(List<?> sockets) {
        List<JavaSocket> wanted = sockets.stream().map(JavaSocket::of).toList();
        Map<Integer, List<UdpRow>> byPort = new HashMap<>();
        for (boolean v6 : new boolean[] {false, true}) {
            for (UdpRow row : read(v6, -1)) {
                byPort.computeIfAbsent(row.localPort(), p -> new ArrayList<>(2)).add(row);
            }
        }
        Refresh refresh = new Refresh();
        List<NativeSocket> found = new ArrayList<>(wanted.size());
        for (JavaSocket s : wanted) {
            found.add(match(s, byPort.getOrDefault(s.local().getPort(), List.of()), refresh));
        }
        return found;
    }

    /**
     * @return whether descriptor {@code socket.fd()} of this process still refers to
     *     {@code socket.inode()}: false once the socket is closed, even if the number was reused
     */
    public synchronized boolean holds(NativeSocket socket) {
        return fds.inodeOf(socket.fd()) == socket.inode();
    }

    private NativeSocket match(JavaSocket s, List<UdpRow> rows, Refresh refresh) {
        InetSocketAddress local = s.local();
        List<UdpRow> candidates = new ArrayList<>(2);
        for (UdpRow row : rows) {
            if (row.localPort() == local.getPort() && sameAddress(row.local(), local.getAddress())) {
                candidates.add(row);
            }
        }
        List<NativeSocket> mine = ours(candidates, local);
        if (mine.size() < candidates.size() && refresh.quick()) {
            mine = ours(candidates, local);
        }
        if (mine.size() < candidates.size() && refresh.full()) {
            mine = ours(candidates, local);
        }
        if (mine.isEmpty()) {
            throw new IllegalStateException("no UDP socket of this process is bound to " + local + " (read " + NET
                    + "/udp, udp6 and /proc/self/fd): is " + s + " in another network namespace than the calling thread?");
        }
        if (mine.size() > 1) {
            mine = samePeer(mine, candidates, s.remote());
        }
        return mine.size() == 1 ? mine.get(0) : probe(s, mine);
    }

    private List<NativeSocket> ours(List<UdpRow> candidates, InetSocketAddress local) {
        List<NativeSocket> mine = new ArrayList<>(candidates.size());
        for (UdpRow row : candidates) {
            int fd = fds.cachedFd(row.inode());
            if (fd >= 0) {
                mine.add(new NativeSocket(row.inode(), fd,
                        row.ipv6() ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET, local));
            }
        }
        return mine;
    }

    private static List<NativeSocket> samePeer(List<NativeSocket> mine, List<UdpRow> candidates,
            InetSocketAddress peer) {
        List<NativeSocket> kept = new ArrayList<>(mine.size());
        for (NativeSocket n : mine) {
            for (UdpRow row : candidates) {
                if (row.inode() == n.inode() && (peer == null ? !row.connected()
                        : row.remotePort() == peer.getPort() && sameAddress(row.remote(), peer.getAddress()))) {
                    kept.add(n);
                    break;
                }
            }
        }
        return kept.isEmpty() ? mine : kept;
    }

    /** Gives {@code s} a traffic class none of the candidates has, and sees which one shows it. */
    private static NativeSocket probe(JavaSocket s, List<NativeSocket> candidates) {
        int original = s.trafficClass();
        Set<Integer> taken = new HashSet<>();
        taken.add(original);
        for (NativeSocket n : candidates) {
            taken.add(trafficClass(n));
        }
        int marker = -1;
        for (int tos = 4; tos < 256 && marker < 0; tos += 4) {
            if (!taken.contains(tos)) {
                marker = tos;
            }
        }
        List<NativeSocket> showing = new ArrayList<>(1);
        if (marker >= 0) {
            s.trafficClass(marker);
            try {
                for (NativeSocket n : candidates) {
                    if (trafficClass(n) == marker) {
                        showing.add(n);
                    }
                }
            } finally {
                s.trafficClass(original);
            }
        }
        if (showing.size() != 1) {
            throw new IllegalStateException(candidates.size() + " sockets of this process are bound to "
                    + s.local() + " and cannot be told apart: inodes "
                    + candidates.stream().map(NativeSocket::inode).toList());
        }
        return showing.get(0);
    }

    private static int trafficClass(NativeSocket n) {
        try {
            return SocketOptions.trafficClass(n);
        } catch (SocketOptionException e) {
            return -1; // closed meanwhile: it cannot be the socket asked about, which is open
        }
    }

    static boolean sameAddress(InetAddress a, InetAddress b) {
        return a.equals(b) || (a.isAnyLocalAddress() && b.isAnyLocalAddress());
    }

    /** @param port the local port of the rows wanted, or -1 for all */
    private List<UdpRow> read(boolean ipv6, int port) {
        Path table = NET.resolve(ipv6 ? "udp6" : "udp");
        if (!Files.exists(table)) {
            return List.of(); // IPv6 disabled, or IPv4 not built
        }
        try {
            return UdpRow.parseTable(readText(table), ipv6, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + table, e);
        }
    }

    /** Reads a /proc file into a reused direct buffer, in as few reads as it takes. */
    private String readText(Path file) throws IOException {
        buffer.clear();
        try (FileChannel channel = FileChannel.open(file)) {
            while (true) {
                if (!buffer.hasRemaining()) {
                    buffer = ByteBuffer.allocateDirect(buffer.capacity() * 2).put(buffer.flip());
                }
                if (channel.read(buffer) < 0) {
                    break;
                }
            }
        }
        byte[] bytes = new byte[buffer.flip().remaining()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Each kind of descriptor-table refresh at most once per lookup or batch. */
    private final class Refresh {
        private boolean quickDone;
        private boolean fullDone;

        boolean quick() {
            if (quickDone || fullDone) {
                return false;
            }
            quickDone = true;
            fds.scan(false);
            return true;
        }

        boolean full() {
            if (fullDone) {
                return false;
            }
            fullDone = true;
            fds.scan(true);
            return true;
        }
    }

    @Override
    public String toString() {
        return "SocketLocator[" + NET + "]";
    }
}
