package io.qsockets.classifier.htb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qsockets.KernelOffload;
import io.qsockets.KernelOffloadException;
import io.qsockets.KernelStats;
import io.qsockets.SchedulerAttributes;
import io.qsockets.classifier.SocketLocator;
import io.qsockets.classifier.linux.SocketOptions;
import io.qsockets.classifier.testing.Netns;
import io.qsockets.spi.KernelClass;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTB path on a veth link between two network namespaces: each socket's datagrams are counted
 * in its own class, change and close show in tc, and the device ends as it began. Needs root.
 */
@Timeout(60)
class HtbKernelPathNetnsTest {
    private static final long LINK = 10_000_000;
    /** UDP payload plus the UDP, IPv4 and Ethernet headers: what HTB counts on a veth. */
    private static final int WIRE_OVERHEAD = 8 + 20 + 14;

    private Netns net;
    private HtbKernelPath path;
    private DatagramSocket sink;

    @BeforeEach
    void link() throws Exception {
        Netns.assumeUsable();
        net = Netns.create(41);
        sink = net.inB(() -> new DatagramSocket(new InetSocketAddress(net.addressB, 0)));
        sink.setSoTimeout(5000);
    }

    @AfterEach
    void cleanUp() {
        if (path != null) {
            path.close();
        }
        if (sink != null) {
            sink.close();
        }
        if (net != null) {
            net.close();
        }
    }

    private InetSocketAddress sinkAddress() {
        return new InetSocketAddress(net.addressB, sink.getLocalPort());
    }

