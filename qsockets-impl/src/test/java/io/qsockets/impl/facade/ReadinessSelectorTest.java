package io.qsockets.impl.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qsockets.QDatagramChannel;
import io.qsockets.QosParams;
import io.qsockets.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many non-blocking {@link QDatagramChannel}s waited on by one thread with the application's own
 * {@link Selector}, through {@link QDatagramChannel#readiness()}, as an NIO server would: only the
 * public API over real loopback sockets, on both transports.
 */
@Timeout(30)
class ReadinessSelectorTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int CHANNELS = 4;

    private static QDatagramChannel open(Transport transport) throws Exception {
        QDatagramChannel channel = QDatagramChannel.open(QosParams.builder().transport(transport).build());
        channel.bind(new InetSocketAddress(LOOPBACK, 0));
        return channel;
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void oneSelectorServesManyChannels(Transport transport) throws Exception {
        List<QDatagramChannel> open = new ArrayList<>();
        try (Selector selector = Selector.open(); QDatagramChannel sender = open(transport)) {
            for (int i = 0; i < CHANNELS; i++) {
                QDatagramChannel channel = open(transport);
                open.add(channel);
                channel.configureBlocking(false);
                channel.readiness().register(selector, SelectionKey.OP_READ, channel);
            }
            assertThat(selector.selectNow()).as("nothing sent yet").isZero();

            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < CHANNELS; i++) {
                    sender.send(text("round " + round + " to " + i), open.get(i).getLocalAddress());
                }
                Map<QDatagramChannel, String> got = receiveFromEach(selector, open.size());
                for (int i = 0; i < CHANNELS; i++) {
                    assertThat(got.get(open.get(i))).isEqualTo("round " + round + " to " + i);
                }
                assertThat(selector.selectNow()).as("every channel drained, none stays ready").isZero();
            }
        } finally {
            for (QDatagramChannel channel : open) {
                channel.close();
            }
        }
    }

    /** Selects until each of {@code expected} channels gave one datagram; drains each until empty. */
    private static Map<QDatagramChannel, String> receiveFromEach(Selector selector, int expected) throws Exception {
        Map<QDatagramChannel, String> got = new HashMap<>();
        ByteBuffer buffer = ByteBuffer.allocate(100);
        while (got.size() < expected) {
            assertThat(selector.select(10_000)).as("a channel became ready within 10 s").isPositive();
            for (SelectionKey key : selector.selectedKeys()) {
                QDatagramChannel channel = (QDatagramChannel) key.attachment();
                buffer.clear();
                for (SocketAddress from; (from = channel.receive(buffer)) != null; buffer.clear()) {
                    assertThat(got.put(channel, new String(buffer.array(), 0, buffer.position(),
                            StandardCharsets.UTF_8))).as("one datagram per channel").isNull();
                }
            }
            selector.selectedKeys().clear();
        }
        return got;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closingAChannelCancelsItsKey(Transport transport) throws Exception {
        try (Selector selector = Selector.open()) {
            QDatagramChannel channel = open(transport);
            channel.configureBlocking(false);
            SelectableChannel readiness = channel.readiness();
            assertThat(channel.readiness()).isSameAs(readiness);
            SelectionKey key = readiness.register(selector, SelectionKey.OP_READ, channel);
            channel.close();
            assertThat(key.isValid()).isFalse();
            assertThat(readiness.isOpen()).isFalse();
            assertThatThrownBy(channel::readiness).isInstanceOf(ClosedChannelException.class);
        }
    }

    @Test
    void aBlockingChannelHasNoReadinessAndSwitchingModesPausesIt() throws Exception {
        try (Selector selector = Selector.open(); QDatagramChannel channel = open(Transport.UDP);
                QDatagramChannel sender = open(Transport.UDP)) {
            assertThatThrownBy(channel::readiness).isInstanceOf(IllegalBlockingModeException.class);
            channel.configureBlocking(false);
            channel.readiness().register(selector, SelectionKey.OP_READ, channel);

            channel.configureBlocking(true); // as a JDK channel can while only its readiness is registered
            sender.send(text("blocking"), channel.getLocalAddress());
            ByteBuffer buffer = ByteBuffer.allocate(100);
            assertThat(channel.receive(buffer)).isEqualTo(sender.getLocalAddress());

            channel.configureBlocking(false);
            assertThat(channel.receive(buffer.clear())).isNull();
            sender.send(text("selected"), channel.getLocalAddress());
            assertThat(selector.select(10_000)).isEqualTo(1);
            assertThat(channel.receive(buffer.clear())).isEqualTo(sender.getLocalAddress());
            assertThat(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8)).isEqualTo("selected");
        }
    }
}
