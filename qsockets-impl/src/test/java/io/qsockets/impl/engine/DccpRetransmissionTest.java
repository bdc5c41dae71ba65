package io.qsockets.impl.engine;

import static io.qsockets.impl.engine.SimulatedRelay.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.CongestionControl;
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
import io.qsockets.impl.sendqueue.PayloadHeader;
import io.qsockets.impl.transport.ReceiveQueue;
import io.qsockets.linkemu.Direction;
import io.qsockets.linkemu.LinkProfile;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Selective retransmission over the DCCP transport, end to end: two QSockets on real loopback
 * sockets, a seeded link emulator between them, every engine and the link on one simulated clock.
 * The wire is watched: a segment is never transmitted after its deadline or after it was
 * cancelled.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DccpRetransmissionTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final long SEED = 20261128L;

    private final ManualNanoClock clock = new ManualNanoClock();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private DutyCycleEngine engine(String name) {
        DutyCycleEngine e = (DutyCycleEngine) QSockets.init(EngineConfig.builder().name(name).clock(clock)
                .threadingMode(ThreadingMode.INVOKER).build());
        closing.add(e::close);
        return e;
    }

    private QSocket socket(DutyCycleEngine engine, Transport transport, CongestionControl cc, int queue)
            throws Exception {
        QSocket s = new QSocket(new InetSocketAddress(LOOPBACK, 0), QosParams.builder().engine(engine)
                .transport(transport).congestionControl(cc).sendQueueCapacity(queue).build());
        closing.add(s);
        return s;
    }

    private static LinkProfile link(double loss, long oneWayMs, long seed) {
        return LinkProfile.builder().loss(loss).delay(Duration.ofMillis(oneWayMs)).unlimitedQueue().seed(seed).build();
    }

    /** One side of a test: a sender socket, a receiver socket, and the relay between them. */
    private final class Path {
        final DutyCycleEngine senderEngine = engine("sender");
        final DutyCycleEngine receiverEngine = engine("receiver");
        final QSocket sender;
        final QSocket receiver;
        final SimulatedRelay relay;
        final ReceiveQueue inbox;
        /** On the UDP transport, the receiving side is a plain non-blocking channel. */
        final java.nio.channels.DatagramChannel plain;
        /** Segment id to the simulated time its first revision arrived, and every delivery. */
        final Map<Long, Long> firstArrival = new HashMap<>();
        final List<io.qsockets.QDatagram> deliveries = new ArrayList<>();
        long plainArrivals;

        Path(Transport transport, CongestionControl cc, LinkProfile aToB, LinkProfile bToA, int queue)
                throws Exception {
            sender = socket(senderEngine, transport, cc, queue);
            InetSocketAddress receiverAddress;
            if (transport == Transport.DCCP) {
                receiver = socket(receiverEngine, transport, cc, queue);
                receiverEngine.doWork(); // registers the socket
                inbox = receiverEngine.endpointFor(receiver.getLocalPort()).inbox();
                plain = null;
                receiverAddress = (InetSocketAddress) receiver.getLocalSocketAddress();
            } else {
                receiver = null;
                inbox = null;
                plain = java.nio.channels.DatagramChannel.open();
                closing.add(plain);
                plain.bind(new InetSocketAddress(LOOPBACK, 0)).configureBlocking(false);
                receiverAddress = (InetSocketAddress) plain.getLocalAddress();
            }
            relay = new SimulatedRelay(clock, (InetSocketAddress) sender.getLocalSocketAddress(), receiverAddress,
                    aToB, bToA, senderEngine, receiverEngine);
            closing.add(relay);
        }

        InetSocketAddress target() {
            return relay.forA();
        }

        /** Takes what the receiver got, stamping the arrival with the simulated time. */
        void drain() {
            try {
                if (inbox != null) {
                    io.qsockets.QDatagram r;
                    while ((r = inbox.poll()) != null) {
                        deliveries.add(r);
                        firstArrival.putIfAbsent(r.segmentId(), clock.nanoTime());
                    }
                    return;
                }
                ByteBuffer b = ByteBuffer.allocate(2048);
                while (plain.receive(b.clear()) != null) {
                    firstArrival.putIfAbsent(b.getLong(0), clock.nanoTime());
                    plainArrivals++;
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** Opens the connection with one reliable datagram and waits for it to arrive. */
        void warmUp() throws Exception {
            Segment s = sender.send(packet(new byte[16]), plain != null ? PacketFlags.NONE
                    : PacketFlags.builder().reliable(true).build()); // the UDP transport never retransmits
            relay.runUntil(clock.nanoTime() + 10_000 * MS, MS, () -> { });
            drain();
            assertThat(s.state()).as("warm-up datagram").isIn(SegmentState.ACKED, SegmentState.SENT);
            deliveries.clear();
            firstArrival.clear();
            plainArrivals = 0;
        }

        DatagramPacket packet(byte[] payload) {
            return new DatagramPacket(payload, payload.length, target());
        }
    }

    /** A 1200-byte datagram whose first eight bytes are {@code id}. */
    private static byte[] payload(long id, int size) {
        byte[] b = new byte[size];
        ByteBuffer.wrap(b).putLong(id);
        for (int k = 8; k < size; k++) {
            b[k] = (byte) (id * 31 + k);
        }
        return b;
    }

    /** What a constant-rate stream achieved. */
    private record StreamResult(int segments, long onTime, long wireDataBytes, long firstBytes, long resentBytes,
            long lateOrCancelledTransmissions) {
        double onTimeRatio() {
            return (double) onTime / segments;
        }
    }

    /**
     * 2 Mbit/s of 1200-byte datagrams (one every 4.8 ms) with 150 ms deadlines, for {@code seconds},
     * over {@code transport} through 5 % loss each way and a 40 ms round trip.
     */
    private StreamResult constantRateStream(Transport transport, int seconds) throws Exception {
        Path path = new Path(transport, CongestionControl.NONE, link(0.05, 20, SEED), link(0.05, 20, SEED + 1),
                4096);
        path.warmUp();
        long period = 4_800_000;
        long deadline = 150 * MS;
        Map<Long, Long> deadlines = new HashMap<>();
        long[] wire = new long[4]; // data bytes, first-transmission bytes, retransmitted bytes, late transmissions
        Map<Long, Integer> transmissions = new HashMap<>();
        path.relay.observe((now, direction, datagram) -> {
            if (direction != Direction.A_TO_B) {
                return;
            }
            wire[0] += datagram.remaining();
            long id = transport == Transport.DCCP ? SimulatedRelay.segmentIdOf(datagram) : datagram.getLong(0);
            Long due = deadlines.get(id);
            if (due == null) {
                return;
            }
            int n = transmissions.merge(id, 1, Integer::sum);
            wire[n == 1 ? 1 : 2] += datagram.remaining();
            if (now >= due) {
                wire[3]++;
            }
        });
        int segments = (int) (seconds * 1_000_000_000L / period);
        long start = clock.nanoTime();
        PacketFlags flags = PacketFlags.NONE.withDeadline(Duration.ofNanos(deadline));
        for (int i = 0; i < segments; i++) {
            long at = start + i * period;
            path.relay.runUntil(at, MS, path::drain);
            path.relay.runAt(at);
            Segment s = path.sender.send(path.packet(payload(i, 1200)), flags);
            deadlines.put(transport == Transport.DCCP ? s.id() : i, at + deadline);
            path.relay.runAt(at);
            path.drain();
        }
        path.relay.runUntil(clock.nanoTime() + 1_000 * MS, MS, path::drain);
        long onTime = deadlines.entrySet().stream()
                .filter(e -> path.firstArrival.containsKey(e.getKey())
                        && path.firstArrival.get(e.getKey()) <= e.getValue())
                .count();
        return new StreamResult(segments, onTime, wire[0], wire[1], wire[2], wire[3]);
    }

    @Test
    void fivePercentLossEachWayTheStreamArrivesInTimeWithFewExtraBytesWhereUdpLosesFivePercent() throws Exception {
        StreamResult dccp = constantRateStream(Transport.DCCP, 20);
        StreamResult udp = constantRateStream(Transport.UDP, 20);
        double extra = (double) dccp.resentBytes() / dccp.firstBytes();
        System.out.printf("5%% loss, 40 ms RTT, 150 ms deadlines: DCCP %d of %d on time (%.3f%%), resent %.2f%% of "
                + "the first transmissions' bytes, data bytes on the wire %.3f of UDP's; UDP %d of %d (%.3f%%)%n",
                dccp.onTime(), dccp.segments(), 100 * dccp.onTimeRatio(), 100 * extra,
                (double) dccp.wireDataBytes() / udp.wireDataBytes(), udp.onTime(), udp.segments(),
                100 * udp.onTimeRatio());
        assertThat(dccp.onTimeRatio()).as("DCCP on time").isGreaterThanOrEqualTo(0.999);
        assertThat(extra).as("retransmitted bytes over first transmissions").isLessThanOrEqualTo(0.05 + 0.01);
        assertThat(dccp.lateOrCancelledTransmissions()).as("transmissions at or after the deadline").isZero();
        assertThat(udp.onTimeRatio()).as("UDP on time").isBetween(0.90, 0.97);
    }

    @Test
    void aCancelledSegmentIsNeverTransmittedAgain() throws Exception {
        Path path = new Path(Transport.DCCP, CongestionControl.NONE, link(0.3, 20, SEED), link(0.0, 20, SEED), 1024);
        path.warmUp();
        Map<Long, Long> cancelledAt = new HashMap<>();
        List<Long> violations = new ArrayList<>();
        path.relay.observe((now, direction, datagram) -> {
            Long at = cancelledAt.get(SimulatedRelay.segmentIdOf(datagram));
            if (direction == Direction.A_TO_B && at != null && now >= at) {
                violations.add(SimulatedRelay.segmentIdOf(datagram));
            }
        });
        PacketFlags reliable = PacketFlags.builder().reliable(true).build();
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            segments.add(path.sender.send(path.packet(payload(i, 300)), reliable));
            path.relay.runAt(clock.nanoTime() + 5 * MS);
            if (i % 3 == 0) { // cancelled at once, after 5 ms (sent, unacknowledged) and after 35 ms (maybe lost)
                Segment s = segments.get(i);
                if (s.cancel()) {
                    cancelledAt.put(s.id(), clock.nanoTime());
                }
            }
            if (i >= 7 && i % 3 == 1) {
                Segment s = segments.get(i - 7);
                if (s.cancel()) {
                    cancelledAt.put(s.id(), clock.nanoTime());
                }
            }
        }
        path.relay.runUntil(clock.nanoTime() + 5_000 * MS, MS, path::drain);
        assertThat(cancelledAt).as("segments cancelled before they were acknowledged").hasSizeGreaterThan(60);
        assertThat(violations).as("transmissions after cancel()").isEmpty();
        for (Segment s : segments) {
            assertThat(s.state()).as("segment %d", s.id()).isIn(SegmentState.ACKED, SegmentState.CANCELLED);
            if (cancelledAt.containsKey(s.id())) {
                assertThat(s.state()).isEqualTo(SegmentState.CANCELLED);
            }
        }
        assertThat(path.senderEngine.endpointFor(path.sender.getLocalPort()).info().queueLength())
                .as("cancelled segments gave their room back").isZero();
    }

    /** How the test holds the first transmission of the segment before it updates it. */
    private enum Interleaving {
        BEFORE_FIRST_TRANSMISSION, IN_FLIGHT, DELIVERED_ACK_LOST, DATA_LOST, AFTER_ACK
    }

    @Test
    void anUpdateBeforeTheAcknowledgementLeavesTheReceiverWithTheLatestContentInEveryInterleaving()
            throws Exception {
        for (Interleaving way : Interleaving.values()) {
            Path path = new Path(Transport.DCCP, CongestionControl.CCID2, link(0, 20, SEED), link(0, 20, SEED), 64);
            path.warmUp();
            byte[] original = "original content".getBytes();
            byte[] newer = "newer".getBytes();
            boolean[] dropData = {way == Interleaving.DATA_LOST};
            boolean[] dropAcks = {way == Interleaving.DELIVERED_ACK_LOST};
            path.relay.dropFromA(d -> dropData[0] && SimulatedRelay.segmentIdOf(d) >= 0);
            path.relay.dropFromB(d -> dropAcks[0]);
            Segment s;
            boolean updated;
            switch (way) {
                case BEFORE_FIRST_TRANSMISSION -> {
                    s = path.sender.send(path.packet(original), PacketFlags.NONE);
                    updated = s.update(newer); // the engine has not run: still queued
                }
                case IN_FLIGHT -> {
                    s = path.sender.send(path.packet(original), PacketFlags.NONE);
                    path.relay.runAt(clock.nanoTime() + MS); // left, not arrived (20 ms one way)
                    assertThat(s.state()).isEqualTo(SegmentState.SENT_UNACKED);
                    updated = s.update(newer);
                }
                case DELIVERED_ACK_LOST, DATA_LOST -> {
                    s = path.sender.send(path.packet(original), PacketFlags.NONE);
                    path.relay.runUntil(clock.nanoTime() + 30 * MS, MS, path::drain);
                    assertThat(s.state()).isEqualTo(SegmentState.SENT_UNACKED);
                    updated = s.update(newer);
                    dropData[0] = false;
                    dropAcks[0] = false;
                }
                default -> {
                    s = path.sender.send(path.packet(original), PacketFlags.NONE);
                    path.relay.runUntil(clock.nanoTime() + 500 * MS, MS, path::drain);
                    assertThat(s.state()).isEqualTo(SegmentState.ACKED);
                    updated = s.update(newer);
                }
            }
            path.relay.runUntil(clock.nanoTime() + 5_000 * MS, MS, path::drain);
            byte[] latest = updated ? newer : original;
            assertThat(updated).as(way + ": update accepted").isEqualTo(way != Interleaving.AFTER_ACK);
            assertThat(s.state()).as(way.name()).isEqualTo(SegmentState.ACKED);
            List<io.qsockets.QDatagram> got = path.deliveries.stream().filter(r -> r.segmentId() == s.id()).toList();
            assertThat(got).as(way + ": deliveries").isNotEmpty();
            assertThat(got.get(got.size() - 1).data()).as(way + ": what the receiver ends with").isEqualTo(latest);
            assertThat(got.stream().map(io.qsockets.QDatagram::revision).distinct().count())
                    .as(way + ": each revision once").isEqualTo(got.size());
            for (int k = 1; k < got.size(); k++) {
                assertThat(got.get(k).isUpdate()).as(way + ": a later revision is marked an update").isTrue();
            }
            closeAll();
            closing.clear();
        }
    }

    @Test
    void reliableSegmentsUnderTenPercentLossAllArriveAndNoneTwice() throws Exception {
        for (CongestionControl cc : CongestionControl.values()) {
            Path path = new Path(Transport.DCCP, cc, link(0.10, 10, SEED), link(0.10, 10, SEED + 7), 1024);
            path.warmUp();
            PacketFlags reliable = PacketFlags.builder().reliable(true).build();
            List<Segment> segments = new ArrayList<>();
            int n = 500;
            for (int i = 0; i < n; i++) {
                segments.add(path.sender.send(path.packet(payload(i, 1000)), reliable));
                path.relay.runUntil(clock.nanoTime() + 4 * MS, MS, path::drain);
            }
            long start = clock.nanoTime();
            while (segments.stream().anyMatch(x -> x.state() != SegmentState.ACKED)
                    && clock.nanoTime() - start < 300_000 * MS) {
                path.relay.runUntil(clock.nanoTime() + 1_000 * MS, 5 * MS, path::drain);
            }
            double seconds = (clock.nanoTime() - start) / 1e9;
            assertThat(segments).as(cc.name()).extracting(Segment::state).containsOnly(SegmentState.ACKED);
            assertThat(path.deliveries).as(cc.name()).hasSize(n);
            assertThat(path.deliveries.stream().map(io.qsockets.QDatagram::segmentId).distinct().count())
                    .as(cc + ": none twice").isEqualTo(n);
            for (io.qsockets.QDatagram r : path.deliveries) {
                Segment s = segments.get((int) ByteBuffer.wrap(r.data()).getLong());
                assertThat(r.segmentId()).isEqualTo(s.id());
                assertThat(r.data()).isEqualTo(payload(ByteBuffer.wrap(r.data()).getLong(), 1000));
            }
            long retransmitted = path.sender.info().dccp().retransmittedPackets();
            System.out.printf("10%% loss each way, %s: %d reliable segments delivered once each, %d retransmissions, "
                    + "the last acknowledged %.1f s after the last send%n", cc, n, retransmitted, seconds);
            assertThat(retransmitted).as("losses were repaired").isGreaterThan(n / 20);
            closeAll();
            closing.clear();
        }
    }

    @Test
    void atABottleneckOfHalfTheLoadHighPrioritySegmentsArriveWithinTheirGraceAndLowOnesAreSacrificed()
            throws Exception {
        // 1 Mbit/s bottleneck with an 8-packet queue (77 ms); 2 Mbit/s offered, a quarter of it high priority
        LinkProfile bottleneck = LinkProfile.builder().rateBitsPerSecond(1_000_000).queueLimitPackets(8)
                .delay(Duration.ofMillis(10)).seed(SEED).build();
        Path path = new Path(Transport.DCCP, CongestionControl.CCID2, bottleneck, link(0, 10, SEED), 4096);
        path.warmUp();
        Duration grace = Duration.ofMillis(300);
        PacketFlags high = PacketFlags.builder().priority(200).grace(grace).build();
        PacketFlags low = PacketFlags.builder().priority(10).grace(grace).build();
        Map<Long, Boolean> isHigh = new HashMap<>();
        Map<Long, Long> submitted = new HashMap<>();
        long period = 4_800_000; // 208 datagrams of 1200 B per second: 2 Mbit/s
        int n = (int) (30_000 * MS / period);
        for (int i = 0; i < n; i++) {
            long at = clock.nanoTime() + period;
            path.relay.runUntil(at - at % MS, MS, path::drain);
            path.relay.runAt(at);
            boolean h = i % 4 == 0;
            Segment s = path.sender.send(path.packet(payload(i, 1200)), h ? high : low);
            isHigh.put(s.id(), h);
            submitted.put(s.id(), at);
        }
        path.relay.runUntil(clock.nanoTime() + 2_000 * MS, MS, path::drain);
        long highInGrace = 0;
        long highTotal = 0;
        long lowDelivered = 0;
        for (Map.Entry<Long, Boolean> e : isHigh.entrySet()) {
            Long arrival = path.firstArrival.get(e.getKey());
            if (e.getValue()) {
                highTotal++;
                if (arrival != null && arrival - submitted.get(e.getKey()) <= grace.toNanos()) {
                    highInGrace++;
                }
            } else if (arrival != null) {
                lowDelivered++;
            }
        }
        double highRatio = (double) highInGrace / highTotal;
        double lowRatio = (double) lowDelivered / (isHigh.size() - highTotal);
        System.out.printf("bottleneck at half the load: high priority %.2f%% within grace, low priority %.2f%% "
                + "delivered%n", 100 * highRatio, 100 * lowRatio);
        assertThat(highRatio).as("high priority within grace").isGreaterThanOrEqualTo(0.99);
        assertThat(lowRatio).as("low priority sacrificed").isLessThan(0.6);
    }

    @Test
    void tenTimesTheBottleneckForSixtySecondsKeepsQueueAndHeapBoundedAndDropsAtTheSource() throws Exception {
        LinkProfile bottleneck = LinkProfile.builder().rateBitsPerSecond(1_000_000).queueLimitPackets(30)
                .delay(Duration.ofMillis(10)).seed(SEED).build();
        DutyCycleEngine senderEngine = engine("overload-sender");
        DutyCycleEngine receiverEngine = engine("overload-receiver");
        int capacity = 256;
        QSocket sender = new QSocket(new InetSocketAddress(LOOPBACK, 0), QosParams.builder().engine(senderEngine)
                .transport(Transport.DCCP).sendQueueCapacity(capacity).backPressure(io.qsockets.BackPressure.DROP)
                .build());
        closing.add(sender);
        QSocket receiver = socket(receiverEngine, Transport.DCCP, CongestionControl.CCID2, 1024);
        receiverEngine.doWork();
        ReceiveQueue inbox = receiverEngine.endpointFor(receiver.getLocalPort()).inbox();
        SimulatedRelay relay = new SimulatedRelay(clock, (InetSocketAddress) sender.getLocalSocketAddress(),
                (InetSocketAddress) receiver.getLocalSocketAddress(), bottleneck, link(0, 10, SEED), senderEngine,
                receiverEngine);
        closing.add(relay);
        Runtime rt = Runtime.getRuntime();
        long heapAt10s = 0;
        long received = 0;
        long dropped = 0;
        int maxQueue = 0;
        byte[] data = payload(1, 1200);
        PacketFlags flags = PacketFlags.NONE.withDeadline(Duration.ofMillis(500));
        for (long ms = 1; ms <= 60_000; ms++) {
            for (int k = 0; k < 1; k++) { // ~1042 datagrams of 1200 B per second: 10 Mbit/s
                Segment s = sender.send(new DatagramPacket(data, data.length, relay.forA()), flags);
                if (s.state() == SegmentState.DROPPED) {
                    dropped++;
                }
            }
            relay.runAt(ms * MS);
            while (inbox.poll() != null) {
                received++;
            }
            maxQueue = Math.max(maxQueue, sender.info().queueLength());
            if (ms == 10_000) {
                System.gc();
                heapAt10s = rt.totalMemory() - rt.freeMemory();
            }
        }
        System.gc();
        long heapAt60s = rt.totalMemory() - rt.freeMemory();
        io.qsockets.QInfo info = sender.info();
        System.out.printf("10x overload for 60 s: %d received, %d dropped at the source, queue at most %d of %d, "
                + "heap %d MB at 10 s and %d MB at 60 s%n", received, dropped, maxQueue, capacity,
                heapAt10s >> 20, heapAt60s >> 20);
        assertThat(maxQueue).as("queue bound").isLessThanOrEqualTo(capacity);
        long expired = info.dccp().expiredPackets();
        assertThat(dropped).as("full queue drops at the source (DROP back-pressure)").isGreaterThan(10_000);
        assertThat(info.droppedPackets()).isGreaterThanOrEqualTo(dropped);
        assertThat(info.submittedPackets() - dropped - expired - received)
                .as("every datagram accounted for: received, dropped at the source, expired, or still queued")
                .isBetween(0L, (long) capacity);
        assertThat(received).as("the link was kept busy").isGreaterThan(4_000);
        assertThat(heapAt60s - heapAt10s).as("heap growth from 10 s to 60 s").isLessThan(32L << 20);
    }

    @Test
    void receiveQTellsTheSegmentItsRevisionFrameMarksAndTheSendersClock() throws Exception {
        Path path = new Path(Transport.DCCP, CongestionControl.CCID2, link(0, 5, SEED), link(0, 5, SEED), 64);
        path.warmUp();
        long sentAt = clock.nanoTime();
        Segment first = path.sender.send(path.packet("I".getBytes()), PacketFlags.NONE.withFrame(7, true, false));
        Segment last = path.sender.send(path.packet("I end".getBytes()), PacketFlags.NONE.withFrame(7, false, true));
        path.relay.runAt(sentAt + MS);
        assertThat(last.update("I END".getBytes())).as("updated before its acknowledgement").isTrue();
        path.relay.runUntil(clock.nanoTime() + 500 * MS, MS, () -> { });
        io.qsockets.QDatagram a = path.receiver.receiveQ();
        io.qsockets.QDatagram b = path.receiver.receiveQ();
        io.qsockets.QDatagram c = path.receiver.receiveQ();
        assertThat(new String(a.data())).isEqualTo("I");
        assertThat(a.segmentId()).isEqualTo(first.id());
        assertThat(a.frameId()).isEqualTo(7);
        assertThat(a.frameStart()).isTrue();
        assertThat(a.frameEnd()).isFalse();
        assertThat(a.isUpdate()).isFalse();
        assertThat(a.senderTimestampMicros()).isEqualTo(((sentAt + MS) / 1_000) & 0xFFFF_FFFFL);
        assertThat(a.sender()).isEqualTo(path.relay.forB());
        assertThat(new String(b.data())).isEqualTo("I end");
        assertThat(b.frameEnd()).isTrue();
        assertThat(new String(c.data())).isEqualTo("I END");
        assertThat(c.segmentId()).isEqualTo(last.id());
        assertThat(c.revision()).isEqualTo(1);
        assertThat(c.isUpdate()).isTrue();
        assertThat(path.receiver.info().receivedPackets()).isEqualTo(3);
    }

    @Test
    void aReceiverWhoseQueueIsFullLosesNoReliableSegment() throws Exception {
        Path path = new Path(Transport.DCCP, CongestionControl.CCID2, link(0, 5, SEED), link(0, 5, SEED), 4096);
        path.warmUp();
        PacketFlags reliable = PacketFlags.builder().reliable(true).build();
        int n = ReceiveQueue.DEFAULT_CAPACITY + 500;
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            segments.add(path.sender.send(path.packet(payload(i, 200)), reliable));
        }
        path.relay.runUntil(clock.nanoTime() + 3_000 * MS, MS, () -> { }); // the application does not read
        assertThat(path.inbox.size()).as("receive queue full").isEqualTo(ReceiveQueue.DEFAULT_CAPACITY);
        assertThat(segments).extracting(Segment::state).contains(SegmentState.SENT_UNACKED);
        path.relay.runUntil(clock.nanoTime() + 20_000 * MS, MS, path::drain); // now it reads
        assertThat(segments).extracting(Segment::state).containsOnly(SegmentState.ACKED);
        assertThat(path.deliveries).hasSize(n);
        assertThat(path.deliveries.stream().map(io.qsockets.QDatagram::segmentId).distinct().count()).isEqualTo(n);
        DutyCycleEngine e = path.receiverEngine;
        long reported = e.endpointFor(path.receiver.getLocalPort()).dccp().connections().get(0).receiveBufferDrops();
        System.out.printf("receive queue full: %d datagrams reported dropped (Data Dropped), all %d delivered once%n",
                reported, n);
        assertThat(reported).isPositive();
    }

    @Test
    void aReliableSegmentLostForLongIsNotOutrunByThousandsOfNewerOnes() throws Exception {
        Path path = new Path(Transport.DCCP, CongestionControl.NONE, link(0, 5, SEED), link(0, 5, SEED), 8192);
        path.warmUp();
        Segment old = path.sender.send(path.packet(payload(-1, 100)), PacketFlags.builder().reliable(true).build());
        boolean[] dropping = {true};
        path.relay.dropFromA(d -> dropping[0] && SimulatedRelay.segmentIdOf(d) == old.id());
        int newer = 6000; // more than the receiver's de-duplicator remembers
        List<Segment> later = new ArrayList<>();
        for (int i = 0; i < newer; i++) {
            later.add(path.sender.send(path.packet(payload(i, 100)), PacketFlags.NONE));
            if (i % 100 == 99) {
                path.relay.runUntil(clock.nanoTime() + 5 * MS, MS, path::drain);
            }
        }
        path.relay.runUntil(clock.nanoTime() + 2_000 * MS, MS, path::drain);
        assertThat(old.state()).as("the old segment is still being retransmitted").isEqualTo(SegmentState.SENT_UNACKED);
        long held = path.senderEngine.endpointFor(path.sender.getLocalPort()).dccp().heldForOldSegment();
        assertThat(held).as("admissions held back behind the old segment").isPositive();
        dropping[0] = false;
        path.relay.runUntil(clock.nanoTime() + 5_000 * MS, MS, path::drain);
        assertThat(old.state()).isEqualTo(SegmentState.ACKED);
        assertThat(path.deliveries).extracting(io.qsockets.QDatagram::segmentId).contains(old.id());
        assertThat(later).extracting(Segment::state).containsOnly(SegmentState.ACKED);
        assertThat(path.deliveries).hasSize(newer + 1);
    }
}
