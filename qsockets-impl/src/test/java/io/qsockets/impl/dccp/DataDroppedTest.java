package io.qsockets.impl.dccp;

import static io.qsockets.impl.dccp.Net.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.impl.dccp.ccid2.Ccid2Config;
import io.qsockets.impl.dccp.ccid2.Ccid2Control;
import io.qsockets.impl.dccp.wire.DataDroppedCursor;
import io.qsockets.impl.dccp.wire.DccpPacketType;
import io.qsockets.impl.dccp.wire.DropCode;
import io.qsockets.impl.dccp.wire.OptionCursor;
import io.qsockets.impl.dccp.wire.OptionStatus;
import io.qsockets.impl.dccp.wire.OptionType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

/**
 * Data a receiver could not hand to its application (a full receive queue) is reported in Data
 * Dropped options with Drop Code 2 (RFC 4340 §11.7), and the sender learns it as not delivered
 * rather than acknowledged; CCID 2 reduces its window for it (RFC 4341 §5.2).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DataDroppedTest {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] encode(ReceiveBufferDrops drops, long ackno) {
        int n = drops.encode(ackno, 253);
        return java.util.Arrays.copyOf(drops.blocks(), n);
    }

    @Test
    void blocksDescribeTheDropsBackFromTheAcknowledgementNumber() {
        ReceiveBufferDrops drops = new ReceiveBufferDrops();
        assertThat(drops.encode(100, 253)).isZero();
        drops.add(99);
        // packet 100 delivered (Normal Block, run 0), 99 dropped (Drop Block, code 2, run 0)
        assertThat(encode(drops, 100)).isEqualTo(bytes(0, 0xA0));
        drops.add(93);
        drops.add(95);
        drops.add(94); // out of order
        // then 98-96 delivered (Normal Block, run 2) and 95-93 dropped (Drop Block, run 2)
        assertThat(encode(drops, 100)).isEqualTo(bytes(0, 0xA0, 2, 0xA2));
        // a drop at the Acknowledgement Number itself needs no Normal Block before it
        assertThat(encode(drops, 99)).isEqualTo(bytes(0xA0, 2, 0xA2));
        // drops newer than the Acknowledgement Number wait for a later packet
        assertThat(encode(drops, 96)).isEqualTo(bytes(0, 0xA2));
        drops.pruneBelow(95);
        assertThat(encode(drops, 100)).isEqualTo(bytes(0, 0xA0, 2, 0xA0));
        assertThat(drops.recorded()).isEqualTo(4);
    }

    @Test
    void longRunsAreSplitAcrossBlocks() {
        ReceiveBufferDrops drops = new ReceiveBufferDrops();
        for (long q = 1000; q < 1020; q++) {
            drops.add(q); // 20 consecutive drops: a Drop Block holds 16
        }
        byte[] b = encode(drops, 1300); // 281 delivered packets above them (1300 to 1020): 128 + 128 + 25
        assertThat(b).isEqualTo(bytes(127, 127, 24, 0xAF, 0xA3));
        DataDroppedCursor cursor = walk(b, 1300);
        List<Long> dropped = new ArrayList<>();
        while (cursor.next()) {
            if (cursor.isDropBlock()) {
                assertThat(cursor.dropCode()).isEqualTo(DropCode.RECEIVE_BUFFER);
                for (long q = cursor.lowSeqno(); q <= cursor.highSeqno(); q++) {
                    dropped.add(q);
                }
            }
        }
        assertThat(dropped).hasSize(20).allMatch(q -> q >= 1000 && q < 1020);
    }

    @Test
    void theHeldDropsAreBoundedAndTheOldestForgotten() {
        ReceiveBufferDrops drops = new ReceiveBufferDrops();
        for (long q = 0; q < 200; q += 2) {
            drops.add(q);
        }
        assertThat(drops.recorded()).isEqualTo(100);
        assertThat(drops.toString()).contains("198").doesNotContain("[0,");
        assertThat(drops.encode(200, 20)).isLessThanOrEqualTo(20);
    }

    private static DataDroppedCursor walk(byte[] blocks, long ackno) {
        java.nio.ByteBuffer option = java.nio.ByteBuffer.allocate(blocks.length + 2);
        option.put((byte) OptionType.DATA_DROPPED).put((byte) (blocks.length + 2)).put(blocks).flip();
        OptionCursor options = new OptionCursor();
        options.reset(option, 0, option.limit(), true);
        assertThat(options.next()).isEqualTo(OptionStatus.OPTION);
        DataDroppedCursor cursor = new DataDroppedCursor();
        cursor.start(ackno);
        assertThat(cursor.load(options)).isTrue();
        return cursor;
    }

    private static Net open(ConnectionSettings settings) {
        Net net = new Net();
        net.listen(settings);
        net.connect(settings);
        net.runFor(30 * MS);
        net.client.send("hello");
        net.runFor(100 * MS);
        assertThat(net.client.state()).isEqualTo(ConnectionState.OPEN);
        return net;
    }

    /**
     * RFC 4340 §11.7.2: Drop Code 0 is no congestion; 2 shrinks the window; 3 to 7 count as ECN
     * marks, and 7 (delivered corrupt) was delivered all the same. §11.6: Slow Receiver reaches the
     * CCID.
     */
    @ParameterizedTest(name = "Drop Code {0}")
    @ValueSource(ints = {0, 1, 2, 3, 5, 7})
    void eachDropCodeReachesTheSenderAsTheRfcSays(int dropCode) {
        java.util.List<RecordingCongestionControl> ccs = new java.util.ArrayList<>();
        Net net = open(ConnectionSettings.builder().congestionControl(RecordingCongestionControl.factory(ccs)).build());
        RecordingCongestionControl atClient = ccs.get(0);
        DccpConnection c = net.client.connection;
        long x = net.client.send("x");
        // the server's Ack: x received (Ack Vector, state 0, run 0), and x dropped with dropCode
        net.inject(net.client, TestPackets.build(DccpPacketType.ACK, false, net.server, net.client,
                io.qsockets.impl.dccp.wire.SequenceNumbers.add(c.gsr(), 1), x, 0, o -> {
                    o.ackVector(0, new byte[] {0}, 0, 1);
                    o.dataDropped(bytes(0x80 | dropCode << 4), 0, 1);
                    o.slowReceiver();
                }));
        boolean delivered = dropCode == 7;
        assertThat(net.client.acked.contains(x)).as("acknowledged as delivered").isEqualTo(delivered);
        assertThat(net.client.lost.contains(x)).as("reported not delivered").isEqualTo(!delivered);
        assertThat(atClient.receiveBufferDrops).isEqualTo(dropCode == 2 ? 1 : 0);
        assertThat(atClient.marked).isEqualTo(dropCode >= 3 ? java.util.List.of(x) : java.util.List.of());
        assertThat(atClient.slowReceivers).isEqualTo(1);
    }

    @Test
    void dataTheReceiverCouldNotDeliverIsReportedDroppedNotAcknowledged() {
        Net net = open(ConnectionSettings.builder().build());
        net.server.refuseData = true;
        long x = net.client.send("x");
        long y = net.client.send("y");
        net.runFor(100 * MS);
        net.server.refuseData = false;
        long z = net.client.send("z");
        net.runFor(100 * MS);
        assertThat(net.server.data).containsExactly("hello", "z");
        assertThat(net.server.connection.receiveBufferDrops()).isEqualTo(2);
        assertThat(net.client.lost).contains(x, y);
        assertThat(net.client.acked).contains(z).doesNotContain(x, y);
        assertThat(net.client.connection.peerReceiveBufferDrops()).isEqualTo(2);
        boolean reported = net.sentBy(net.server, DccpPacketType.ACK).stream()
                .anyMatch(s -> hasDataDropped(s.bytes()));
        assertThat(reported).as("an Ack carried Data Dropped").isTrue();
    }

    @Test
    void ccid2ShrinksItsWindowForReceiveBufferDrops() {
        ConnectionSettings s = ConnectionSettings.builder()
                .congestionControl(Ccid2Control.factory(Ccid2Config.builder().build())).build();
        Net net = open(s);
        for (int i = 0; i < 20; i++) {
            net.client.send("warm " + i);
            net.runFor(20 * MS);
        }
        int before = net.client.connection.stats().cwnd();
        net.server.refuseData = true;
        net.client.send("dropped");
        net.runFor(100 * MS);
        assertThat(net.client.connection.peerReceiveBufferDrops()).isEqualTo(1);
        assertThat(net.client.connection.stats().cwnd()).as("cwnd after one receive-buffer drop").isLessThan(before);
    }

    private static boolean hasDataDropped(byte[] packet) {
        io.qsockets.impl.dccp.wire.DccpHeader h = new io.qsockets.impl.dccp.wire.DccpHeader()
                .wrap(java.nio.ByteBuffer.wrap(packet), 0, packet.length);
        h.validate();
        OptionCursor options = new OptionCursor();
        options.reset(h);
        for (OptionStatus st = options.next(); st == OptionStatus.OPTION; st = options.next()) {
            if (options.type() == OptionType.DATA_DROPPED) {
                return true;
            }
        }
        return false;
    }
}
