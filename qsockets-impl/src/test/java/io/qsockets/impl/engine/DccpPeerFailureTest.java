package io.qsockets.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.ConnectionInfo;
import io.qsockets.EngineConfig;
import io.qsockets.ManualNanoClock;
import io.qsockets.PacketFlags;
import io.qsockets.QSocket;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.Segment;
import io.qsockets.SegmentState;
import io.qsockets.ThreadingMode;
import io.qsockets.Transport;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A receiver that stops mid-stream, on simulated time: the sender gives the silent peer up after
 * the peer idle timeout (5 s without a packet from it), reports it, frees the connection, and
 * reaches a receiver restarted on the same port with a new connection.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DccpPeerFailureTest {
    private static final long MS = 1_000_000;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final ManualNanoClock clock = new ManualNanoClock();

    private DutyCycleEngine engine(String name) {
        return (DutyCycleEngine) QSockets.init(EngineConfig.builder().name(name).clock(clock)
                .threadingMode(ThreadingMode.INVOKER).build());
    }

    private static QSocket open(DutyCycleEngine engine, int port) throws Exception {
        QSocket s = new QSocket(new InetSocketAddress(LOOPBACK, port),
                QosParams.builder().engine(engine).transport(Transport.DCCP).build());
        s.setSoTimeout(1);
        return s;
    }

    /** Cycles the engines (the clock stands still) until {@code done}; fails after 5 s of wall time. */
    private static void cycleUntil(BooleanSupplier done, DutyCycleEngine... engines) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!done.getAsBoolean()) {
            for (DutyCycleEngine e : engines) {
                e.doWork();
            }
            assertThat(System.nanoTime()).as("condition not met").isLessThan(end);
        }
    }

    private static boolean receivedOne(QSocket s, List<String> into) {
        DatagramPacket p = new DatagramPacket(new byte[64], 64);
        try {
            s.receive(p);
            into.add(new String(p.getData(), 0, p.getLength()));
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theSenderGivesASilentPeerUpReportsItAndReachesItsRestart() throws Exception {
        DutyCycleEngine senderEngine = engine("sender");
        DutyCycleEngine receiverEngine = engine("receiver");
        DutyCycleEngine restartedEngine = engine("restarted");
        try (QSocket a = open(senderEngine, 0)) {
            QSocket b = open(receiverEngine, 0);
            InetSocketAddress bAddress = (InetSocketAddress) b.getLocalSocketAddress();
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                a.send(new DatagramPacket(("before " + i).getBytes(), 8, bAddress));
            }
            cycleUntil(() -> receivedOne(b, got) && got.size() == 5, senderEngine, receiverEngine);

            // the receiver stops: its engine never runs again, nothing is read or acknowledged
            long silentFrom = clock.nanoTime();
            List<Segment> after = new ArrayList<>();
            long abortedAt = -1;
            int submittedBeforeAbort = 0;
            for (long t = 0; t <= 45_000 * MS && abortedAt < 0; t += 10 * MS) {
                clock.set(silentFrom + t);
                submittedBeforeAbort = after.size();
                if (t % (100 * MS) == 0 && t <= 40_000 * MS) {
                    after.add(a.send(new DatagramPacket("lost".getBytes(), 4, bAddress), PacketFlags.NONE));
                }
                senderEngine.doWork();
                List<ConnectionInfo> cs = a.info().dccp().connections();
                if (cs.isEmpty() || !cs.get(0).state().equals("OPEN")) {
                    abortedAt = t;
                }
            }
            assertThat(abortedAt).as("the silent peer was given up").isPositive();
            assertThat(abortedAt / 1e9).as("seconds until given up").isBetween(4.5, 5.5);
            // what waited for the dead connection failed; a datagram sent as it ended opens a new one
            assertThat(after.subList(0, submittedBeforeAbort)).extracting(Segment::state)
                    .doesNotContain(SegmentState.QUEUED).contains(SegmentState.FAILED);
            // info(): the dead connection is gone (or in TIMEWAIT), the failure and its datagrams reported
            assertThat(a.info().dccp().connections()).extracting(ConnectionInfo::state).doesNotContain("OPEN");
            long failed = after.stream().filter(x -> x.state() == SegmentState.FAILED).count();
            // (a datagram sent before the silence may also have waited for an acknowledgement lost with it)
            long reported = a.info().dccp().failedPackets();
            assertThat(reported).isBetween(failed, failed + 5);
            assertThat(a.info().dccp().failures()).singleElement().satisfies(f -> {
                assertThat(f.reason()).isEqualTo(io.qsockets.PeerFailure.Reason.SILENT);
                assertThat(f.peer()).isEqualTo(bAddress);
                assertThat(f.failedPackets()).isEqualTo(reported);
                assertThat(f.detail()).contains(bAddress.toString(), "sent nothing for the peer idle timeout of PT5S");
            });
            long neverSent = after.stream().filter(x -> x.state() == SegmentState.FAILED && x.attempts() == 0).count();
            assertThat(a.info().droppedPackets()).isGreaterThanOrEqualTo(neverSent);

            // the receiver restarts on the same port and is reachable again
            receiverEngine.close();
            QSocket b2 = open(restartedEngine, bAddress.getPort());
            List<String> again = new ArrayList<>();
            a.send(new DatagramPacket("again".getBytes(), 5, bAddress));
            long restartAt = clock.nanoTime();
            for (long t = 0; t <= 5_000 * MS && !again.contains("again"); t += 10 * MS) {
                clock.set(restartAt + t); // the Request that went to the dead receiver is retried after 1 s
                senderEngine.doWork();
                restartedEngine.doWork();
                senderEngine.doWork();
                restartedEngine.doWork();
                receivedOne(b2, again);
            }
            // the datagram sent as the old connection ended waited for the new one and comes first
            assertThat(again).endsWith("again").hasSizeLessThanOrEqualTo(2);
            assertThat(a.info().dccp().connections()).extracting(ConnectionInfo::state).contains("OPEN");
            b2.close();
        } finally {
            senderEngine.close();
            receiverEngine.close();
            restartedEngine.close();
        }
    }
}
