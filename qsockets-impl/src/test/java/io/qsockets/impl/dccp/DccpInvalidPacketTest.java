package io.qsockets.impl.dccp;

import static io.qsockets.impl.dccp.Net.MS;
import static io.qsockets.impl.dccp.Net.S;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qsockets.impl.dccp.wire.DccpHeader;
import io.qsockets.impl.dccp.wire.DccpPacketType;
import io.qsockets.impl.dccp.wire.OptionCursor;
import io.qsockets.impl.dccp.wire.OptionStatus;
import io.qsockets.impl.dccp.wire.OptionType;
import io.qsockets.impl.dccp.wire.ResetCode;
import io.qsockets.impl.dccp.wire.SequenceNumbers;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DccpInvalidPacketTest {

    private static Net open() {
        Net net = new Net();
        net.listen(ConnectionSettings.defaults());
        net.connect(ConnectionSettings.defaults());
        net.runFor(30 * MS);
        net.server.send("hi");
        net.runFor(30 * MS);
        assertEquals(ConnectionState.OPEN, net.client.state());
        return net;
    }

    @Test
    void outOfWindowPacketsAreDroppedAndAnsweredByRateLimitedSyncs() {
        Net net = open();
        DccpConnection c = net.client.connection;
        long far = SequenceNumbers.add(c.gsr(), 10_000);
        int syncsBefore = net.sentBy(net.client, DccpPacketType.SYNC).size();
        for (int i = 0; i < 20; i++) {
            net.inject(net.client, TestPackets.build(DccpPacketType.DATA_ACK, net.server, net.client, far + i, c.gss()));
        }
        var syncs = net.sentBy(net.client, DccpPacketType.SYNC);
        assertEquals(8, syncs.size() - syncsBefore, "8 Syncs per second (§7.5.4)");
        assertEquals(far, syncs.get(syncsBefore).header().ackNumber(), "the Sync acknowledges P.seqno");
        assertEquals(1, net.client.data.size(), "no data from sequence-invalid packets");
        ConnectionStats st = c.stats();
        assertEquals(20, st.dropped(DropReason.OUT_OF_WINDOW));
        assertEquals(12, st.dropped(DropReason.SYNC_RATE_LIMITED));
        assertEquals(ConnectionState.OPEN, c.state());
        net.now += S;
        net.inject(net.client, TestPackets.build(DccpPacketType.ACK, net.server, net.client, far, c.gss()));
        assertEquals(syncs.size() + 1, net.sentBy(net.client, DccpPacketType.SYNC).size(), "the limit refills");
    }

    @Test
    void badAcknowledgementNumberIsOutOfWindow() {
        Net net = open();
        DccpConnection c = net.client.connection;
        net.inject(net.client, TestPackets.build(DccpPacketType.ACK, net.server, net.client,
                SequenceNumbers.add(c.gsr(), 1), SequenceNumbers.add(c.gss(), 5)));
        assertEquals(1, c.stats().dropped(DropReason.OUT_OF_WINDOW));
    }

    @Test
    void sequenceInvalidResetGetsSyncAcknowledgingGsr() {
        Net net = open();
        DccpConnection c = net.client.connection;
        net.inject(net.client, TestPackets.build(DccpPacketType.RESET, net.server, net.client, c.gsr(), c.gss()));
        assertEquals(ConnectionState.OPEN, c.state(), "a Reset at GSR is not after GSR");
        DccpHeader sync = net.last(net.client).header();
        assertEquals(DccpPacketType.SYNC, sync.type());
        assertEquals(c.gsr(), sync.ackNumber());
    }

    @Test
    void validSyncGetsSyncAckAndInvalidSyncIsIgnored() {
        Net net = open();
        DccpConnection c = net.client.connection;
        long seq = SequenceNumbers.add(c.gsr(), 50);
        net.inject(net.client, TestPackets.build(DccpPacketType.SYNC, net.server, net.client, seq, c.gss()));
        DccpHeader ack = net.last(net.client).header();
        assertEquals(DccpPacketType.SYNC_ACK, ack.type());
        assertEquals(seq, ack.ackNumber());
        assertEquals(seq, c.gsr(), "Step 5 updates GSR");
        int before = net.wire.size();
        net.inject(net.client, TestPackets.build(DccpPacketType.SYNC, net.server, net.client, seq + 1,
                SequenceNumbers.add(c.gss(), 1000)));
        assertEquals(before, net.wire.size());
        assertEquals(1, c.stats().dropped(DropReason.SYNC_OUT_OF_WINDOW));
    }

    @Test
    void shortSequenceNumbersAreDroppedWhenNotAllowed() {
        Net net = open();
        DccpConnection c = net.client.connection;
        net.inject(net.client, TestPackets.build(DccpPacketType.DATA, true, net.server, net.client,
                SequenceNumbers.add(c.gsr(), 1), 0, 0, null));
        assertEquals(1, c.stats().dropped(DropReason.SHORT_SEQNOS));
        assertEquals(1, net.client.data.size());
    }

    /**
     * RFC 4340 §7.6.1: "When Allow Short Seqnos/B is zero, DCCP B MUST NOT send packets with short
     * sequence numbers and DCCP A MUST ignore" them: what decides is the sender's feature, not the
     * receiver's.
     */
    @Test
    void shortSequenceNumbersAreAcceptedWhenTheSendersAllowShortSeqnosIsOne() {
        Net net = open();
        DccpConnection c = net.client.connection;
        net.inject(net.client, TestPackets.build(DccpPacketType.ACK, false, net.server, net.client,
                SequenceNumbers.add(c.gsr(), 1), c.gss(), 0,
                o -> o.changeL(io.qsockets.impl.dccp.wire.FeatureNumber.ALLOW_SHORT_SEQNOS, 1)));
        assertEquals(1, c.featureValue(io.qsockets.impl.dccp.wire.FeatureNumber.ALLOW_SHORT_SEQNOS, false));
        assertEquals(0, c.featureValue(io.qsockets.impl.dccp.wire.FeatureNumber.ALLOW_SHORT_SEQNOS, true));
        net.inject(net.client, TestPackets.build(DccpPacketType.DATA, true, net.server, net.client,
                SequenceNumbers.add(c.gsr(), 1), 0, 0, null));
        assertEquals(0, c.stats().dropped(DropReason.SHORT_SEQNOS));
        assertEquals(2, net.client.data.size());
    }

    /**
     * RFC 4340 §13: Timestamp Values are meaningful only relative to others sent on the same
     * connection, so an echo of a value this connection never sent (an hour old, here) gives no
     * round-trip sample.
     */
    @Test
    void aTimestampEchoOlderThanTheConnectionGivesNoRoundTripSample() {
        Net net = open();
        DccpConnection c = net.client.connection;
        long srtt = c.srttNanos();
        long anHourAgo = (Math.floorDiv(net.now, 10_000L) - 360_000_000L) & 0xFFFF_FFFFL;
        net.inject(net.client, TestPackets.build(DccpPacketType.ACK, false, net.server, net.client,
                SequenceNumbers.add(c.gsr(), 1), c.gss(), 0, o -> o.timestampEcho(anHourAgo)));
        assertEquals(srtt, c.srttNanos());
        long aRoundTripAgo = (Math.floorDiv(net.now, 10_000L) - 3_000L) & 0xFFFF_FFFFL; // 30 ms
        net.inject(net.client, TestPackets.build(DccpPacketType.ACK, false, net.server, net.client,
                SequenceNumbers.add(c.gsr(), 1), c.gss(), 0, o -> o.timestampEcho(aRoundTripAgo)));
        assertNotEquals(srtt, c.srttNanos());
    }

    @Test
    void mandatoryUnknownOptionResetsWithMandatoryError() {
        Net net = open();
        DccpConnection c = net.client.connection;
        net.inject(net.client, TestPackets.build(DccpPacketType.ACK, false, net.server, net.client,
                SequenceNumbers.add(c.gsr(), 1), c.gss(), 0, o -> o.mandatory().option(200, new byte[] {9, 8}, 0, 2)));
        DccpHeader r = net.last(net.client).header();
        assertEquals(DccpPacketType.RESET, r.type());
        assertEquals(ResetCode.MANDATORY_ERROR.code(), r.resetCode());
        assertEquals(200, r.resetData1());
        assertEquals(9, r.resetData2());
        assertEquals(8, r.resetData3());
        assertEquals(ConnectionState.CLOSED, c.state());
        assertEquals(ResetCode.MANDATORY_ERROR, net.client.closeReason);
    }

    @Test
    void unknownOptionWithoutMandatoryIsIgnored() {
        Net net = open();
        DccpConnection c = net.client.connection;
        net.inject(net.client, TestPackets.build(DccpPacketType.ACK, false, net.server, net.client,
                SequenceNumbers.add(c.gsr(), 1), c.gss(), 0, o -> o.option(200, new byte[] {9, 8}, 0, 2)));
        assertEquals(ConnectionState.OPEN, c.state());
    }

    @Test
    void unknownFeatureGetsEmptyConfirmAndMandatoryUnknownFeatureResets() {
        Net net = open();
        DccpConnection c = net.client.connection;
        net.inject(net.client, TestPackets.build(DccpPacketType.ACK, false, net.server, net.client,
                SequenceNumbers.add(c.gsr(), 1), c.gss(), 0, o -> o.featureOption(OptionType.CHANGE_L, 100, new byte[] {1}, 0, 1)));
        net.runFor(5 * MS);
        boolean found = false;
        for (Net.Sent s : net.sentBy(net.client, DccpPacketType.ACK)) {
            OptionCursor cur = new OptionCursor().reset(s.header());
            for (OptionStatus st = cur.next(); st == OptionStatus.OPTION; st = cur.next()) {
                if (cur.type() == OptionType.CONFIRM_R && cur.isEmptyConfirm() && cur.featureNumber() == 100) {
                    found = true;
                }
            }
        }
        assertTrue(found, "empty Confirm R(100) sent (§6.6.7)");
        net.inject(net.client, TestPackets.build(DccpPacketType.ACK, false, net.server, net.client,
                SequenceNumbers.add(c.gsr(), 1), c.gss(), 0,
                o -> o.mandatory().featureOption(OptionType.CHANGE_L, 101, new byte[] {1}, 0, 1)));
        assertEquals(ResetCode.MANDATORY_ERROR.code(), net.last(net.client).header().resetCode());
        assertEquals(ConnectionState.CLOSED, c.state());
    }

    @Test
    void invalidConfirmResetsWithOptionError() {
        Net net = new Net();
        net.listen(ConnectionSettings.defaults());
        net.dropFilter = (e, p) -> e == net.server;
        net.connect(ConnectionSettings.builder().sequenceWindow(400).build());
        DccpConnection c = net.client.connection;
        net.inject(net.client, TestPackets.build(DccpPacketType.RESPONSE, false, net.server, net.client, 900, c.gss(), 0,
                o -> o.confirmR(io.qsockets.impl.dccp.wire.FeatureNumber.SEQUENCE_WINDOW, 300)));
        assertEquals(ResetCode.OPTION_ERROR.code(), net.last(net.client).header().resetCode(),
                "Confirm of a value that was not proposed (§6.6.8)");
        assertEquals(ConnectionState.CLOSED, c.state());
    }

    @Test
    void unexpectedPacketInRequestGetsPacketErrorReset() {
        Net net = new Net();
        net.dropFilter = (e, p) -> e == net.client && p.type() == DccpPacketType.REQUEST;
        net.connect(ConnectionSettings.defaults());
        DccpConnection c = net.client.connection;
        net.inject(net.client, TestPackets.build(DccpPacketType.ACK, net.server, net.client, 900, c.gss()));
        DccpHeader r = net.last(net.client).header();
        assertEquals(ResetCode.PACKET_ERROR.code(), r.resetCode());
        assertEquals(900, r.ackNumber());
        assertEquals(1, c.stats().dropped(DropReason.UNEXPECTED_TYPE));
    }

    @Test
    void requestToAnOpenClientIsAnsweredBySync() {
        Net net = open();
        DccpConnection c = net.client.connection;
        net.inject(net.client, TestPackets.build(DccpPacketType.REQUEST, false, net.server, net.client,
                SequenceNumbers.add(c.gsr(), 1), 0, 0, null));
        assertEquals(DccpPacketType.SYNC, net.last(net.client).type());
        assertEquals(1, c.stats().dropped(DropReason.UNEXPECTED_TYPE));
    }
}
