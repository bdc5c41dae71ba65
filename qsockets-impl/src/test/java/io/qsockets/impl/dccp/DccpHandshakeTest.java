package io.qsockets.impl.dccp;

import static io.qsockets.impl.dccp.Net.MS;
import static io.qsockets.impl.dccp.Net.S;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qsockets.impl.dccp.wire.DccpHeader;
import io.qsockets.impl.dccp.wire.DccpPacketType;
import io.qsockets.impl.dccp.wire.FeatureNumber;
import io.qsockets.impl.dccp.wire.OptionCursor;
import io.qsockets.impl.dccp.wire.OptionStatus;
import io.qsockets.impl.dccp.wire.OptionType;
import io.qsockets.impl.dccp.wire.ResetCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DccpHandshakeTest {

    private static boolean hasOption(Net.Sent s, int type) {
        DccpHeader h = s.header();
        OptionCursor c = new OptionCursor().reset(h);
        for (OptionStatus st = c.next(); st == OptionStatus.OPTION; st = c.next()) {
            if (c.type() == type) {
                return true;
            }
        }
        return false;
    }

    @Test
    void handshakeOpensBothSidesWithThreePackets() {
        Net net = new Net();
        net.listen(ConnectionSettings.defaults());
        net.connect(ConnectionSettings.defaults());
        assertEquals(ConnectionState.REQUEST, net.client.state());
        net.runFor(25 * MS);
        assertEquals(ConnectionState.PARTOPEN, net.client.state(), "Response received, Ack sent");
        assertEquals(1, net.client.opened);
        net.runFor(10 * MS);
        assertNotNull(net.server.connection);
        assertEquals(ConnectionState.OPEN, net.server.state());
        assertEquals(1, net.server.opened);
        assertEquals(DccpPacketType.REQUEST, net.wire.get(0).type());
        assertEquals(DccpPacketType.RESPONSE, net.wire.get(1).type());
        assertEquals(DccpPacketType.ACK, net.wire.get(2).type());
        assertTrue(hasOption(net.wire.get(1), OptionType.INIT_COOKIE));
        assertTrue(hasOption(net.wire.get(2), OptionType.INIT_COOKIE), "PARTOPEN packets echo the cookie");
        DccpConnection c = net.client.connection;
        DccpConnection s = net.server.connection;
        assertEquals(c.iss(), s.isr());
        assertEquals(s.iss(), c.isr());
        assertEquals(c.gss(), s.gsr());
        // server's first packet moves the client to OPEN
        assertTrue(net.server.send("hello") >= 0);
        net.runFor(15 * MS);
        assertEquals(ConnectionState.OPEN, net.client.state());
        assertEquals(List.of("hello"), net.client.data);
    }

    @Test
    void featureNegotiationOutcome() {
        ConnectionSettings cs = ConnectionSettings.builder().sequenceWindow(500).ackRatio(3).sendNdpCount(true).build();
        ConnectionSettings ss = ConnectionSettings.builder().sequenceWindow(200).build();
        Net net = new Net();
        net.listen(ss);
        net.connect(cs);
        net.runFor(50 * MS);
        net.server.send("x");
        net.runFor(50 * MS);
        DccpConnection c = net.client.connection;
        DccpConnection s = net.server.connection;
        assertEquals(500, c.featureValue(FeatureNumber.SEQUENCE_WINDOW, true));
        assertEquals(500, s.featureValue(FeatureNumber.SEQUENCE_WINDOW, false));
        assertEquals(200, s.featureValue(FeatureNumber.SEQUENCE_WINDOW, true));
        assertEquals(200, c.featureValue(FeatureNumber.SEQUENCE_WINDOW, false));
        assertEquals(3, c.featureValue(FeatureNumber.ACK_RATIO, true));
        assertEquals(3, s.featureValue(FeatureNumber.ACK_RATIO, false));
        assertEquals(1, c.featureValue(FeatureNumber.SEND_ACK_VECTOR, false), "server sends Ack Vectors");
        assertEquals(1, s.featureValue(FeatureNumber.SEND_ACK_VECTOR, false), "client sends Ack Vectors");
        assertEquals(1, c.featureValue(FeatureNumber.ECN_INCAPABLE, true));
        assertEquals(1, s.featureValue(FeatureNumber.ECN_INCAPABLE, false));
        // server-priority: the server's preference list (no NDP Count first) wins
        assertEquals(0, s.featureValue(FeatureNumber.SEND_NDP_COUNT, true));
        assertEquals(0, c.featureValue(FeatureNumber.SEND_NDP_COUNT, false));
        for (FeatureNumber f : FeatureNumber.values()) {
            assertFalse(c.isNegotiating(f, true) || c.isNegotiating(f, false), "client still negotiating " + f);
            assertFalse(s.isNegotiating(f, true) || s.isNegotiating(f, false), "server still negotiating " + f);
        }
    }

    @Test
    void dataBothWaysIsDeliveredAndAcknowledged() {
        Net net = new Net();
        net.listen(ConnectionSettings.defaults());
        net.connect(ConnectionSettings.defaults());
        net.runFor(30 * MS);
        long first = net.client.send("c1");
        assertTrue(first >= 0);
        assertEquals(DccpPacketType.DATA_ACK, net.last(net.client).type(), "PARTOPEN data goes on DataAck");
        net.runFor(30 * MS);
        for (int i = 0; i < 20; i++) {
            net.client.send("c" + (i + 2));
            net.server.send("s" + i);
            net.runFor(5 * MS);
        }
        net.runFor(200 * MS);
        assertEquals(21, net.client.data.size() + 1);
        assertEquals(21, net.server.data.size());
        assertEquals("c1", net.server.data.get(0));
        assertEquals("s19", net.client.data.get(19));
        assertEquals(21, net.client.acked.size(), "every client data packet acknowledged");
        assertEquals(20, net.server.acked.size());
        assertTrue(net.client.acked.contains(first));
        assertTrue(net.client.lost.isEmpty());
        ConnectionStats st = net.client.connection.stats();
        assertEquals(0, st.droppedTotal());
        assertTrue(st.srttNanos() >= 19 * MS && st.srttNanos() <= 60 * MS, "RTT from Timestamp Echo: " + st.srttNanos());
        assertTrue(hasAckVector(net), "acks carry Ack Vectors");
    }

    private static boolean hasAckVector(Net net) {
        for (Net.Sent s : net.sentBy(net.server, DccpPacketType.ACK)) {
            if (hasOption(s, OptionType.ACK_VECTOR_0)) {
                return true;
            }
        }
        for (Net.Sent s : net.sentBy(net.server, DccpPacketType.DATA_ACK)) {
            if (hasOption(s, OptionType.ACK_VECTOR_0)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void lostRequestIsRetransmittedWithBackoffThenAbandoned() {
        Net net = new Net();
        net.dropFilter = (e, p) -> true;
        ConnectionSettings s = ConnectionSettings.builder().requestGiveUp(Duration.ofSeconds(20)).build();
        net.connect(s);
        net.runFor(30 * S);
        List<Net.Sent> requests = net.sentBy(net.client, DccpPacketType.REQUEST);
        assertEquals(5, requests.size(), "t=0,1,3,7,15 s");
        assertEquals(1 * S, requests.get(1).at() - requests.get(0).at());
        assertEquals(2 * S, requests.get(2).at() - requests.get(1).at());
        assertEquals(4 * S, requests.get(3).at() - requests.get(2).at());
        assertEquals(8 * S, requests.get(4).at() - requests.get(3).at());
        for (int i = 1; i < requests.size(); i++) {
            assertEquals(requests.get(i - 1).header().sequenceNumber() + 1, requests.get(i).header().sequenceNumber(),
                    "each Request has a new sequence number");
        }
        Net.Sent reset = net.last(net.client);
        assertEquals(DccpPacketType.RESET, reset.type());
        assertEquals(ResetCode.ABORTED.code(), reset.header().resetCode());
        assertEquals(20 * S, reset.at() - requests.get(0).at());
        assertEquals(ConnectionState.CLOSED, net.client.state());
        assertEquals(ResetCode.ABORTED, net.client.closeReason);
    }

    @Test
    void lostRequestThenHandshakeCompletes() {
        Net net = new Net();
        net.listen(ConnectionSettings.defaults());
        net.dropFilter = (e, p) -> p.type() == DccpPacketType.REQUEST && net.sentBy(net.client, DccpPacketType.REQUEST).isEmpty();
        net.connect(ConnectionSettings.defaults());
        net.runFor(2 * S);
        assertEquals(ConnectionState.OPEN, net.server.state());
        assertEquals(ConnectionState.PARTOPEN, net.client.state());
    }

    @Test
    void lostResponseIsRecoveredByRequestRetransmission() {
        Net net = new Net();
        net.listen(ConnectionSettings.defaults());
        int[] responses = {0};
        net.dropFilter = (e, p) -> p.type() == DccpPacketType.RESPONSE && responses[0]++ == 0;
        net.connect(ConnectionSettings.defaults());
        net.runFor(500 * MS);
        assertEquals(ConnectionState.REQUEST, net.client.state());
        assertNull(net.server.connection, "the listener kept no state for the first Request");
        net.runFor(1 * S);
        assertEquals(ConnectionState.OPEN, net.server.state());
        assertEquals(2, net.server.listener.responsesSent());
    }

    @Test
    void lostPartOpenAcksAreRetransmittedWithBackoff() {
        Net net = new Net();
        net.listen(ConnectionSettings.defaults());
        net.dropFilter = (e, p) -> e == net.client && p.type() == DccpPacketType.ACK && net.now < net.wire.get(0).at() + 1 * S;
        net.connect(ConnectionSettings.defaults());
        net.runFor(3 * S);
        List<Net.Sent> acks = net.sentBy(net.client, DccpPacketType.ACK);
        assertTrue(acks.size() >= 4);
        assertEquals(200 * MS, acks.get(1).at() - acks.get(0).at());
        assertEquals(400 * MS, acks.get(2).at() - acks.get(1).at());
        assertEquals(800 * MS, acks.get(3).at() - acks.get(2).at());
        assertTrue(hasOption(acks.get(3), OptionType.INIT_COOKIE));
        assertEquals(ConnectionState.OPEN, net.server.state(), "the first Ack that got through opened the server");
    }

    @Test
    void partOpenGivesUpWithAbortedReset() {
        Net net = new Net();
        net.listen(ConnectionSettings.defaults());
        net.dropFilter = (e, p) -> e == net.client && p.type() == DccpPacketType.ACK;
        ConnectionSettings s = ConnectionSettings.builder().partOpenGiveUp(Duration.ofSeconds(10)).build();
        net.connect(s);
        net.runFor(12 * S);
        assertEquals(ConnectionState.CLOSED, net.client.state());
        assertEquals(ResetCode.ABORTED, net.client.closeReason);
        assertNull(net.server.connection);
    }
}
