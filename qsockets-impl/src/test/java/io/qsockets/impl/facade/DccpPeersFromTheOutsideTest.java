package io.qsockets.impl.facade;

import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.PacketFlags;
import io.qsockets.QSocket;
import io.qsockets.QosParams;
import io.qsockets.Segment;
import io.qsockets.SegmentState;
import io.qsockets.Transport;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * DCCP peers as applications meet them, through the public API over real loopback sockets: both
 * ends sending first at the same moment, and a peer that restarts on the same port.
 */
@Timeout(60)
class DccpPeersFromTheOutsideTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final QosParams DCCP = QosParams.builder().transport(Transport.DCCP).build();
    private static final PacketFlags RELIABLE = PacketFlags.builder().reliable(true).build();

    private static QSocket open(int port) throws Exception {
        QSocket s = new QSocket(new InetSocketAddress(LOOPBACK, port), DCCP);
        s.setSoTimeout(10_000);
        return s;
    }

    private static List<Segment> sendNumbered(QSocket from, SocketAddress to, int n) throws Exception {
        List<Segment> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] d = ByteBuffer.allocate(32).putInt(i).array();
            sent.add(from.send(new DatagramPacket(d, d.length, to), RELIABLE));
        }
        return sent;
    }

    private static List<Integer> receiveNumbered(QSocket at, int n) throws Exception {
        List<Integer> got = new ArrayList<>();
        DatagramPacket p = new DatagramPacket(new byte[64], 64);
        for (int i = 0; i < n; i++) {
            at.receive(p);
            got.add(ByteBuffer.wrap(p.getData(), 0, p.getLength()).getInt());
        }
        return got;
    }

    private static List<Integer> upTo(int n) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(i);
        }
        return all;
    }

    @Test
    void twoSocketsThatStartSendingToEachOtherAtOnceDeliverEverything() throws Exception {
        int n = 100;
        try (QSocket a = open(0); QSocket b = open(0)) {
            CyclicBarrier start = new CyclicBarrier(2);
            CompletableFuture<List<Segment>> fromA = CompletableFuture.supplyAsync(() -> sendAfter(start, a, b, n));
            CompletableFuture<List<Segment>> fromB = CompletableFuture.supplyAsync(() -> sendAfter(start, b, a, n));
            assertThat(receiveNumbered(b, n)).as("at B").containsExactlyElementsOf(upTo(n));
            assertThat(receiveNumbered(a, n)).as("at A").containsExactlyElementsOf(upTo(n));
            for (Segment s : fromA.get(10, TimeUnit.SECONDS)) {
                assertThat(s.outcome().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(SegmentState.ACKED);
            }
            for (Segment s : fromB.get(10, TimeUnit.SECONDS)) {
                assertThat(s.outcome().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(SegmentState.ACKED);
            }
        }
    }

    private static List<Segment> sendAfter(CyclicBarrier start, QSocket from, QSocket to, int n) {
        try {
            start.await(10, TimeUnit.SECONDS);
            return sendNumbered(from, to.getLocalSocketAddress(), n);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
