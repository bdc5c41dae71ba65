package io.qsockets.impl.dccp;

import static io.qsockets.impl.dccp.Net.MS;
import static io.qsockets.impl.dccp.Net.S;
import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.impl.dccp.wire.DccpHeader;
import io.qsockets.impl.dccp.wire.DccpHeaderWriter;
import io.qsockets.impl.dccp.wire.DccpPacketType;
import io.qsockets.impl.dccp.wire.ParseResult;
import io.qsockets.impl.dccp.wire.ResetCode;
import io.qsockets.impl.dccp.wire.SequenceNumbers;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Attacks from the network on simulated time (RFC 4340 §7.5, §18): blind spoofing into an open
 * connection, and a flood of spoofed Requests at a listener.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DccpSpoofingTest {
    private static final DccpPacketType[] SPOOFED = {DccpPacketType.DATA, DccpPacketType.DATA_ACK,
        DccpPacketType.ACK, DccpPacketType.RESET, DccpPacketType.CLOSE, DccpPacketType.CLOSE_REQ,
        DccpPacketType.SYNC, DccpPacketType.SYNC_ACK};

    private final DccpHeaderWriter writer = new DccpHeaderWriter();
    private final ByteBuffer packet = ByteBuffer.allocate(256);

    /**
     * A packet of {@code type} with the given numbers and 8 bytes of data on data packets; a
     * Request padded as this stack's clients pad theirs.
     */
    private ByteBuffer forge(DccpPacketType type, int srcPort, int dstPort, long seqno, long ackno) {
        return forge(type, srcPort, dstPort, seqno, ackno, true);
    }

    private ByteBuffer forge(DccpPacketType type, int srcPort, int dstPort, long seqno, long ackno, boolean padded) {
        writer.wrap(packet.clear(), 0, packet.capacity()).begin(type).ports(srcPort, dstPort).sequenceNumber(seqno);
        if (type.hasAckNumber()) {
            writer.ackNumber(ackno);
        }
        if (type.hasServiceCode()) {
            writer.serviceCode(0);
        }
        if (type == DccpPacketType.RESET) {
            writer.reset(ResetCode.ABORTED, 0, 0, 0);
        }
        while (padded && type == DccpPacketType.REQUEST && 20 + writer.options().length() < DccpListener.REQUEST_LENGTH) {
            writer.options().padding();
        }
        int data = type == DccpPacketType.DATA || type == DccpPacketType.DATA_ACK ? 8 : 0;
        int length = writer.finish(data);
        return packet.position(0).limit(length);
    }

    @Test
    void aMillionBlindPacketsFromThePeersAddressAreNotAcceptedAndSyncsStayRateLimited() {
        Net net = new Net();
        net.listen(ConnectionSettings.defaults());
        net.connect(ConnectionSettings.defaults());
        net.runFor(30 * MS);
        net.server.send("hello");
        net.runFor(30 * MS);
        DccpConnection victim = net.client.connection;
        assertThat(victim.state()).isEqualTo(ConnectionState.OPEN);
        int dataBefore = net.client.data.size();
        int syncsBefore = net.sentBy(net.client, DccpPacketType.SYNC).size();
        SplittableRandom r = new SplittableRandom(4340);
        int n = 1_000_000;
        long start = net.now;
        long spacing = 10_000; // 100 000 packets per second of simulated time: 10 s in all
        for (int i = 0; i < n; i++) {
            net.now += spacing;
            DccpPacketType type = SPOOFED[r.nextInt(SPOOFED.length)];
            long seqno = r.nextLong() & SequenceNumbers.MAX;
            long ackno = r.nextLong() & SequenceNumbers.MAX;
            net.inject(net.client, forge(type, net.server.port, net.client.port, seqno, ackno));
        }
        double seconds = (net.now - start) / 1e9;
        int syncs = net.sentBy(net.client, DccpPacketType.SYNC).size() - syncsBefore;
        assertThat(net.client.data).as("no spoofed data reached the application").hasSize(dataBefore);
        assertThat(victim.state()).as("the connection survives").isEqualTo(ConnectionState.OPEN);
        assertThat(syncs).as("Syncs at most 8 per second (§7.5.4) over %.0f s", seconds)
                .isPositive().isLessThanOrEqualTo((int) Math.ceil(seconds * 8) + 8);
        assertThat(victim.stats().droppedTotal()).isGreaterThanOrEqualTo(n - 10L);
        // and the real peer still gets through
        net.server.send("after");
        net.runFor(50 * MS);
        assertThat(net.client.data).last().isEqualTo("after");
    }

    @Test
    void aHundredThousandSpoofedRequestsLeaveNoStateAndARealClientStillConnects() throws Exception {
        Net net = new Net();
        net.listen(ConnectionSettings.defaults());
        DccpListener listener = net.server.listener;
        net.dropFilter = (from, sent) -> true; // the Responses go to the spoofed addresses, not to our client
        DccpHeader header = new DccpHeader();
        SplittableRandom r = new SplittableRandom(18);
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            net.now += 1_000;
            byte[] ip = {10, (byte) r.nextInt(256), (byte) r.nextInt(256), (byte) (1 + r.nextInt(254))};
            InetSocketAddress from = new InetSocketAddress(InetAddress.getByAddress(ip), 1024 + r.nextInt(60_000));
            ByteBuffer request = forge(DccpPacketType.REQUEST, from.getPort(), net.server.port,
                    r.nextLong() & SequenceNumbers.MAX, 0);
            assertThat(header.wrap(request, 0, request.limit()).validate()).isEqualTo(ParseResult.OK);
            assertThat(listener.onPacket(header, from, net.now)).isNull();
        }
        assertThat(listener.responsesSent()).isEqualTo(n);
        assertThat(listener.accepted()).isZero();
        net.wire.clear(); // the test's own record of the Responses
        net.dropFilter = (from, sent) -> false;

        net.connect(ConnectionSettings.defaults());
        net.runFor(S);
        assertThat(listener.accepted()).isEqualTo(1);
        assertThat(net.server.state()).isEqualTo(ConnectionState.OPEN);
        net.client.send("legit");
        net.runFor(50 * MS);
        assertThat(net.server.data).contains("legit");
        assertThat(net.client.state()).isEqualTo(ConnectionState.OPEN);
    }

    @Test
    void aHandshakesAckReplayedFromOtherUdpPortsOpensNoFurtherConnection() throws Exception {
        Net net = new Net();
        net.listen(ConnectionSettings.defaults());
        net.connect(ConnectionSettings.defaults());
        net.runFor(100 * MS);
        DccpListener listener = net.server.listener;
        assertThat(listener.accepted()).isEqualTo(1);
        byte[] ack = net.sentBy(net.client, DccpPacketType.ACK).get(0).bytes();
        DccpHeader header = new DccpHeader();
        InetSocketAddress client = net.client.address;
        for (int port = 1; port <= 5_000; port++) {
            assertThat(header.wrap(ByteBuffer.wrap(ack), 0, ack.length).validate()).isEqualTo(ParseResult.OK);
            InetSocketAddress replayedFrom = new InetSocketAddress(client.getAddress(), 10_000 + port);
            assertThat(listener.onPacket(header, replayedFrom, net.now)).isNull();
        }
        assertThat(listener.accepted()).as("connections from the one handshake").isEqualTo(1);
        assertThat(listener.badCookies()).isEqualTo(5_000);
        // from the address the handshake came from, the cookie still verifies (a lost Ack is retransmitted)
        assertThat(header.wrap(ByteBuffer.wrap(ack), 0, ack.length).validate()).isEqualTo(ParseResult.OK);
        assertThat(listener.accept(header, client, net.now)).isNotNull();
    }

    /** RFC 4340 §18: a 20-byte spoofed Request must not draw a 140-byte Response at a victim. */
    @Test
    void spoofedMinimalRequestsAndStrayPacketsNeverDrawMoreBytesThanTheyBring() throws Exception {
        CountingOwner owner = new CountingOwner();
        DccpListener listener = new DccpListener(ConnectionSettings.builder().resetsPerSecond(1_000_000).build(), 6001,
                owner, new SplittableRandom(3));
        DccpHeader header = new DccpHeader();
        SplittableRandom r = new SplittableRandom(4);
        long in = 0;
        for (int i = 0; i < 20_000; i++) {
            DccpPacketType type = i % 2 == 0 ? DccpPacketType.REQUEST : DccpPacketType.DATA;
            ByteBuffer p = forge(type, 5000 + r.nextInt(1000), 6001, r.nextLong() & SequenceNumbers.MAX, 0, false);
            in += p.remaining();
            InetSocketAddress victim = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 9, 8, 7}), 5000);
            assertThat(header.wrap(p, 0, p.limit()).validate()).isEqualTo(ParseResult.OK);
            listener.onPacket(header, victim, i * 1_000L);
        }
        assertThat(owner.bytes).as("bytes sent for %d bytes received", in).isPositive().isLessThanOrEqualTo(in);
        assertThat(listener.unanswered()).isPositive();
        // a padded Request, as this stack's clients send, is always answered
        long responses = listener.responsesSent();
        ByteBuffer padded = forge(DccpPacketType.REQUEST, 7000, 6001, 1234, 0);
        header.wrap(padded, 0, padded.limit()).validate();
        listener.onPacket(header, new InetSocketAddress(InetAddress.getLoopbackAddress(), 7000), 30_000_000L);
        assertThat(listener.responsesSent()).isEqualTo(responses + 1);
    }

    @Test
    void aListenerHoldsNoMemoryPerUnansweredRequest() throws Exception {
        ConnectionSettings settings = ConnectionSettings.defaults();
        CountingOwner owner = new CountingOwner();
        DccpListener listener = new DccpListener(settings, 6001, owner, new SplittableRandom(1));
        DccpHeader header = new DccpHeader();
        SplittableRandom r = new SplittableRandom(2);
        long before = usedHeapAfterGc();
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            byte[] ip = {10, (byte) r.nextInt(256), (byte) r.nextInt(256), (byte) (1 + r.nextInt(254))};
            InetSocketAddress from = new InetSocketAddress(InetAddress.getByAddress(ip), 1024 + r.nextInt(60_000));
            ByteBuffer request = forge(DccpPacketType.REQUEST, from.getPort(), 6001, r.nextLong() & SequenceNumbers.MAX, 0);
            header.wrap(request, 0, request.limit()).validate();
            listener.onPacket(header, from, i * 1_000L);
        }
        long grown = usedHeapAfterGc() - before;
        assertThat(owner.transmitted).isEqualTo(n);
        // 200 000 Requests: even 20 bytes of state each would be 4 MB
        assertThat(grown).as("heap grown by %d bytes", grown).isLessThan(2L << 20);
        assertThat(listener).isNotNull(); // keep it reachable until the measurement
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    /** An owner that only counts what the listener sends. */
    private static final class CountingOwner implements ConnectionOwner {
        private final ByteBuffer buffer = ByteBuffer.allocate(2048);
        int transmitted;
        long bytes;

        @Override
        public ByteBuffer packetBuffer() {
            return buffer.clear();
        }

        @Override
        public void transmit(ByteBuffer p, InetSocketAddress peer) {
            transmitted++;
            bytes += p.remaining();
        }

        @Override
        public boolean delivered(DccpConnection c, ByteBuffer data, long seqno, long now) {
            return true;
        }

        @Override
        public void acked(DccpConnection c, long seqno) {
        }

        @Override
        public void lost(DccpConnection c, long seqno) {
        }

        @Override
        public void opened(DccpConnection c) {
        }

        @Override
        public void writable(DccpConnection c) {
        }

        @Override
        public void closed(DccpConnection c, ResetCode reasonOrNull) {
        }
    }
}
