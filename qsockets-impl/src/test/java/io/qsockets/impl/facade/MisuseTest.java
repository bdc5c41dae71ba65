package io.qsockets.impl.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qsockets.DwcsAttributes;
import io.qsockets.EngineConfig;
import io.qsockets.PacketFlags;
import io.qsockets.QDatagramChannel;
import io.qsockets.QSocket;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.SchedulerAttributes;
import io.qsockets.ThreadingMode;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bad input gets an exception that names the value and what is allowed. */
@Timeout(20)
class MisuseTest {
    private static final InetSocketAddress SOMEWHERE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);

    @Test
    void unknownSchedulerIsRejectedListingTheKnownOnes() {
        assertThat(QSockets.schedulers()).contains("fifo");
        assertThatThrownBy(() -> new QSocket(QosParams.builder().scheduler("wfq").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'wfq'")
                .hasMessageContaining("fifo");
        assertThatThrownBy(() -> QSockets.init(EngineConfig.builder().scheduler("nope").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nope'")
                .hasMessageContaining("fifo");
    }

    @Test
    void periodsMustBePositive() {
        assertThatThrownBy(() -> SchedulerAttributes.paced(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S")
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> SchedulerAttributes.paced(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-0.005");
        assertThatThrownBy(() -> SchedulerAttributes.paced(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SchedulerAttributes.rate(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.0");
        assertThatThrownBy(() -> SchedulerAttributes.rate(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SchedulerAttributes.Paced(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void dwcsAttributesAreChecked() {
        assertThatThrownBy(() -> DwcsAttributes.of(Duration.ofMillis(10), 3, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x = 3").hasMessageContaining("y = 2");
        assertThatThrownBy(() -> DwcsAttributes.of(Duration.ofMillis(10), 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("y = 0");
        assertThatThrownBy(() -> DwcsAttributes.of(Duration.ofMillis(10), 1, 4, DwcsAttributes.Flag.NON_DROPPABLE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NON_DROPPABLE");
    }

    @Test
    void aKeepaliveNotShorterThanThePeerIdleTimeoutIsRefusedNamingBoth() {
        assertThatThrownBy(() -> QosParams.builder().peerIdleTimeout(Duration.ofSeconds(2)).keepAlive(Duration.ofSeconds(2))
                .build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keepalive PT2S").hasMessageContaining("peer idle timeout PT2S");
        QosParams ok = QosParams.builder().peerIdleTimeout(Duration.ofSeconds(2)).keepAlive(Duration.ofMillis(500)).build();
        assertThat(ok.peerIdleTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(ok.keepAlive()).isEqualTo(Duration.ofMillis(500));
        assertThat(QosParams.defaults().peerIdleTimeout()).isEqualTo(QosParams.DEFAULT_PEER_IDLE_TIMEOUT);
        assertThat(QosParams.defaults().keepAlive()).isEqualTo(QosParams.DEFAULT_KEEPALIVE);
    }

    @Test
    void flagsAndParamsAreChecked() {
        assertThatThrownBy(() -> PacketFlags.builder().deadline(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deadline");
        assertThatThrownBy(() -> PacketFlags.builder().priority(256))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256").hasMessageContaining("255");
        assertThatThrownBy(() -> PacketFlags.builder().frame(-2, true, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-2");
        assertThatThrownBy(() -> QosParams.builder().sendQueueCapacity(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0").hasMessageContaining("1048576");
        assertThatThrownBy(() -> QosParams.builder().attributes(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("attributes");
        assertThatThrownBy(() -> new QSocket((QosParams) null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("QoS params");
        assertThatThrownBy(() -> EngineConfig.builder().egressRate(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    @Test
    void oversizedPayloadNamesItsSizeAndTheLimit() throws Exception {
        try (QSocket socket = new QSocket()) {
            DatagramPacket big = new DatagramPacket(new byte[65_508], 65_508, SOMEWHERE);
            assertThatThrownBy(() -> socket.send(big)).isInstanceOf(SocketException.class)
                    .hasMessageContaining("65508").hasMessageContaining("65507");
            assertThatThrownBy(() -> socket.send(big, PacketFlags.NONE)).isInstanceOf(SocketException.class)
                    .hasMessageContaining("65508");
            assertThat(socket.info().submittedPackets()).isZero();
        }
    }

    @Test
    void useAfterCloseIsRefused() throws Exception {
        QSocket socket = new QSocket();
        socket.close();
        DatagramPacket p = new DatagramPacket(new byte[1], 1, SOMEWHERE);
        assertThatThrownBy(() -> socket.send(p, PacketFlags.NONE)).isInstanceOf(SocketException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> socket.change(QosParams.defaults())).isInstanceOf(SocketException.class)
                .hasMessageContaining("closed");
        assertThat(socket.info().submittedPackets()).isZero();

        QDatagramChannel channel = QDatagramChannel.open();
        channel.close();
        assertThatThrownBy(() -> channel.send(ByteBuffer.allocate(1), SOMEWHERE))
                .isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(() -> channel.change(QosParams.defaults())).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void changeCannotMoveASocketElsewhere() throws Exception {
        try (var engine = QSockets.init(EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).build());
                QSocket socket = new QSocket(QosParams.builder().engine(engine).build())) {
            assertThatThrownBy(() -> socket.change(QosParams.builder().sendQueueCapacity(7).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7");
            assertThatThrownBy(() -> socket.change(QosParams.builder().engine(
                    QSockets.init(EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).build())).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("engine");
        }
    }

    @Test
    void attachRefusesClosedOrUnboundSockets() throws Exception {
        DatagramSocket closed = new DatagramSocket();
        closed.close();
        assertThatThrownBy(() -> QSockets.attach(closed, QosParams.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("closed");
        try (DatagramSocket unbound = new DatagramSocket((java.net.SocketAddress) null);
                DatagramChannel unboundChannel = DatagramChannel.open()) {
            assertThatThrownBy(() -> QSockets.attach(unbound, QosParams.defaults()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unbound");
            assertThatThrownBy(() -> QSockets.attach(unboundChannel, QosParams.defaults()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unbound");
        }
        assertThatThrownBy(() -> QSockets.attach((DatagramSocket) null, QosParams.defaults()))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("socket");
    }

    @Test
    void doWorkIsOnlyForInvokerEngines() {
        try (var engine = QSockets.init(EngineConfig.builder().name("agent-under-test").build())) {
            assertThatThrownBy(engine::doWork).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("agent-under-test").hasMessageContaining("INVOKER");
        }
    }

    @Test
    void closedEngineRefusesNewSockets() {
        var engine = QSockets.init(EngineConfig.builder().threadingMode(ThreadingMode.INVOKER).name("gone").build());
        engine.close();
        assertThatThrownBy(() -> new QSocket(QosParams.builder().engine(engine).build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'gone' is closed");
    }
}
