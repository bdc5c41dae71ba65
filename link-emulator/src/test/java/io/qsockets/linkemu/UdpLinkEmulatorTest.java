package io.qsockets.linkemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.FutureTask;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class UdpLinkEmulatorTest {
    private static final long MS = 1_000_000;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeResources() throws Exception {
        for (AutoCloseable r : resources) {
            r.close();
        }
    }

    private DatagramSocket endpoint() throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.setSoTimeout(5_000);
        s.setReceiveBufferSize(1 << 20);
        resources.add(s);
        return s;
    }

    private static InetSocketAddress address(DatagramSocket s) {
        return (InetSocketAddress) s.getLocalSocketAddress();
    }

    private <T extends AutoCloseable> T managed(T resource) {
        resources.add(resource);
        return resource;
    }

    private static void send(DatagramSocket from, SocketAddress to, long index, int length) throws IOException {
        byte[] b = new byte[length];
        ByteBuffer.wrap(b).putLong(index);
        from.send(new DatagramPacket(b, length, to));
    }

    private static DatagramPacket receive(DatagramSocket s) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        s.receive(p);
        return p;
    }

    private static long index(DatagramPacket p) {
        return ByteBuffer.wrap(p.getData(), p.getOffset(), p.getLength()).getLong();
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000 * MS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            LockSupport.parkNanos(100_000);
        }
    }

    @Test
    void relaysBothWaysAfterTheConfiguredDelay() throws Exception {
        DatagramSocket a = endpoint();
        DatagramSocket b = endpoint();
        UdpLinkEmulator link = managed(UdpLinkEmulator.between(address(a), address(b),
                LinkProfile.builder().delay(Duration.ofMillis(30)).build(),
                LinkProfile.builder().delay(Duration.ofMillis(20)).build()));
        for (int i = 0; i < 5; i++) {
            long sent = System.nanoTime();
            send(a, link.relayForA(), i, 100);
            DatagramPacket atB = receive(b);
            long oneWay = System.nanoTime() - sent;
            assertThat(index(atB)).isEqualTo(i);
            assertThat(atB.getLength()).isEqualTo(100);
            assertThat(atB.getSocketAddress()).isEqualTo(link.relayForB());
            assertThat(oneWay).isBetween(30 * MS, 30 * MS + 500 * MS);

            sent = System.nanoTime();
            send(b, atB.getSocketAddress(), 1000 + i, 50); // B answers its source
            DatagramPacket atA = receive(a);
            long back = System.nanoTime() - sent;
            assertThat(index(atA)).isEqualTo(1000 + i);
            assertThat(atA.getSocketAddress()).isEqualTo(link.relayForA());
            assertThat(back).isBetween(20 * MS, 20 * MS + 500 * MS);
        }
        assertThat(link.counters(Direction.A_TO_B)).isEqualTo(new LinkCounters(5, 500, 5, 500, 0, 0, 0, 0));
        assertThat(link.counters(Direction.B_TO_A)).isEqualTo(new LinkCounters(5, 250, 5, 250, 0, 0, 0, 0));
        assertThat(link.routes()).hasSize(1);
        assertThat(link.routes().get(0).endpointA()).isEqualTo(address(a));
        assertThat(link.strayDatagrams()).isZero();
        assertThat(link.relayErrors()).isZero();
    }

    @Test
    void releasesOnTimeAndNeverEarly() throws Exception {
        DatagramSocket a = endpoint();
        DatagramSocket b = endpoint();
        long delay = 5 * MS;
        UdpLinkEmulator link = managed(UdpLinkEmulator.between(address(a), address(b),
                LinkProfile.builder().delay(Duration.ofNanos(delay)).build(), LinkProfile.perfect()));
        int n = 200;
        long[] late = new long[n];
        for (int i = 0; i < n; i++) {
            long sent = System.nanoTime();
            send(a, link.relayForA(), i, 64);
            assertThat(index(receive(b))).isEqualTo(i);
            late[i] = System.nanoTime() - sent - delay;
        }
        Arrays.sort(late);
        System.out.printf("relay lateness over %d datagrams, %d ms delay: min %d us, median %d us, p99 %d us, max %d us%n",
                n, delay / MS, late[0] / 1000, late[n / 2] / 1000, late[n * 99 / 100] / 1000, late[n - 1] / 1000);
        long[] relay = link.relayLoop().lateness();
        System.out.printf("relay release lateness: mean %d us, max %d us, %d of %d more than 50 us late%n",
                relay[1] / relay[0] / 1000, relay[2] / 1000, relay[3], relay[0]);
        assertThat(late[0]).as("never delivered before the delay").isGreaterThanOrEqualTo(0);
        assertThat(late[n / 2]).as("median lateness").isLessThan(5 * MS);
    }

    @Test
    void seededLossDropsTheSamePacketsAsTheModel() throws Exception {
        LinkProfile lossy = LinkProfile.builder().loss(0.3).seed(11).build();
        int n = 300;
        Set<Long> expected = new HashSet<>(new Sim(lossy).offerEvery(n, 64, MS).drain().indices());

        DatagramSocket a = endpoint();
        DatagramSocket b = endpoint();
        UdpLinkEmulator link = managed(UdpLinkEmulator.between(address(a), address(b), lossy, LinkProfile.perfect()));
        for (int i = 0; i < n; i++) {
            send(a, link.relayForA(), i, 64);
        }
        Set<Long> received = new HashSet<>();
        for (int i = 0; i < expected.size(); i++) {
            received.add(index(receive(b)));
        }
        assertThat(received).isEqualTo(expected);
        await("every datagram was offered", () -> link.counters(Direction.A_TO_B).offered() == n);
        LinkCounters c = link.counters(Direction.A_TO_B);
        assertThat(c.droppedByLoss()).isEqualTo(n - expected.size());
        assertThat(c.delivered()).isEqualTo(expected.size());
    }

    @Test
    void closeReleasesTheSocketsAndTheThreadWithPacketsInFlight() throws Exception {
        DatagramSocket a = endpoint();
        DatagramSocket b = endpoint();
        UdpLinkEmulator link = UdpLinkEmulator.between(address(a), address(b),
                LinkProfile.builder().delay(Duration.ofSeconds(10)).build(), LinkProfile.perfect());
        InetSocketAddress relayA = link.relayForA();
        InetSocketAddress relayB = link.relayForB();
        Thread relay = link.relayThread();
        send(a, relayA, 1, 64);
        await("the datagram is in flight", () -> link.counters(Direction.A_TO_B).offered() == 1);

        long start = System.nanoTime();
        link.close();
        assertThat(System.nanoTime() - start).isLessThan(2_000 * MS);
        assertThat(relay.isAlive()).isFalse();
        try (DatagramSocket reuseA = new DatagramSocket(relayA); DatagramSocket reuseB = new DatagramSocket(relayB)) {
            assertThat(reuseA.getLocalPort()).isEqualTo(relayA.getPort());
            assertThat(reuseB.getLocalPort()).isEqualTo(relayB.getPort());
        }
        link.close(); // idempotent
        assertThatThrownBy(() -> link.addRoute(address(a), address(b)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(link.counters(Direction.A_TO_B).delivered()).isZero();
    }

    @Test
    void routesOfOneEmulatorShareTheBottleneck() throws Exception {
        // 1000 bytes at 8 Mbit/s: 1 ms each, so 200 datagrams need 200 ms whichever route they take
        UdpLinkEmulator link = managed(UdpLinkEmulator.builder()
                .aToB(LinkProfile.builder().rateBitsPerSecond(8_000_000).build()).start());
        DatagramSocket a1 = endpoint();
        DatagramSocket b1 = endpoint();
        DatagramSocket a2 = endpoint();
        DatagramSocket b2 = endpoint();
        UdpLinkEmulator.Route r1 = link.addRoute(address(a1), address(b1));
        UdpLinkEmulator.Route r2 = link.addRoute(address(a2), address(b2));
        assertThat(r1.relayForA()).isNotEqualTo(r2.relayForA());

        int perFlow = 100;
        long start = System.nanoTime();
        for (int i = 0; i < perFlow; i++) {
            send(a1, r1.relayForA(), i, 1000);
            send(a2, r2.relayForA(), i, 1000);
        }
        FutureTask<Long> flow2 = new FutureTask<>(() -> receiveAll(b2, perFlow));
        Thread receiver2 = new Thread(flow2, "flow-2-receiver");
        receiver2.start();
        long last1 = receiveAll(b1, perFlow) - start;
        long last2 = flow2.get() - start;
        System.out.printf("shared 8 Mbit/s bottleneck, 2 x %d x 1000 B: flows done after %d ms and %d ms%n",
                perFlow, last1 / MS, last2 / MS);
        assertThat(Math.max(last1, last2)).isBetween(200 * MS, 200 * MS + 1000 * MS);
        assertThat(Math.min(last1, last2)).as("the flows interleave").isGreaterThan(150 * MS);
        assertThat(link.counters(Direction.A_TO_B).delivered()).isEqualTo(2L * perFlow);
        assertThat(link.counters(Direction.B_TO_A).offered()).isZero();
    }

    /** @return the time the last of {@code count} datagrams (numbered in order) arrived */
    private static long receiveAll(DatagramSocket s, int count) throws IOException {
        long last = 0;
        for (int i = 0; i < count; i++) {
            assertThat(index(receive(s))).isEqualTo(i);
            last = System.nanoTime();
        }
        return last;
    }

    @Test
    void aFullQueueDropsAtTheTail() throws Exception {
        DatagramSocket a = endpoint();
        DatagramSocket b = endpoint();
        // 1000 bytes at 800 kbit/s: 10 ms each, at most 5 waiting
        UdpLinkEmulator link = managed(UdpLinkEmulator.between(address(a), address(b),
                LinkProfile.builder().rateBitsPerSecond(800_000).queueLimitPackets(5).build(), LinkProfile.perfect()));
        int n = 50;
        for (int i = 0; i < n; i++) {
            send(a, link.relayForA(), i, 1000);
        }
        await("every datagram was decided",
                () -> link.counters(Direction.A_TO_B).offered() == n);
        LinkCounters c = link.counters(Direction.A_TO_B);
        assertThat(c.droppedByQueue()).isPositive();
        long forwarded = n - c.droppedByQueue();
        long previous = -1;
        for (int i = 0; i < forwarded; i++) {
            long index = index(receive(b));
            assertThat(index).isGreaterThan(previous);
            previous = index;
        }
        assertThat(link.counters(Direction.A_TO_B).delivered()).isEqualTo(forwarded);
    }

    @Test
    void datagramsFromStrangersAreNotRelayed() throws Exception {
        DatagramSocket a = endpoint();
        DatagramSocket b = endpoint();
        DatagramSocket stranger = endpoint();
        UdpLinkEmulator link = managed(UdpLinkEmulator.between(address(a), address(b), LinkProfile.perfect(),
                LinkProfile.perfect()));
        send(stranger, link.relayForA(), 666, 64);
        await("the stray datagram was seen", () -> link.strayDatagrams() == 1);
        send(a, link.relayForA(), 1, 64);
        assertThat(index(receive(b))).isEqualTo(1);
        assertThat(link.counters(Direction.A_TO_B).offered()).isEqualTo(1);
    }

    @Test
    void wireTapSeesEveryDatagramWithTheClockTimeAndItsFate() throws Exception {
        long offset = 1_000_000_000_000L;
        Queue<WireEvent> events = new ConcurrentLinkedQueue<>();
        DatagramSocket a = endpoint();
        DatagramSocket b = endpoint();
        UdpLinkEmulator link = managed(UdpLinkEmulator.builder()
                .aToB(LinkProfile.builder().loss(0.5).seed(3).build())
                .bToA(LinkProfile.builder().delay(Duration.ofMillis(2)).build())
                .clock(() -> System.nanoTime() + offset)
                .wireTap(events::add)
                .start());
        UdpLinkEmulator.Route route = link.addRoute(address(a), address(b));
        int n = 20;
        long before = System.nanoTime() + offset;
        for (int i = 0; i < n; i++) {
            send(a, route.relayForA(), i, 64);
            send(b, route.relayForB(), 100 + i, 32);
        }
        for (int i = 0; i < n; i++) {
            assertThat(index(receive(a))).isEqualTo(100 + i);
        }
        await("every datagram was tapped", () -> events.size() == 2 * n);
        long after = System.nanoTime() + offset;

        List<WireEvent> aToB = events.stream().filter(e -> e.direction() == Direction.A_TO_B).toList();
        List<WireEvent> bToA = events.stream().filter(e -> e.direction() == Direction.B_TO_A).toList();
        assertThat(aToB).extracting(e -> e.payload().getLong(0)).containsExactlyElementsOf(range(0, n));
        assertThat(bToA).extracting(e -> e.payload().getLong(0)).containsExactlyElementsOf(range(100, n));
        assertThat(events).allSatisfy(e -> {
            assertThat(e.offeredNanos()).isBetween(before, after);
            assertThat(e.flow()).isSameAs(route);
        });
        assertThat(bToA).allSatisfy(e -> assertThat(e.deliveryNanos()).isEqualTo(e.offeredNanos() + 2 * MS));
        long lost = aToB.stream().filter(e -> e.verdict() == Verdict.DROPPED_BY_LOSS).count();
        assertThat(lost).isEqualTo(link.counters(Direction.A_TO_B).droppedByLoss()).isPositive();
    }

    private static List<Long> range(long from, int count) {
        List<Long> r = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            r.add(from + i);
        }
        return r;
    }

    @Test
    void endpointsMustBeAddressesDatagramsComeFrom() throws Exception {
        UdpLinkEmulator link = managed(UdpLinkEmulator.builder().start());
        InetSocketAddress good = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4000);
        assertThatThrownBy(link::relayForA).isInstanceOf(IllegalStateException.class).hasMessageContaining("no route");
        assertThatThrownBy(() -> link.addRoute(new InetSocketAddress(4001), good))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("endpoint A", "0.0.0.0", "concrete address");
        assertThatThrownBy(() -> link.addRoute(good, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
                .hasMessageContainingAll("endpoint B", ":0");
        assertThatThrownBy(() -> link.addRoute(good, InetSocketAddress.createUnresolved("nowhere.invalid", 1)))
                .hasMessageContainingAll("endpoint B", "unresolved");
        assertThatThrownBy(() -> link.addRoute(good, good)).hasMessageContaining("both");
        assertThatThrownBy(() -> UdpLinkEmulator.builder().socketBufferBytes(10))
                .hasMessageContainingAll("10 bytes", "1024");
        assertThatThrownBy(() -> UdpLinkEmulator.builder().spinWindow(Duration.ofMillis(2)))
                .hasMessageContainingAll("spin window PT0.002S", "0 to PT0.001S");
        assertThat(link.routes()).isEmpty();
    }
}
