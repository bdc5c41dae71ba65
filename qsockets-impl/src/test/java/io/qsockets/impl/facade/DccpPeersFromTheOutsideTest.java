package io.qsockets.impl.facade;

import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.PacketFlags;
import io.qsockets.QSocket;
import io.qsockets.QosParams;
import io.qsockets.Segment;
import io.qsockets.SegmentState;
import io.qsockets.Transport;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
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
        return sendNumbered(from, to, 0, n);
    }

    private static List<Segment> sendNumbered(QSocket from, SocketAddress to, int first, int n) throws Exception {
        List<Segment> sent = new ArrayList<>();
        for (int i = first; i < first + n; i++) {
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
        return range(0, n);
    }

    private static List<Integer> range(int first, int n) {
        List<Integer> all = new ArrayList<>();
        for (int i = first; i < first + n; i++) {
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

    /**
     * The client program: binds a DCCP QSocket to a given port, sends numbered reliable datagrams,
     * says "acked" once all are acknowledged, then waits to be killed (no Close ever leaves).
     */
    public static final class Client {
        public static void main(String[] args) throws Exception {
            QSocket socket = open(Integer.parseInt(args[0]));
            InetSocketAddress server = new InetSocketAddress(LOOPBACK, Integer.parseInt(args[1]));
            for (Segment s : sendNumbered(socket, server, Integer.parseInt(args[2]), Integer.parseInt(args[3]))) {
                s.outcome().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            System.out.println("acked");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static Process client(int port, int serverPort, int first, int n) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        return new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), Client.class.getName(),
                Integer.toString(port), Integer.toString(serverPort), Integer.toString(first), Integer.toString(n)))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String firstLine(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                return e.toString();
            }
        }).get(30, TimeUnit.SECONDS);
    }

    @Test
    void aClientKilledWithoutClosingAndRestartedOnTheSamePortConnectsAndDeliversAgain() throws Exception {
        int n = 50;
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, LOOPBACK)) {
            port = probe.getLocalPort();
        }
        try (QSocket server = open(0)) {
            Process first = client(port, server.getLocalPort(), 0, n);
            try {
                assertThat(receiveNumbered(server, n)).containsExactlyElementsOf(range(0, n));
                assertThat(firstLine(first)).isEqualTo("acked");
            } finally {
                first.destroyForcibly(); // SIGKILL: the connection is left open at the server
                first.waitFor(10, TimeUnit.SECONDS);
            }
            Process second = client(port, server.getLocalPort(), 100, n);
            try {
                assertThat(receiveNumbered(server, n)).containsExactlyElementsOf(range(100, n));
                assertThat(firstLine(second)).isEqualTo("acked");
                assertThat(server.info().dccp().connections()).extracting(c -> c.state()).containsExactly("OPEN");
            } finally {
                second.destroyForcibly();
                second.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * A NAT between a client and a server, on real sockets: the client sends to {@link #outside},
     * the server sees the client at the port of {@code toServer}, which {@link #rebind} replaces
     * (the old mapping is gone: what the server sends there is lost).
     */
    private static final class RebindingNat implements AutoCloseable {
        final DatagramChannel outside = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        final SocketAddress server;
        volatile DatagramChannel toServer = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
        volatile SocketAddress client;
        volatile boolean running = true;
        final Thread out = new Thread(this::forwardOut, "nat-out");
        final Thread in = new Thread(this::forwardIn, "nat-in");

        RebindingNat(SocketAddress server) throws java.io.IOException {
            this.server = server;
            out.start();
            in.start();
        }

        void rebind() throws Exception {
            DatagramChannel old = toServer;
            toServer = DatagramChannel.open().bind(new InetSocketAddress(LOOPBACK, 0));
            old.close(); // wakes the thread blocked on it, which goes on with the new one
        }

        /** Client to server, through the current mapping. */
        private void forwardOut() {
            ByteBuffer buffer = ByteBuffer.allocate(65_536);
            while (running) {
                try {
                    client = outside.receive(buffer.clear());
                    toServer.send(buffer.flip(), server);
                } catch (java.io.IOException e) {
                    // rebound or closing: as a NAT drops what it cannot forward
                }
            }
        }

        /** Server to client, from the current mapping only: the old one is gone. */
        private void forwardIn() {
            ByteBuffer buffer = ByteBuffer.allocate(65_536);
            while (running) {
                try {
                    toServer.receive(buffer.clear());
                    if (client != null) {
                        outside.send(buffer.flip(), client);
                    }
                } catch (java.io.IOException e) {
                    // rebound or closing
                }
            }
        }

        @Override
        public void close() throws Exception {
            running = false;
            outside.close();
            toServer.close();
            out.join(5_000);
            in.join(5_000);
        }
    }

    @Test
    void aNatThatRebindsTheClientsPortMidStreamLosesNoReliableDatagram() throws Exception {
        int n = 300;
        try (QSocket server = open(0); QSocket client = open(0);
                RebindingNat nat = new RebindingNat(server.getLocalSocketAddress())) {
            CompletableFuture<List<Integer>> received = CompletableFuture.supplyAsync(() -> {
                try {
                    return receiveNumbered(server, n);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            List<Segment> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sent.addAll(sendNumbered(client, nat.outside.getLocalAddress(), i, 1));
                if (i % 100 == 99) {
                    try {
                        sent.get(i).outcome().toCompletableFuture().get(10, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        throw new AssertionError("segment " + i + " not settled: " + sent.get(i).state() + "\nclient "
                                + client.info() + "\nserver " + server.info(), e);
                    }
                    nat.rebind(); // mid-stream, with the connection open
                }
            }
            assertThat(received.get(30, TimeUnit.SECONDS)).containsExactlyElementsOf(range(0, n));
            for (Segment s : sent) {
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
