package io.qsockets.impl.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qsockets.PacketFlags;
import io.qsockets.QDatagram;
import io.qsockets.QDatagramChannel;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.Segment;
import io.qsockets.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NotYetConnectedException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link QDatagramChannel} and an attached {@link DatagramChannel} on the DCCP transport, used as a
 * {@code DatagramChannel} user would: blocking and non-blocking send, receive, read and write,
 * {@code awaitReadable}, {@code receiveQ}, connected filtering and a close that wakes a blocked
 * receiver. Only the public API over real loopback sockets.
 */
@Timeout(30)
class DccpChannelTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final QosParams DCCP = QosParams.builder().transport(Transport.DCCP).build();

    private static QDatagramChannel open() throws Exception {
        QDatagramChannel channel = QDatagramChannel.open(DCCP);
        channel.bind(new InetSocketAddress(LOOPBACK, 0));
        return channel;
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ByteBuffer b) {
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    @Test
    void blockingSendAndReceive() throws Exception {
        try (QDatagramChannel a = open(); QDatagramChannel b = open()) {
            assertThat(a.send(text("hello"), b.getLocalAddress())).isEqualTo(5);
            ByteBuffer in = ByteBuffer.allocate(100);
            assertThat(b.receive(in)).isEqualTo(a.getLocalAddress());
            assertThat(text(in)).isEqualTo("hello");

            b.send(text("back"), a.getLocalAddress());
            in.clear();
            assertThat(a.receive(in)).isEqualTo(b.getLocalAddress());
            assertThat(text(in)).isEqualTo("back");
            assertThat(b.info().receivedPackets()).isEqualTo(1);
        }
    }

    @Test
    void nonBlockingReceiveReturnsNullUntilAwaitReadableSaysADatagramIsThere() throws Exception {
        try (QDatagramChannel a = open(); QDatagramChannel b = open()) {
            b.configureBlocking(false);
            assertThat(b.isBlocking()).isFalse();
            assertThat(b.receive(ByteBuffer.allocate(100))).isNull();
            assertThat(b.awaitReadable(Duration.ZERO)).isFalse();

            a.configureBlocking(false);
            assertThat(a.send(text("one"), b.getLocalAddress())).isEqualTo(3);
            assertThat(b.awaitReadable(Duration.ofSeconds(10))).isTrue();
            ByteBuffer in = ByteBuffer.allocate(100);
            assertThat(b.receive(in)).isEqualTo(a.getLocalAddress());
            assertThat(text(in)).isEqualTo("one");
            assertThat(b.receive(ByteBuffer.allocate(100))).isNull();
        }
    }

    @Test
    void receiveQCarriesWhatTheSenderSaidOfTheDatagram() throws Exception {
        try (QDatagramChannel a = open(); QDatagramChannel b = open()) {
            Segment sent = a.send(text("key frame"), b.getLocalAddress(),
                    PacketFlags.builder().frame(7, true, true).build());
            QDatagram got = b.receiveQ();
            assertThat(new String(got.data(), 0, got.length(), StandardCharsets.UTF_8)).isEqualTo("key frame");
            assertThat(got.sender()).isEqualTo(a.getLocalAddress());
            assertThat(got.segmentId()).isEqualTo(sent.id());
            assertThat(got.frameId()).isEqualTo(7);
            assertThat(got.frameStart()).isTrue();
            assertThat(got.frameEnd()).isTrue();
        }
    }

    @Test
    void connectedReadAndWriteSeeOnlyThePeer() throws Exception {
        try (QDatagramChannel a = open(); QDatagramChannel b = open(); QDatagramChannel stranger = open()) {
            assertThatThrownBy(() -> b.read(ByteBuffer.allocate(10))).isInstanceOf(NotYetConnectedException.class);
            a.connect(b.getLocalAddress());
            b.connect(a.getLocalAddress());
            stranger.send(text("not for you"), b.getLocalAddress());
            assertThat(stranger.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(a.write(text("for you"))).isEqualTo(7);

            ByteBuffer in = ByteBuffer.allocate(100);
            assertThat(b.read(in)).isEqualTo(7);
            assertThat(text(in)).isEqualTo("for you");

            ByteBuffer head = ByteBuffer.allocate(3);
            ByteBuffer tail = ByteBuffer.allocate(10);
            b.write(text("scattered"));
            assertThat(a.read(new ByteBuffer[] {head, tail})).isEqualTo(9);
            assertThat(text(head) + text(tail)).isEqualTo("scattered");
        }
    }

    @Test
    void closeWakesABlockedReceiver() throws Exception {
        QDatagramChannel b = open();
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread receiver = new Thread(() -> {
            try {
                outcome.complete(b.receive(ByteBuffer.allocate(10)));
            } catch (Exception e) {
                outcome.complete(e);
            }
        }, "blocked-receiver");
        receiver.start();
        while (receiver.getState() != Thread.State.WAITING && receiver.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait(); // until it is parked in receive
        }
        b.close();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(AsynchronousCloseException.class);
        assertThatThrownBy(() -> b.receive(ByteBuffer.allocate(10))).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void anAttachedChannelCarriesDccpAndKeepsItsBlockingMode() throws Exception {
        DatagramChannel legacy = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        try (QDatagramChannel attached = QSockets.attach(legacy, DCCP); QDatagramChannel peer = open()) {
            assertThat(attached.isBlocking()).isTrue();
            assertThat(attached.getLocalAddress()).isEqualTo(legacy.getLocalAddress());
            peer.send(text("to legacy"), attached.getLocalAddress());
            ByteBuffer in = ByteBuffer.allocate(100);
            assertThat(attached.receive(in)).isEqualTo(peer.getLocalAddress());
            assertThat(text(in)).isEqualTo("to legacy");

            attached.send(text("from legacy"), peer.getLocalAddress());
            QDatagram got = peer.receiveQ();
            assertThat(new String(got.data(), 0, got.length(), StandardCharsets.UTF_8)).isEqualTo("from legacy");
        }
        assertThat(legacy.isOpen()).isFalse(); // closing the view closes the attached channel
    }
}
