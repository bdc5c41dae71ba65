package io.qsockets.benchmarks;

import io.qsockets.BackPressure;
import io.qsockets.Engine;
import io.qsockets.EngineConfig;
import io.qsockets.QInfo;
import io.qsockets.QSocket;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.Transport;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * DCCP goodput on loopback, real time: one connection between two {@link QSocket}s on the DCCP
 * transport (CCID 2, 1400-byte datagrams, blocking back-pressure) against raw
 * {@link DatagramChannel} packets per second, sender and receiver threads alike, alternating in
 * one process. Goodput counts what the receiving application got; the raw side's receiver counts
 * the same way, so datagrams the kernel drops count on neither. Then {@code connections}
 * client QSockets each open a connection to one server QSocket and deliver one datagram.
 *
 * <pre>
 * java -cp benchmarks/target/qsockets-benchmarks.jar io.qsockets.benchmarks.DccpGoodputHarness \
 *     [--seconds 5] [--rounds 3] [--payload 1400] [--connections 1000]
 * </pre>
 */
public final class DccpGoodputHarness {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private DccpGoodputHarness() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = intArg(args, "--seconds", 5);
        int rounds = intArg(args, "--rounds", 3);
        int payload = intArg(args, "--payload", 1400);
        int connections = intArg(args, "--connections", 1000);
        List<Double> raw = new ArrayList<>();
        List<Double> dccp = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            raw.add(rawChannel(seconds, payload));
            dccp.add(dccpConnection(seconds, payload));
            System.out.printf(Locale.ROOT, "round %d: raw %.0f pkt/s, dccp %.0f pkt/s, ratio %.3f%n", r + 1,
                    raw.get(r), dccp.get(r), dccp.get(r) / raw.get(r));
        }
        double rawMedian = median(raw);
        double dccpMedian = median(dccp);
        System.out.printf(Locale.ROOT, "median: raw %.0f pkt/s, dccp %.0f pkt/s (%.1f Mbit/s), ratio %.3f%n",
                rawMedian, dccpMedian, dccpMedian * payload * 8 / 1e6, dccpMedian / rawMedian);
        if (connections > 0) {
            manyConnections(connections);
        }
    }

    /** @return datagrams per second the receiving channel got */
    private static double rawChannel(int seconds, int payload) throws Exception {
        try (DatagramChannel receiver = DatagramChannel.open(); DatagramChannel sender = DatagramChannel.open()) {
            receiver.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            receiver.bind(new InetSocketAddress(LOOPBACK, 0));
            InetSocketAddress to = (InetSocketAddress) receiver.getLocalAddress();
            AtomicLong got = new AtomicLong();
            Thread t = new Thread(() -> {
                ByteBuffer b = ByteBuffer.allocateDirect(65_536);
                try {
                    while (true) {
                        b.clear();
                        receiver.receive(b);
                        got.incrementAndGet();
                    }
                } catch (IOException closed) {
                    // done
                }
            }, "raw-receiver");
            t.start();
            ByteBuffer out = ByteBuffer.wrap(new byte[payload]);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long start = System.nanoTime();
            long atStart = got.get();
            while (System.nanoTime() < end) {
                out.clear();
                sender.send(out, to);
            }
            double rate = (got.get() - atStart) / ((System.nanoTime() - start) / 1e9);
            receiver.close();
            t.join(5_000);
            return rate;
        }
    }

    /** @return datagrams per second the receiving QSocket's application got */
    private static double dccpConnection(int seconds, int payload) throws Exception {
        Engine engine = QSockets.init(EngineConfig.builder().name("dccp-goodput").build());
        QosParams params = QosParams.builder().engine(engine).transport(Transport.DCCP).maxPacketSize(QosParams.MAX_PACKET_SIZE)
                .backPressure(BackPressure.BLOCK).build();
        try (QSocket receiver = new QSocket(new InetSocketAddress(LOOPBACK, 0), params);
                QSocket sender = new QSocket(new InetSocketAddress(LOOPBACK, 0), params)) {
            AtomicLong got = new AtomicLong();
            Thread t = new Thread(() -> {
                DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
                try {
                    while (true) {
                        receiver.receive(p);
                        got.incrementAndGet();
                    }
                } catch (IOException closed) {
                    // done
                }
            }, "dccp-receiver");
            t.start();
            DatagramPacket out = new DatagramPacket(new byte[payload], payload, receiver.getLocalSocketAddress());
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long start = System.nanoTime();
            while (System.nanoTime() < end) {
                sender.send(out);
            }
            double rate = got.get() / ((System.nanoTime() - start) / 1e9);
            QInfo info = sender.info();
            System.out.printf(Locale.ROOT, "  dccp sender: submitted %d, sent %d, dropped %d%n",
                    info.submittedPackets(), info.sentPackets(), info.droppedPackets());
            receiver.close();
            t.join(5_000);
            return rate;
        } finally {
            engine.close();
        }
    }

    private static void manyConnections(int n) throws Exception {
        Engine engine = QSockets.init(EngineConfig.builder().name("dccp-many").build());
        QosParams params = QosParams.builder().engine(engine).transport(Transport.DCCP).maxPacketSize(QosParams.MAX_PACKET_SIZE).build();
        List<QSocket> clients = new ArrayList<>(n);
        try (QSocket server = new QSocket(new InetSocketAddress(LOOPBACK, 0), params)) {
            server.setSoTimeout(10_000);
            for (int i = 0; i < n; i++) {
                clients.add(new QSocket(new InetSocketAddress(LOOPBACK, 0), params));
            }
            CountDownLatch all = new CountDownLatch(n);
            Thread t = new Thread(() -> {
                DatagramPacket p = new DatagramPacket(new byte[64], 64);
                try {
                    while (all.getCount() > 0) {
                        server.receive(p);
                        all.countDown();
                    }
                } catch (IOException e) {
                    // timeout or closed: the count tells
                }
            }, "dccp-server");
            t.start();
            long start = System.nanoTime();
            byte[] hello = new byte[32];
            for (QSocket c : clients) {
                c.send(new DatagramPacket(hello, hello.length, server.getLocalSocketAddress()));
            }
            boolean done = all.await(60, TimeUnit.SECONDS);
            double ms = (System.nanoTime() - start) / 1e6;
            System.out.printf(Locale.ROOT, "%d connections to one QSocket: %s in %.0f ms (%.0f handshakes+datagrams/s)%n",
                    n, done ? "all delivered" : (n - all.getCount()) + " delivered", ms, (n - all.getCount()) / (ms / 1e3));
            t.join(15_000);
        } finally {
            for (QSocket c : clients) {
                c.close();
            }
            engine.close();
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    private static int intArg(String[] args, String name, int dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return dflt;
    }

}