    private void receive(int count) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        for (int i = 0; i < count; i++) {
            sink.receive(p);
        }
    }

    @Test
    void eachSocketsDatagramsLandInItsOwnClassAndTheDeviceEndsAsItBegan() throws Exception {
        String before = net.rootQdiscA();
        DatagramChannel video = net.inA(() -> DatagramChannel.open(StandardProtocolFamily.INET)
                .bind(new InetSocketAddress(net.addressA, 0)));
        DatagramSocket audio = net.inA(() -> new DatagramSocket(new InetSocketAddress(net.addressA, 0)));
        path = net.inA(() -> HtbKernelPath.open(KernelOffload.on(net.deviceA, LINK)));
        KernelClass videoClass = path.addSocket(video, SchedulerAttributes.paced(Duration.ofMillis(5)));
        KernelClass audioClass = path.addSocket(audio, SchedulerAttributes.paced(Duration.ofMillis(20)));

        for (int i = 0; i < 30; i++) {
            video.send(ByteBuffer.wrap(new byte[1000]), sinkAddress());
        }
        for (int i = 0; i < 20; i++) {
            audio.send(new DatagramPacket(new byte[200], 200, sinkAddress()));
        }
        receive(50);

        KernelStats v = videoClass.stats();
        KernelStats a = audioClass.stats();
        assertThat(v.classId()).isEqualTo("1:10");
        assertThat(v.packets()).isEqualTo(30);
        assertThat(v.bytes()).isEqualTo(30 * (1000 + WIRE_OVERHEAD));
        assertThat(v.rateBitsPerSecond()).isEqualTo(1500 * 8 * 200); // MTU-sized packets every 5 ms
        assertThat(v.ceilBitsPerSecond()).isEqualTo(LINK);
        assertThat(a.classId()).isEqualTo("1:11");
        assertThat(a.packets()).isEqualTo(20);
        assertThat(a.bytes()).isEqualTo(20 * (200 + WIRE_OVERHEAD));
        String classes = net.tcInA("-s", "class", "show", "dev", net.deviceA);
        assertThat(classes).contains("class htb 1:10 parent 1:1 prio 0 rate 2400Kbit ceil 10Mbit")
                .contains("Sent " + 30 * (1000 + WIRE_OVERHEAD) + " bytes 30 pkt")
                .contains("class htb 1:11 parent 1:1 prio 0 rate 600Kbit")
                .contains("Sent " + 20 * (200 + WIRE_OVERHEAD) + " bytes 20 pkt")
                .contains("class htb 1:ffff parent 1:1 prio 7 rate 100Kbit ceil 10Mbit")
                .contains("class htb 1:1 root rate 10Mbit ceil 10Mbit");
        assertThat(net.rootQdiscA()).startsWith("qdisc htb 1: root").contains("default 0xffff");

        path.close();

        assertThat(net.rootQdiscA()).isEqualTo(before);
        assertThat(videoClass.stats()).isEqualTo(KernelStats.NONE);
        video.close();
        audio.close();
    }

    @Test
    void changeRatesTheClassAndCloseRemovesItAndUnmarksTheSocket() throws Exception {
        String before = net.rootQdiscA();
        DatagramChannel socket = net.inA(() -> DatagramChannel.open(StandardProtocolFamily.INET)
                .bind(new InetSocketAddress(net.addressA, 0)));
        path = net.inA(() -> HtbKernelPath.open(KernelOffload.on(net.deviceA, LINK)));
        KernelClass c = path.addSocket(socket, SchedulerAttributes.paced(Duration.ofMillis(5)));
        SocketLocator locatorInA = net.inA(SocketLocator::new);
        assertThat(net.inA(() -> SocketOptions.priority(locatorInA.locate(socket)))).isEqualTo(0x1_0010);

        c.change(SchedulerAttributes.paced(Duration.ofMillis(2)));

        assertThat(net.tcInA("class", "show", "dev", net.deviceA, "classid", "1:10")).contains("rate 6Mbit");
        assertThat(c.stats().rateBitsPerSecond()).isEqualTo(6_000_000);

        c.close();

        assertThat(net.tcInA("class", "show", "dev", net.deviceA)).doesNotContain("1:10").contains("1:ffff");
        assertThat(net.inA(() -> SocketOptions.priority(locatorInA.locate(socket)))).isZero();
        assertThat(c.stats()).isEqualTo(KernelStats.NONE);
        assertThatThrownBy(() -> c.change(SchedulerAttributes.unpaced())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        // its traffic now goes to the default class
        String defaultBefore = net.tcInA("-s", "class", "show", "dev", net.deviceA, "classid", "1:ffff");
        for (int i = 0; i < 5; i++) {
            socket.send(ByteBuffer.wrap(new byte[700]), sinkAddress());
        }
        receive(5);
        assertThat(sentPackets(net.tcInA("-s", "class", "show", "dev", net.deviceA, "classid", "1:ffff")))
                .isGreaterThanOrEqualTo(sentPackets(defaultBefore) + 5);

        path.close();
        assertThat(net.rootQdiscA()).isEqualTo(before);
        socket.close();
    }

    @Test
    void closingThePathUnmarksTheSocketsStillOpenAndClassIdsAreReused() throws Exception {
        DatagramChannel first = net.inA(() -> DatagramChannel.open().bind(new InetSocketAddress(net.addressA, 0)));
        DatagramChannel second = net.inA(() -> DatagramChannel.open().bind(new InetSocketAddress(net.addressA, 0)));
        path = net.inA(() -> HtbKernelPath.open(KernelOffload.on(net.deviceA, LINK)));
        KernelClass c1 = path.addSocket(first, SchedulerAttributes.unpaced());
        path.addSocket(second, SchedulerAttributes.unpaced());
        assertThat(path.classIds()).containsExactly("1:10", "1:11");
        c1.close();
        DatagramChannel third = net.inA(() -> DatagramChannel.open().bind(new InetSocketAddress(net.addressA, 0)));
        path.addSocket(third, SchedulerAttributes.unpaced());
        assertThat(path.classIds()).containsExactlyInAnyOrder("1:10", "1:11");

        path.close();

        SocketLocator locatorInA = net.inA(SocketLocator::new);
        assertThat(net.inA(() -> SocketOptions.priority(locatorInA.locate(second)))).isZero();
        assertThat(net.inA(() -> SocketOptions.priority(locatorInA.locate(third)))).isZero();
        assertThatThrownBy(() -> path.addSocket(first, SchedulerAttributes.unpaced()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        first.close();
        second.close();
        third.close();
    }

    @Test
    void aDeviceWithAForeignRootQdiscOrNoDeviceAtAllIsRefusedWithTheReason() throws Exception {
        net.tcInA("qdisc", "add", "dev", net.deviceA, "root", "tbf", "rate", "1mbit", "burst", "10k", "latency", "50ms");
        String before = net.rootQdiscA();

        assertThatThrownBy(() -> net.inA(() -> HtbKernelPath.open(KernelOffload.on(net.deviceA, LINK))))
                .isInstanceOf(KernelOffloadException.class).hasMessageContaining("already has a root qdisc 'tbf")
                .hasMessageContaining("tc qdisc del dev " + net.deviceA + " root");
        assertThat(net.rootQdiscA()).isEqualTo(before);

        assertThatThrownBy(() -> net.inA(() -> HtbKernelPath.open(KernelOffload.on("nosuchdev0", LINK))))
                .isInstanceOf(KernelOffloadException.class)
                .hasMessageContaining("network device 'nosuchdev0' does not exist")
                .hasMessageContaining("devices there: lo, " + net.deviceA);
    }

    @Test
    void aSocketOfAnotherNamespaceCannotBeGivenAClass() throws Exception {
        path = net.inA(() -> HtbKernelPath.open(KernelOffload.on(net.deviceA, LINK)));

        assertThatThrownBy(() -> path.addSocket(sink, SchedulerAttributes.unpaced()))
                .isInstanceOf(KernelOffloadException.class).hasMessageContaining("another network namespace");
        assertThat(path.classIds()).isEmpty();
    }

    private static long sentPackets(String tcOutput) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Sent \\d+ bytes (\\d+) pkt").matcher(tcOutput);
        assertThat(m.find()).as("counters in %s", tcOutput).isTrue();
        return Long.parseLong(m.group(1));
    }
}
