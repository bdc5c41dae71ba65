package io.qsockets.classifier.htb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qsockets.Engine;
import io.qsockets.EngineConfig;
import io.qsockets.KernelOffload;
import io.qsockets.KernelOffloadException;
import io.qsockets.QInfo;
import io.qsockets.QSocket;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.SchedulerAttributes;
import io.qsockets.classifier.testing.Netns;
import io.qsockets.impl.engine.DutyCycleEngine;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code QSockets.init} with kernel offload, on a veth link between two namespaces: the engine
 * installs the HTB tree and removes it on close; a QSocket's hook (as its facade drives it) gives
 * it a class whose counters reach {@code info()}; without the device the user-level path still
 * works. Needs root.
 */
@Timeout(60)
class KernelOffloadEngineNetnsTest {
    private static final long LINK = 10_000_000;

    private Netns net;
    private DatagramSocket sink;
    private Engine engine;

    @BeforeEach
    void link() throws Exception {
        Netns.assumeUsable();
        net = Netns.create(42);
        sink = net.inB(() -> new DatagramSocket(new InetSocketAddress(net.addressB, 0)));
        sink.setSoTimeout(5000);
    }

    @AfterEach
    void cleanUp() {
        if (engine != null) {
            engine.close();
        }
        if (sink != null) {
            sink.close();
        }
        if (net != null) {
            net.close();
        }
    }

    private EngineConfig offloadTo(String device) {
        return EngineConfig.builder().name("offload-test").kernelOffload(KernelOffload.on(device, LINK)).build();
    }

    private void sendAndReceive(QSocket q, int count, int size) throws Exception {
        for (int i = 0; i < count; i++) {
            q.send(new DatagramPacket(new byte[size], size, new InetSocketAddress(net.addressB, sink.getLocalPort())));
        }
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        for (int i = 0; i < count; i++) {
            sink.receive(p);
        }
    }

    @Test
    void initInstallsTheHtbTreeAndClosingTheEngineRemovesIt() throws Exception {
        String before = net.rootQdiscA();

        engine = net.inA(() -> QSockets.init(offloadTo(net.deviceA)));

        assertThat(((DutyCycleEngine) engine).kernel().isActive()).isTrue();
        assertThat(net.rootQdiscA()).startsWith("qdisc htb 1: root");
        assertThat(net.tcInA("class", "show", "dev", net.deviceA)).contains("class htb 1:1 root rate 10Mbit")
                .contains("class htb 1:ffff parent 1:1 prio 7");

        engine.close();

        assertThat(engine.isClosed()).isTrue();
        assertThat(net.rootQdiscA()).isEqualTo(before);
    }

    @Test
    void aQSocketsHookGivesItAClassWhoseCountersReachInfo() throws Exception {
        String before = net.rootQdiscA();
        engine = net.inA(() -> QSockets.init(offloadTo(net.deviceA)));
        QosParams params = QosParams.builder().engine(engine).attributes(SchedulerAttributes.paced(Duration.ofMillis(1)))
                .build();
        // the socket gets its class when it binds, from its facade
        QSocket q = net.inA(() -> new QSocket(new InetSocketAddress(net.addressA, 0), params));

        sendAndReceive(q, 20, 500);

        QInfo info = q.info();
        assertThat(info.submittedPackets()).isEqualTo(20);
        assertThat(info.kernel().classId()).isEqualTo("1:10");
        assertThat(info.kernel().packets()).isEqualTo(20);
        assertThat(info.kernel().bytes()).isEqualTo(20 * (500 + 42));
        assertThat(info.toTable()).contains("kernel class").contains("1:10");

        q.change(params.toBuilder().attributes(SchedulerAttributes.paced(Duration.ofMillis(2))).build());
        assertThat(net.tcInA("class", "show", "dev", net.deviceA, "classid", "1:10")).contains("rate 6Mbit");

        q.close();
        assertThat(net.tcInA("class", "show", "dev", net.deviceA)).doesNotContain("1:10");
        assertThat(q.info().kernel().packets()).as("the last counters stay").isEqualTo(20);

        engine.close();
        assertThat(net.rootQdiscA()).isEqualTo(before);
    }

    @Test
    void withoutTheDeviceInitSaysSoAndTheUserLevelPathKeepsWorking() throws Exception {
        assertThatThrownBy(() -> net.inA(() -> QSockets.init(offloadTo("nosuchdev0"))))
                .isInstanceOf(KernelOffloadException.class).hasMessageContaining("'nosuchdev0' does not exist");

        engine = net.inA(() -> QSockets.init(EngineConfig.builder().name("user-level").build()));
        QSocket q = net.inA(() -> new QSocket(new InetSocketAddress(net.addressA, 0),
                QosParams.builder().engine(engine).build()));

        sendAndReceive(q, 5, 100);

        assertThat(q.info().submittedPackets()).isEqualTo(5);
        assertThat(q.info().kernel()).isEqualTo(io.qsockets.KernelStats.NONE);
        q.close();
    }
}
