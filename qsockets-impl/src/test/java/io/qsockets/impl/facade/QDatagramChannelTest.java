package io.qsockets.impl.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qsockets.BackPressure;
import io.qsockets.EngineConfig;
import io.qsockets.PacketFlags;
import io.qsockets.QDatagramChannel;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.SegmentState;
import io.qsockets.ThreadingMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link QDatagramChannel} mirrors {@link DatagramChannel} in blocking and non-blocking use. */
@Timeout(20)
class QDatagramChannelTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private DatagramChannel peer;

    @BeforeEach
    void openPeer() throws Exception {
        peer = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        peer.socket().setSoTimeout(5_000);
    }

    @AfterEach
    void closePeer() throws Exception {
        peer.close();
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private String receiveAtPeer() throws Exception {
        byte[] buf = new byte[1500];
        java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
        peer.socket().receive(p);
        return new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
    }

    @Test
    void blockingRoundTrip() throws Exception {
        try (QDatagramChannel channel = QDatagramChannel.open()) {
            channel.bind(new InetSocketAddress(LOOPBACK, 0));
            assertThat(channel.isBlocking()).isTrue();
            assertThat(channel.send(text("hello"), peer.getLocalAddress())).isEqualTo(5);
            assertThat(receiveAtPeer()).isEqualTo("hello");

            peer.send(text("back"), channel.getLocalAddress());
            ByteBuffer in = ByteBuffer.allocate(100);
            assertThat(channel.receive(in)).isEqualTo(peer.getLocalAddress());
            assertThat(new String(in.array(), 0, in.position(), StandardCharsets.UTF_8)).isEqualTo("back");
            // the engine counts a datagram just after the system call that sent it returns
            long until = System.nanoTime() + 5_000_000_000L;
            while (channel.info().sentPackets() == 0 && System.nanoTime() < until) {
                Thread.yield();
            }
            assertThat(channel.info().sentPackets()).isEqualTo(1);
            assertThat(channel.info().receivedPackets()).isEqualTo(1);
        }
    }

    @Test
    void sendBindsAnUnboundChannel() throws Exception {
        try (QDatagramChannel channel = QDatagramChannel.open()) {
            assertThat(channel.getLocalAddress()).isNull();
            channel.send(text("x"), peer.getLocalAddress());
            assertThat(channel.getLocalAddress()).isNotNull();
            assertThat(receiveAtPeer()).isEqualTo("x");
        }
    }

    @Test
    void connectedReadAndWrite() throws Exception {
        try (QDatagramChannel channel = QDatagramChannel.open()) {
            assertThatThrownBy(() -> channel.write(text("a"))).isInstanceOf(NotYetConnectedException.class);
            channel.bind(new InetSocketAddress(LOOPBACK, 0)).connect(peer.getLocalAddress());
            assertThat(channel.isConnected()).isTrue();
            assertThat(channel.getRemoteAddress()).isEqualTo(peer.getLocalAddress());
            assertThat(channel.write(new ByteBuffer[] {text("ab"), text("cd")}, 0, 2)).isEqualTo(4);
            assertThat(receiveAtPeer()).isEqualTo("abcd");
            try (DatagramChannel other = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
                assertThatThrownBy(() -> channel.send(text("no"), other.getLocalAddress()))
                        .isInstanceOf(AlreadyConnectedException.class);
            }
            peer.send(text("reply"), channel.getLocalAddress());
            ByteBuffer in = ByteBuffer.allocate(100);
            assertThat(channel.read(in)).isEqualTo(5);
            channel.disconnect();
            assertThat(channel.isConnected()).isFalse();
        }
    }

    @Test
    void nonBlockingReceiveAndAwaitReadable() throws Exception {
        try (QDatagramChannel channel = QDatagramChannel.open()) {
            channel.bind(new InetSocketAddress(LOOPBACK, 0));
            assertThatThrownBy(() -> channel.awaitReadable(Duration.ZERO))
                    .isInstanceOf(IllegalBlockingModeException.class);
            channel.configureBlocking(false);
            assertThat(channel.receive(ByteBuffer.allocate(10))).isNull();
            assertThat(channel.awaitReadable(Duration.ofMillis(50))).isFalse();
            peer.send(text("ping"), channel.getLocalAddress());
            assertThat(channel.awaitReadable(Duration.ofSeconds(5))).isTrue();
            ByteBuffer in = ByteBuffer.allocate(10);
            assertThat(channel.receive(in)).isEqualTo(peer.getLocalAddress());
            assertThat(in.position()).isEqualTo(4);
            channel.configureBlocking(true);
            assertThat(channel.isBlocking()).isTrue();
        }
    }

    @Test
    void theJdkSelectorRefusesTheChannel() throws Exception {
        try (QDatagramChannel channel = QDatagramChannel.open(); Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            assertThatThrownBy(() -> channel.register(selector, SelectionKey.OP_READ))
                    .isInstanceOf(IllegalSelectorException.class);
        }
    }

    @Test
    void nonBlockingSendOnAFullQueueReturnsZeroAndConsumesNothing() throws Exception {
        try (var engine = QSockets.init(EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).build());
                QDatagramChannel channel = QDatagramChannel.open(QosParams.builder().engine(engine)
                        .sendQueueCapacity(1).backPressure(BackPressure.BLOCK).build())) {
            channel.bind(new InetSocketAddress(LOOPBACK, 0));
            channel.configureBlocking(false);
            assertThat(channel.send(text("one"), peer.getLocalAddress())).isEqualTo(3);
            ByteBuffer second = text("two");
            assertThat(channel.send(second, peer.getLocalAddress())).isZero();
            assertThat(second.remaining()).isEqualTo(3);
            assertThat(channel.send(text("two"), peer.getLocalAddress(), PacketFlags.NONE)).isNull();
            engine.doWork();
            var segment = channel.send(second, peer.getLocalAddress(), PacketFlags.NONE);
            engine.doWork();
            assertThat(segment.outcome().toCompletableFuture().get(1, TimeUnit.SECONDS)).isEqualTo(SegmentState.SENT);
            assertThat(receiveAtPeer()).isEqualTo("one");
            assertThat(receiveAtPeer()).isEqualTo("two");
        }
    }

    @Test
    void attachedChannelKeepsItsAddressAndIsPaced() throws Exception {
        DatagramChannel legacy = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        try (QDatagramChannel channel = QSockets.attach(legacy, QosParams.defaults())) {
            assertThat(channel.getLocalAddress()).isEqualTo(legacy.getLocalAddress());
            channel.send(text("via legacy"), peer.getLocalAddress());
            assertThat(receiveAtPeer()).isEqualTo("via legacy");
        }
        assertThat(legacy.isOpen()).isFalse();
    }
}
