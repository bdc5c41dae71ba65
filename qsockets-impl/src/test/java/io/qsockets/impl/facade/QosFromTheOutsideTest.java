package io.qsockets.impl.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qsockets.DwcsAttributes;
import io.qsockets.PacketFlags;
import io.qsockets.QDatagramChannel;
import io.qsockets.QInfo;
import io.qsockets.QSocket;
import io.qsockets.QosParams;
import io.qsockets.SchedulerAttributes;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The QoS a user asks for on the default engines is applied or refused, never silently ignored;
 * and a paced socket with a queue-delay bound cannot build up stale data. Public API, real
 * loopback sockets.
 */
@Timeout(30)
class QosFromTheOutsideTest {

    @Test
    void dwcsAttributesWithoutASchedulerRunOnDwcs() throws Exception {
        QosParams params = QosParams.builder().attributes(DwcsAttributes.of(Duration.ofMillis(50), 1, 4)).build();
        try (QSocket s = new QSocket(params); QDatagramChannel c = QDatagramChannel.open(params)) {
            assertThat(s.info().scheduler()).isEqualTo("dwcs");
            assertThat(c.info().scheduler()).isEqualTo("dwcs");
            assertThat(s.engine().config().scheduler()).isEqualTo("dwcs");
        }
    }

    @Test
    void aNamedSchedulerThatCannotHonourTheAttributesRefusesThem() {
        QosParams fifo = QosParams.builder().scheduler("fifo")
                .attributes(DwcsAttributes.of(Duration.ofMillis(50), 1, 4)).build();
        assertThatThrownBy(() -> new QSocket(fifo)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("'fifo'", "1/4", "'dwcs'");
        assertThatThrownBy(() -> QDatagramChannel.open(fifo)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'dwcs'");
    }

    @Test
    void aFlagTheSocketsSchedulerCannotHonourIsRefusedAtTheSend() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(0, Facade.LOOPBACK); QSocket s = new QSocket()) {
            DatagramPacket p = new DatagramPacket(new byte[1], 1, peer.getLocalSocketAddress());
            assertThatThrownBy(() -> s.send(p, PacketFlags.builder().dropPriority(3).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContainingAll("drop priority 3", "'fifo'");
            assertThatThrownBy(() -> s.send(p, PacketFlags.builder().reliable(true).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Transport.DCCP");
            assertThat(s.info().submittedPackets()).isZero();
        }
    }

    @Test
    void aPacedSocketWithAQueueDelayBoundSendsNothingStale() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(0, Facade.LOOPBACK);
                QSocket s = new QSocket(QosParams.builder().attributes(SchedulerAttributes.rate(50))
                        .maxQueueDelay(Duration.ofMillis(100)).build())) {
            long start = System.nanoTime();
            for (int i = 0; i < 300; i++) {
                s.send(new DatagramPacket(new byte[1], 1, peer.getLocalSocketAddress()));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThat(s.flush(Duration.ofSeconds(5))).as("the stale rest is dropped at the next pace").isTrue();
            QInfo info = s.info();
            assertThat(info.sentPackets() + info.droppedPackets()).isEqualTo(300);
            assertThat(info.sentPackets()).isBetween(3L, 12L);
            assertThat(Duration.ofNanos(info.queueDelayP99Nanos())).isLessThanOrEqualTo(Duration.ofMillis(110));
        }
    }
}
