package io.qsockets.classifier;

import static io.qsockets.classifier.SocketLocatorTest.assertIdentifies;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.Closeable;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Inode and descriptor lookup for 1000 sockets of all kinds, at once and one by one. */
@Timeout(60)
class SocketLocatorScaleTest {
    private static final int SOCKETS = 1000;
    private final List<Object> sockets = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (Object s : sockets) {
            ((Closeable) s).close();
        }
    }

    private void open() throws Exception {
        InetAddress v4 = InetAddress.getByName("127.0.0.1");
        boolean ipv6 = Files.exists(Path.of("/proc/net/if_inet6"));
        for (int i = 0; i < SOCKETS; i++) {
            switch (i % 4) {
                case 0 -> sockets.add(DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(v4, 0)));
                case 1 -> sockets.add(DatagramChannel.open().bind(new InetSocketAddress(v4, 0)));
                case 2 -> sockets.add(new DatagramSocket());
                default -> sockets.add(ipv6
                        ? DatagramChannel.open(StandardProtocolFamily.INET6)
                                .bind(new InetSocketAddress(InetAddress.getByName("::1"), 0))
                        : new DatagramSocket(0, v4));
            }
        }
    }

    private static int port(Object socket) throws Exception {
        return socket instanceof DatagramSocket s ? s.getLocalPort()
                : ((InetSocketAddress) ((DatagramChannel) socket).getLocalAddress()).getPort();
    }

    @Test
    void everySocketIsFoundWithItsOwnInodeAndDescriptor() throws Exception {
        open();

        long t0 = System.nanoTime();
        List<NativeSocket> all = new SocketLocator().locateAll(sockets);
        long batch = System.nanoTime() - t0;

        Set<Long> inodes = new HashSet<>();
        Set<Integer> fds = new HashSet<>();
        for (int i = 0; i < SOCKETS; i++) {
            assertIdentifies(all.get(i), port(sockets.get(i)));
            inodes.add(all.get(i).inode());
            fds.add(all.get(i).fd());
        }
        assertThat(inodes).hasSize(SOCKETS);
        assertThat(fds).hasSize(SOCKETS);

        SocketLocator one = new SocketLocator();
        long t1 = System.nanoTime();
        for (int i = 0; i < SOCKETS; i++) {
            assertThat(one.locate(sockets.get(i))).isEqualTo(all.get(i));
        }
        long each = System.nanoTime() - t1;
        System.out.printf(Locale.ROOT, "%d sockets: all at once %.1f ms (%.1f us each); one by one %.1f ms "
                + "(%.1f us each)%n", SOCKETS, batch / 1e6, batch / 1e3 / SOCKETS, each / 1e6, each / 1e3 / SOCKETS);
    }
}
