package io.qsockets.classifier.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qsockets.classifier.NativeSocket;
import io.qsockets.classifier.SocketLocator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SocketOptionsTest {
    private final SocketLocator locator = new SocketLocator();

    private static boolean root() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0"));
    }

    @Test
    void priorityIsSetOnTheDescriptorAndReadBack() throws Exception {
        try (DatagramChannel ch = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            NativeSocket n = locator.locate(ch);
            assertThat(SocketOptions.priority(n)).isZero();

            SocketOptions.setPriority(n, 5);

            assertThat(SocketOptions.priority(n)).isEqualTo(5);
        }
    }

    @Test
    void anHtbClassIdAndAMarkNeedPrivilegeAndStick() throws Exception {
        assumeTrue(root(), "priorities above 6 and marks need CAP_NET_ADMIN; not root");
        try (DatagramChannel ch = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            NativeSocket n = locator.locate(ch);

            SocketOptions.setPriority(n, 0x0001_0010);
            SocketOptions.setMark(n, 0xCAFE);

            assertThat(SocketOptions.priority(n)).isEqualTo(0x0001_0010);
            assertThat(SocketOptions.mark(n)).isEqualTo(0xCAFE);
        }
    }

    @Test
    void dscpGoesToIpTosOnIpv4AndToTheTrafficClassOnIpv6() throws Exception {
        try (DatagramChannel v4 = DatagramChannel.open(StandardProtocolFamily.INET)
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            NativeSocket n = locator.locate(v4);

            SocketOptions.setDscp(n, 46);

            assertThat(SocketOptions.dscp(n)).isEqualTo(46);
            assertThat(v4.getOption(StandardSocketOptions.IP_TOS)).isEqualTo(46 << 2);
        }
        assumeTrue(Files.exists(Path.of("/proc/net/if_inet6")), "IPv6 is disabled on this host");
        try (DatagramChannel v6 = DatagramChannel.open(StandardProtocolFamily.INET6)
                .bind(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            NativeSocket n = locator.locate(v6);

            SocketOptions.setDscp(n, 10);

            assertThat(n.isIpv6()).isTrue();
            assertThat(SocketOptions.trafficClass(n)).isEqualTo(10 << 2);
            assertThat(v6.getOption(StandardSocketOptions.IP_TOS)).isEqualTo(10 << 2);
        }
    }

    @Test
    void dscpOutOfRangeIsRejected() throws Exception {
        try (DatagramChannel ch = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            NativeSocket n = locator.locate(ch);

            assertThatThrownBy(() -> SocketOptions.setDscp(n, 64)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("64").hasMessageContaining("0 and 63");
        }
    }

    @Test
    void pacingRateTakesSmallAndLargeValuesAndNone() throws Exception {
        try (DatagramChannel ch = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            NativeSocket n = locator.locate(ch);
            assertThat(SocketOptions.maxPacingRate(n)).isEqualTo(Long.MAX_VALUE);

            SocketOptions.setMaxPacingRate(n, 125_000);
            assertThat(SocketOptions.maxPacingRate(n)).isEqualTo(125_000);

            SocketOptions.setMaxPacingRate(n, 10_000_000_000L);
            assertThat(SocketOptions.maxPacingRate(n)).isEqualTo(10_000_000_000L);

            SocketOptions.setMaxPacingRate(n, Long.MAX_VALUE);
            assertThat(SocketOptions.maxPacingRate(n)).isEqualTo(Long.MAX_VALUE);
        }
    }

    @Test
    void aClosedDescriptorGivesEbadfWithItsCause() throws Exception {
        DatagramChannel ch = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        NativeSocket n = locator.locate(ch);
        ch.close();

        assertThatThrownBy(() -> SocketOptions.setPriority(n, 3)).isInstanceOf(SocketOptionException.class)
                .hasMessageContaining("setsockopt(fd " + n.fd() + ", SO_PRIORITY) = 3").hasMessageContaining("EBADF")
                .hasMessageContaining("was the socket closed?")
                .satisfies(e -> assertThat(((SocketOptionException) e).errno()).isEqualTo(9));
    }

    @Test
    void aDescriptorThatIsNoSocketGivesEnotsock() throws Exception {
        try (var file = java.nio.channels.FileChannel.open(Path.of("/proc/self/status"))) {
            int fd = Files.list(Path.of("/proc/self/fd"))
                    .filter(p -> readLink(p).equals("/proc/" + ProcessHandle.current().pid() + "/status"))
                    .mapToInt(p -> Integer.parseInt(p.getFileName().toString())).findFirst().orElseThrow();
            NativeSocket notASocket = new NativeSocket(1, fd, StandardProtocolFamily.INET,
                    new InetSocketAddress(0));

            assertThatThrownBy(() -> SocketOptions.priority(notASocket)).isInstanceOf(SocketOptionException.class)
                    .hasMessageContaining("ENOTSOCK").hasMessageContaining("not a socket")
                    .satisfies(e -> assertThat(((SocketOptionException) e).errnoName()).isEqualTo("ENOTSOCK"));
        }
    }

    @Test
    void aRefusedPriorityNamesTheCapabilityItNeeds() {
        SocketOptionException e = new SocketOptionException("setsockopt(fd 7, SO_PRIORITY) = 65552", 1,
                "Operation not permitted");

        assertThat(e).hasMessage("setsockopt(fd 7, SO_PRIORITY) = 65552 failed: EPERM (Operation not permitted); "
                + "priorities above 6 and marks need CAP_NET_ADMIN: run as root or grant the capability");
    }

    private static String readLink(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
