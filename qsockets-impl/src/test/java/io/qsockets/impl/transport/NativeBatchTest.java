package io.qsockets.impl.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The native batch path: descriptor lookup, address encoding, one call for many datagrams. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NativeBatchTest {
    private static final InetAddress V4 = InetAddress.getLoopbackAddress();

    @BeforeEach
    void linuxOnly() {
        assumeTrue(LinuxSockets.AVAILABLE, "native socket calls need Linux on a 64-bit JVM");
    }

    @Test
    void findsTheDescriptorOfABoundChannelAndNothingForAnUnboundOne() throws IOException {
        try (DatagramChannel a = DatagramChannel.open(); DatagramChannel b = DatagramChannel.open()) {
            a.bind(new InetSocketAddress(V4, 0));
            NativeDescriptor d = NativeDescriptor.find((InetSocketAddress) a.getLocalAddress());
            assertThat(d).isNotNull();
            byte[] name = new byte[SocketAddresses.SOCKADDR_IN6_SIZE];
            LinuxSockets.getsockname(d.fd(), name, new int[] {name.length});
            assertThat(SocketAddresses.sameLocal(name, (InetSocketAddress) a.getLocalAddress())).isTrue();
            assertThat(NativeDescriptor.find((InetSocketAddress) b.getLocalAddress())).isNull();
        }
    }

    @Test
    void twoSocketsOnOneAddressAreAmbiguous() throws IOException {
        try (DatagramChannel a = DatagramChannel.open(); DatagramChannel b = DatagramChannel.open()) {
            a.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            b.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            a.bind(new InetSocketAddress(V4, 0));
            b.bind(a.getLocalAddress());
            assertThat(NativeDescriptor.find((InetSocketAddress) a.getLocalAddress())).isNull();
        }
    }

    @Test
    void oneCallCarriesManyDatagramsToSeveralTargetsWithTheirBytes() throws IOException {
        try (DatagramChannel sender = DatagramChannel.open(); DatagramChannel r1 = receiver(V4);
                DatagramChannel r2 = receiver(InetAddress.getByName("::1"))) {
            sender.bind(new InetSocketAddress(0));
            NativeDescriptor d = NativeDescriptor.find((InetSocketAddress) sender.getLocalAddress());
            assertThat(d).isNotNull();
            MmsgBatch batch = MmsgBatch.createIfSupported();
            InetSocketAddress t1 = (InetSocketAddress) r1.getLocalAddress();
            InetSocketAddress t2 = (InetSocketAddress) r2.getLocalAddress();
            int[] sizes = {1, 1400, 9000, 0, 60_000, 64};
            for (int i = 0; i < sizes.length; i++) {
                ByteBuffer area = batch.payloadArea(sizes[i]);
                area.put(payload(i, sizes[i]));
                assertThat(batch.add(i % 2 == 0 ? t1 : t2, d)).isTrue();
            }
            assertThat(batch.send(d.fd(), 0)).isEqualTo(sizes.length);
            for (int i = 0; i < sizes.length; i++) {
                assertThat(batch.length(i)).isEqualTo(sizes[i]);
                ByteBuffer got = ByteBuffer.allocate(65_536);
                InetSocketAddress from = (InetSocketAddress) (i % 2 == 0 ? r1 : r2).receive(got);
                assertThat(from.getPort()).isEqualTo(((InetSocketAddress) sender.getLocalAddress()).getPort());
                assertThat(Arrays.copyOf(got.array(), got.position())).isEqualTo(payload(i, sizes[i]));
            }
        }
    }

    @Test
    void oneReceiveCallReadsWhatWaitsWithItsSendersAndWholeLengths() throws IOException {
        try (DatagramChannel receiver = DatagramChannel.open(); DatagramChannel v4 = DatagramChannel.open();
                DatagramChannel v6 = DatagramChannel.open()) {
            receiver.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            receiver.bind(new InetSocketAddress(0));
            v4.bind(new InetSocketAddress(V4, 0));
            v6.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            int port = ((InetSocketAddress) receiver.getLocalAddress()).getPort();
            int[] sizes = {0, 1, 1400, 60_000, 7, 200};
            for (int i = 0; i < 40; i++) {
                DatagramChannel from = i % 5 == 4 ? v6 : v4;
                InetAddress to = from == v6 ? InetAddress.getByName("::1") : V4;
                from.send(ByteBuffer.wrap(payload(i, sizes[i % sizes.length])), new InetSocketAddress(to, port));
            }
            NativeDescriptor d = NativeDescriptor.find((InetSocketAddress) receiver.getLocalAddress());
            assertThat(d).isNotNull();
            MmsgReceiveBatch batch = MmsgReceiveBatch.createIfSupported();
            int got = 0;
            while (got < 40) {
                int n = batch.receive(d.fd());
                assertThat(n).as("a datagram waits").isPositive();
                assertThat(n).isLessThanOrEqualTo(MmsgReceiveBatch.SLOTS);
                InetSocketAddress previous = null;
                for (int i = 0; i < n; i++, got++) {
                    ByteBuffer b = batch.payload(i);
                    byte[] bytes = new byte[b.remaining()];
                    b.get(bytes);
                    assertThat(bytes).as("datagram %d", got).isEqualTo(payload(got, sizes[got % sizes.length]));
                    InetSocketAddress from = batch.sender(i);
                    assertThat(from).isEqualTo(got % 5 == 4 ? v6.getLocalAddress() : v4.getLocalAddress());
                    if (previous != null && previous.equals(from)) {
                        assertThat(from).isSameAs(previous);
                    }
                    previous = from;
                }
            }
            assertThat(batch.receive(d.fd())).as("nothing left, no blocking").isZero();
        }
    }

    @Test
    void theRoomRunsOutBeforeTheSlotsForLargeDatagrams() {
        MmsgBatch batch = MmsgBatch.createIfSupported();
        NativeDescriptor any = new NativeDescriptor(-1, LinuxSockets.AF_INET6);
        int added = 0;
        ByteBuffer area;
        while ((area = batch.payloadArea(60_000)) != null) {
            area.put(new byte[60_000]);
            batch.add(new InetSocketAddress(V4, 9), any);
            added++;
        }
        assertThat(added).isBetween(1, MmsgBatch.SLOTS - 1);
        batch.clear();
        assertThat(batch.size()).isZero();
        assertThat(batch.payloadArea(60_000)).isNotNull();
    }

    @Test
    void anIpv4SocketCannotCarryAnIpv6Target() throws IOException {
        MmsgBatch batch = MmsgBatch.createIfSupported();
        batch.payloadArea(1).put((byte) 1);
        assertThat(batch.add(new InetSocketAddress(InetAddress.getByName("::1"), 9),
                new NativeDescriptor(-1, LinuxSockets.AF_INET))).isFalse();
        assertThat(batch.size()).isZero();
    }

    @Test
    void aClosedDescriptorGivesAnErrnoNotAnException() throws IOException {
        MmsgBatch batch = MmsgBatch.createIfSupported();
        batch.payloadArea(1).put((byte) 1);
        NativeDescriptor bad = new NativeDescriptor(Integer.MAX_VALUE, LinuxSockets.AF_INET6);
        batch.add(new InetSocketAddress(V4, 9), bad);
        assertThat(batch.send(bad.fd(), 0)).isEqualTo(-9); // EBADF
    }

    private static DatagramChannel receiver(InetAddress address) throws IOException {
        DatagramChannel r = DatagramChannel.open();
        r.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
        r.bind(new InetSocketAddress(address, 0));
        return r;
    }

    private static byte[] payload(int seed, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }
}
