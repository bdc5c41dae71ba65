package io.qsockets.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.QInfo;
import io.qsockets.QSocket;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.SchedulerAttributes;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Datagrams of an owned socket leave many per system call where the platform allows, and one by
 * one elsewhere; either way each arrives once, in order, with its bytes and to its target.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BatchedTransmitTest {

    @Test
    void everyDatagramArrivesOnceInOrderWithItsBytesWhateverItsSizeAndTarget() throws Exception {
        try (SimulatedLink link = new SimulatedLink();
                DatagramSocket second = new DatagramSocket(0, InetAddress.getByName("::1"));
                QSocket socket = new QSocket(new InetSocketAddress(0), QosParams.builder().engine(link.engine)
                        .attributes(SchedulerAttributes.unpaced()).sendQueueCapacity(1024).build())) {
            second.setReceiveBufferSize(4 << 20);
            second.setSoTimeout(5_000);
            int[] sizes = {0, 1, 64, 1400, 9_000, 60_000, 200};
            int n = 300;
            for (int i = 0; i < n; i++) {
                byte[] b = payload(i, sizes[i % sizes.length]);
                InetSocketAddress to = i % 3 == 0 ? (InetSocketAddress) second.getLocalSocketAddress()
                        : link.receiverAddress();
                socket.send(new DatagramPacket(b, b.length, to));
                if (i % 50 == 49) {
                    link.runAt(i); // some cycles meet a part-filled queue
                }
            }
            link.runAt(1_000);
            QInfo info = socket.info();
            assertThat(info.sentPackets()).isEqualTo(n);
            assertThat(info.droppedPackets()).isZero();
            assertThat(((DutyCycleEngine) link.engine).sendFailures()).isZero();
            DatagramPacket got = new DatagramPacket(new byte[65_536], 65_536);
            for (int i = 0; i < n; i++) {
                DatagramSocket r = i % 3 == 0 ? second : link.receiver;
                r.receive(got);
                assertThat(Arrays.copyOf(got.getData(), got.getLength())).as("datagram %d", i)
                        .isEqualTo(payload(i, sizes[i % sizes.length]));
                assertThat(got.getPort()).isEqualTo(socket.getLocalPort());
            }
        }
    }

    @Test
    void nothingLeavesASocketClosedWithoutLinger() throws Exception {
        try (SimulatedLink link = new SimulatedLink()) {
            QosParams noLinger = QosParams.builder().engine(link.engine).linger(java.time.Duration.ZERO).build();
            QSocket socket = QSockets.attach(new DatagramSocket(0, InetAddress.getLoopbackAddress()), noLinger);
            QSocket owned = new QSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), noLinger);
            long t = 0;
            for (QSocket s : new QSocket[] {socket, owned}) {
                s.send(link.packetTo(new byte[] {1}));
                link.runAt(++t);
                s.send(link.packetTo(new byte[] {2}));
                s.close();
                link.runAt(++t);
                assertThat(s.info().sentPackets()).isEqualTo(1);
            }
            assertThat(link.receive(2)).containsExactly(new byte[] {1}, new byte[] {1});
            link.receiver.setSoTimeout(200);
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> link.receive(1)))
                    .isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }

    private static byte[] payload(int seed, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (seed * 131 + i * 7);
        }
        return b;
    }
}
