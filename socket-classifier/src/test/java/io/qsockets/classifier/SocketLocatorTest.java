package io.qsockets.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qsockets.QSocket;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.classifier.testing.TestLibC;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class SocketLocatorTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final SocketLocator locator = new SocketLocator();

    /** The descriptor links to the inode, and the kernel says it is bound to the port Java reports. */
    static void assertIdentifies(NativeSocket n, int port) throws IOException {
        assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/" + n.fd())).toString())
                .isEqualTo("socket:[" + n.inode() + "]");
        assertThat(TestLibC.boundPort(n.fd())).isEqualTo(port);
    }

    @Test
    void findsAnIpv4Channel() throws Exception {
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            ch.bind(new InetSocketAddress(LOOPBACK, 0));

            NativeSocket n = locator.locate(ch);

            assertIdentifies(n, ((InetSocketAddress) ch.getLocalAddress()).getPort());
            assertThat(n.family()).isEqualTo(StandardProtocolFamily.INET);
            assertThat(n.localAddress()).isEqualTo(ch.getLocalAddress());
        }
    }

    @Test
    void findsAnIpv6Channel() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/net/if_inet6")), "IPv6 is disabled on this host");
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET6)) {
            ch.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));

            NativeSocket n = locator.locate(ch);

            assertIdentifies(n, ((InetSocketAddress) ch.getLocalAddress()).getPort());
            assertThat(n.family()).isEqualTo(StandardProtocolFamily.INET6);
            assertThat(n.localAddress().getAddress()).isInstanceOf(Inet6Address.class);
        }
    }

    @Test
    void findsADualStackChannelBoundToAnIpv4Address() throws Exception {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.bind(new InetSocketAddress(LOOPBACK, 0));

            NativeSocket n = locator.locate(ch);

            assertIdentifies(n, ((InetSocketAddress) ch.getLocalAddress()).getPort());
        }
    }

    @Test
    void findsAWildcardBoundLegacySocketAndAConnectedOne() throws Exception {
        try (DatagramSocket wildcard = new DatagramSocket();
                DatagramSocket connected = new DatagramSocket(0, LOOPBACK)) {
            connected.connect(new InetSocketAddress(LOOPBACK, wildcard.getLocalPort()));

            assertIdentifies(locator.locate(wildcard), wildcard.getLocalPort());
            assertIdentifies(locator.locate(connected), connected.getLocalPort());
        }
    }

    @Test
    void findsTheKernelSocketBehindAQSocketAndAnAttachedOne() throws Exception {
        try (QSocket q = new QSocket(new InetSocketAddress(LOOPBACK, 0), QosParams.defaults());
                DatagramSocket legacy = new DatagramSocket(0, LOOPBACK);
                QSocket attached = QSockets.attach(legacy, QosParams.defaults())) {
            assertIdentifies(locator.locate(q), q.getLocalPort());
            NativeSocket viaView = locator.locate(attached);
            assertThat(viaView).isEqualTo(locator.locate(legacy));
            assertIdentifies(viaView, legacy.getLocalPort());
        }
    }

    @Test
    void locatingManyAtOnceGivesWhatLocatingEachGives() throws Exception {
        try (DatagramChannel a = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
                DatagramSocket b = new DatagramSocket(0, LOOPBACK)) {
            List<NativeSocket> both = new SocketLocator().locateAll(List.of(a, b));

            assertThat(both).containsExactly(locator.locate(a), locator.locate(b));
        }
    }

    @Test
    void tellsApartTwoSocketsSharingAnAddressAndLeavesTheirTrafficClassAsItWas() throws Exception {
        try (DatagramChannel first = DatagramChannel.open(StandardProtocolFamily.INET);
                DatagramChannel second = DatagramChannel.open(StandardProtocolFamily.INET)) {
            first.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            second.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            first.setOption(StandardSocketOptions.IP_TOS, 0x20);
            first.bind(new InetSocketAddress(LOOPBACK, 0));
            second.bind(first.getLocalAddress());

            NativeSocket one = locator.locate(first);
            NativeSocket two = locator.locate(second);

            assertThat(one.inode()).isNotEqualTo(two.inode());
            assertThat(first.getOption(StandardSocketOptions.IP_TOS)).isEqualTo(0x20);
            assertThat(second.getOption(StandardSocketOptions.IP_TOS)).isZero();
            second.close(); // the descriptor found for `second` is the one that goes away
            assertThat(locator.holds(two)).isFalse();
            assertThat(locator.holds(one)).isTrue();
        }
    }

    @Test
    void aDescriptorNumberReusedByAnotherSocketIsNotTakenForTheOldOne() throws Exception {
        DatagramChannel old = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        NativeSocket before = locator.locate(old);
        old.close();
        try (DatagramChannel reuser = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            NativeSocket after = locator.locate(reuser);

            assertIdentifies(after, ((InetSocketAddress) reuser.getLocalAddress()).getPort());
            assertThat(locator.holds(before)).isFalse();
        }
    }

    @Test
    void unboundClosedAndForeignObjectsAreRejectedWithTheReason() throws Exception {
        try (DatagramChannel unbound = DatagramChannel.open()) {
            assertThatThrownBy(() -> locator.locate(unbound)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not bound");
        }
        DatagramSocket closed = new DatagramSocket(0, LOOPBACK);
        closed.close();
        assertThatThrownBy(() -> locator.locate(closed)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> locator.locate("socket")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.String").hasMessageContaining("DatagramChannel");
    }
}
