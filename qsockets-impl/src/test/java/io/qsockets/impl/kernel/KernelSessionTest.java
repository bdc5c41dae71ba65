package io.qsockets.impl.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qsockets.EngineConfig;
import io.qsockets.KernelOffload;
import io.qsockets.KernelOffloadException;
import io.qsockets.KernelStats;
import io.qsockets.QInfo;
import io.qsockets.QSocket;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.SchedulerAttributes;
import io.qsockets.SchedulerStats;
import io.qsockets.Transport;
import io.qsockets.spi.KernelClass;
import io.qsockets.spi.KernelPath;
import io.qsockets.spi.KernelPathProvider;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine's kernel session and the per-socket hook, against a kernel path that records calls. */
@Timeout(10)
class KernelSessionTest {
    private static final KernelOffload OFFLOAD = KernelOffload.on("veth0", 10_000_000);
    private static final EngineConfig OFFLOADED = EngineConfig.builder().name("e1").kernelOffload(OFFLOAD).build();
    private static final QosParams PACED = QosParams.builder()
            .attributes(SchedulerAttributes.paced(Duration.ofMillis(5))).build();

    /** Records what the session and hooks ask of the kernel. */
    private static final class RecordingPath implements KernelPath, KernelPathProvider {
        final List<String> calls = new ArrayList<>();
        long packets;

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public KernelPath open(KernelOffload offload) {
            calls.add("open " + offload.device());
            return this;
        }

        @Override
        public KernelOffload offload() {
            return OFFLOAD;
        }

        @Override
        public KernelClass addSocket(Object socket, SchedulerAttributes attributes) {
            calls.add("add " + attributes.periodNanos());
            return new KernelClass() {
                @Override
                public void change(SchedulerAttributes a) {
                    calls.add("change " + a.periodNanos());
                }

                @Override
                public KernelStats stats() {
                    return new KernelStats("1:10", 1, 2, 100 * packets, packets, 0, 0, 0, 0);
                }

                @Override
                public void close() {
                    calls.add("remove");
                }
            };
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    private static QInfo info() {
        return new QInfo("fifo", Transport.UDP, SchedulerAttributes.unpaced(), 0, 0, 7, 700, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, SchedulerStats.NONE);
    }

    @Test
    void withoutOffloadTheSessionAndItsHooksDoNothing() {
        KernelSession none = KernelSession.open(EngineConfig.builder().build(), List.of());

        assertThat(none).isSameAs(KernelSession.NONE);
        assertThat(none.isActive()).isFalse();
        SocketKernelHook hook = none.socketOpened(PACED);
        hook.bound(new Object());
        hook.changed(PACED);
        hook.closed();
        QInfo info = info();
        assertThat(hook.decorate(info)).isSameAs(info);
        assertThat(hook.isClassified()).isFalse();
    }

    @Test
    void withoutAProviderOffloadFailsNamingTheMissingModule() {
        assertThatThrownBy(() -> KernelSession.open(OFFLOADED, List.of())).isInstanceOf(KernelOffloadException.class)
                .hasMessageContaining("engine 'e1' asks for kernel offload on veth0")
                .hasMessageContaining("io.qsockets:socket-classifier");
    }

    @Test
    void aSocketGetsItsClassWhenBoundOnceAndLosesItWhenClosed() {
        RecordingPath kernel = new RecordingPath();
        KernelSession session = KernelSession.open(OFFLOADED, List.of(kernel));
        SocketKernelHook hook = session.socketOpened(PACED);

        hook.changed(QosParams.builder().attributes(SchedulerAttributes.paced(Duration.ofMillis(2))).build());
        hook.bound(new Object());
        hook.bound(new Object());
        hook.changed(PACED);
        kernel.packets = 7;
        QInfo decorated = hook.decorate(info());
        kernel.packets = 9;
        hook.closed();
        hook.bound(new Object());
        session.close();

        assertThat(session.isActive()).isTrue();
        assertThat(kernel.calls).containsExactly("open veth0", "add 2000000", "change 5000000", "remove", "close");
        assertThat(decorated.kernel().packets()).isEqualTo(7);
        assertThat(decorated.sentPackets()).isEqualTo(7);
        assertThat(hook.decorate(info()).kernel().packets()).as("the counters read on close").isEqualTo(9);
        assertThat(hook.isClassified()).isFalse();
    }

    @Test
    void initWithOffloadButNoKernelPathFailsAndTheUserLevelPathKeepsWorking() throws Exception {
        assertThatThrownBy(() -> QSockets.init(OFFLOADED)).isInstanceOf(KernelOffloadException.class)
                .hasMessageContaining("socket-classifier");

        try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                QSocket q = new QSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            peer.setSoTimeout(5000);
            q.send(new DatagramPacket(new byte[] {42}, 1, peer.getLocalSocketAddress()));
            DatagramPacket p = new DatagramPacket(new byte[8], 8);
            peer.receive(p);
            assertThat(p.getData()[0]).isEqualTo((byte) 42);
            assertThat(q.info().kernel()).isEqualTo(KernelStats.NONE);
        }
    }
}
