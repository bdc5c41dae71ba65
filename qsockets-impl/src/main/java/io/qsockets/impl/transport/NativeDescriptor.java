package io.qsockets.impl.transport;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The file descriptor behind a bound datagram socket of this process, found without JDK internals:
 * among the sockets listed in {@code /proc/self/fd}, the one datagram socket whose
 * {@code getsockname} is the socket's local address. Sockets sharing a local address (address or
 * port reuse) are ambiguous and yield no descriptor.
 *
 * @param fd the descriptor
 * @param family {@link LinuxSockets#AF_INET} or {@link LinuxSockets#AF_INET6}
 */
public record NativeDescriptor(int fd, int family) {
    private static final Path FDS = Path.of("/proc/self/fd");

    /**
     * Finds the descriptor of the datagram socket bound to {@code local}. O(open descriptors).
     *
     * @return the descriptor, or null if native calls are unavailable, nothing or more than one
     *     socket matches, or {@code /proc} cannot be read
     */
    static NativeDescriptor find(InetSocketAddress local) {
        if (!LinuxSockets.AVAILABLE || local == null || local.getPort() == 0) {
            return null;
        }
        NativeDescriptor found = null;
        byte[] name = new byte[SocketAddresses.SOCKADDR_IN6_SIZE];
        int[] nameLength = new int[1];
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
            for (Path entry : fds) {
                int fd = descriptorOf(entry);
                if (fd < 0 || LinuxSockets.intOption(fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_TYPE)
                        != LinuxSockets.SOCK_DGRAM) {
                    continue;
                }
                Arrays.fill(name, (byte) 0);
                nameLength[0] = name.length;
                try {
                    LinuxSockets.getsockname(fd, name, nameLength);
                } catch (LastErrorException e) {
                    continue; // closed meanwhile
                }
                if (SocketAddresses.sameLocal(name, local)) {
                    if (found != null) {
                        return null;
                    }
                    int family = LinuxSockets.intOption(fd, LinuxSockets.SOL_SOCKET, LinuxSockets.SO_DOMAIN);
                    found = new NativeDescriptor(fd, family);
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return found != null && (found.family == LinuxSockets.AF_INET || found.family == LinuxSockets.AF_INET6)
                ? found : null;
    }

    private static int descriptorOf(Path entry) {
        try {
            if (!Files.readSymbolicLink(entry).toString().startsWith("socket:[")) {
                return -1;
            }
            return Integer.parseInt(entry.getFileName().toString());
        } catch (IOException | NumberFormatException | UnsupportedOperationException e) {
            return -1;
        }
    }

    /** @return whether this socket's family can carry a datagram to {@code target} */
    public boolean canReach(InetSocketAddress target) {
        return family == LinuxSockets.AF_INET6 || target.getAddress().getAddress().length == 4;
    }
}
