package io.qsockets.impl.facade;

import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.QSocket;
import io.qsockets.QosParams;
import io.qsockets.SchedulerAttributes;
import java.io.File;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A program that sends and then ends — by returning from {@code main} or by
 * {@code System.exit} — without closing its socket: as with {@code DatagramSocket}, whose sends
 * are in the kernel when they return, every datagram arrives. The sender runs in a JVM of its own.
 */
@Timeout(60)
class ExitDrainTest {
    private static final int DATAGRAMS = 50;

    /** The child program: a paced socket, 50 sends (about 250 ms of queue), then the end. */
    public static final class Sender {
        public static void main(String[] args) throws Exception {
            QSocket socket = new QSocket(QosParams.builder().attributes(SchedulerAttributes.rate(200)).build());
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0]));
            for (int i = 0; i < DATAGRAMS; i++) {
                socket.send(new DatagramPacket(new byte[] {(byte) i}, 1, to));
            }
            if (args[1].equals("exit")) {
                System.exit(0);
            }
        }
    }

    @ParameterizedTest(name = "main then {0}")
    @ValueSource(strings = {"return", "exit"})
    void everyDatagramSentBeforeTheJvmEndsArrives(String ending) throws Exception {
        try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                    Sender.class.getName(), Integer.toString(peer.getLocalPort()), ending))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                List<byte[]> got = Facade.receive(peer, DATAGRAMS, Duration.ofSeconds(10));
                assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("the sender's JVM ended").isTrue();
                assertThat(child.exitValue()).isZero();
                assertThat(got).hasSize(DATAGRAMS);
            } finally {
                child.destroyForcibly();
            }
        }
    }
}
