package io.qsockets.impl.dccp;

import static io.qsockets.impl.dccp.Net.MS;
import static io.qsockets.impl.dccp.Net.S;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qsockets.impl.dccp.wire.DccpPacketType;
import io.qsockets.impl.dccp.wire.ResetCode;
import io.qsockets.impl.dccp.wire.SequenceNumbers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DccpCloseTest {

    private static final ConnectionSettings SETTINGS = ConnectionSettings.builder().timeWait(Duration.ofSeconds(5)).build();

    private static Net open() {
        Net net = new Net();
        net.listen(SETTINGS);
        net.connect(SETTINGS);
        net.runFor(30 * MS);
        net.server.send("hi");
        net.runFor(30 * MS);
        assertEquals(ConnectionState.OPEN, net.client.state());
        assertEquals(ConnectionState.OPEN, net.server.state());
        return net;
    }

    @Test
    void clientCloseEndsInClientTimeWaitThenClosed() {
        Net net = open();
        net.client.connection.close(net.now);
        assertEquals(ConnectionState.CLOSING, net.client.state());
        net.runFor(30 * MS);
        assertEquals(ConnectionState.CLOSED, net.server.state(), "server sent Reset(Closed)");
        assertNull(net.server.closeReason);
        assertEquals(1, net.server.closed);
        assertEquals(ConnectionState.TIMEWAIT, net.client.state());
        assertEquals(1, net.client.closed);
        assertNull(net.client.closeReason);
        Net.Sent reset = net.last(net.server);
        assertEquals(DccpPacketType.RESET, reset.type());
        assertEquals(ResetCode.CLOSED.code(), reset.header().resetCode());
        long enteredTimeWait = reset.at() + 10 * MS;
        net.runUntil(enteredTimeWait + 5 * S - 1);
        assertEquals(ConnectionState.TIMEWAIT, net.client.state());
        net.runUntil(enteredTimeWait + 5 * S);
        assertEquals(ConnectionState.CLOSED, net.client.state());
        assertEquals(1, net.client.closed, "closed() is called once");
    }

    @Test
    void serverCloseUsesCloseReqAndLeavesTimeWaitToTheClient() {
        Net net = open();
        net.server.connection.close(net.now);
        assertEquals(ConnectionState.CLOSEREQ, net.server.state());
        net.runFor(50 * MS);
        assertEquals(List.of(DccpPacketType.CLOSE_REQ), types(net.sentBy(net.server, DccpPacketType.CLOSE_REQ)));
        assertEquals(1, net.sentBy(net.client, DccpPacketType.CLOSE).size());
        assertEquals(ConnectionState.CLOSED, net.server.state());
        assertEquals(ConnectionState.TIMEWAIT, net.client.state());
    }

    @Test
    void serverHoldingTimeWaitSendsClose() {
        ConnectionSettings s = ConnectionSettings.builder().serverHoldsTimeWait(true).timeWait(Duration.ofSeconds(5)).build();
        Net net = new Net();
        net.listen(s);
        net.connect(s);
        net.runFor(30 * MS);
        net.server.send("x");
        net.runFor(30 * MS);
        net.server.connection.close(net.now);
        assertEquals(ConnectionState.CLOSING, net.server.state());
        net.runFor(50 * MS);
        assertEquals(ConnectionState.CLOSED, net.client.state());
        assertEquals(ConnectionState.TIMEWAIT, net.server.state());
    }

    @Test
    void simultaneousCloseTerminatesBothSides() {
        Net net = open();
        net.client.connection.close(net.now);
        net.server.connection.close(net.now);
        net.runFor(100 * MS);
        assertEquals(ConnectionState.CLOSED, net.server.state());
        assertEquals(ConnectionState.TIMEWAIT, net.client.state());
        assertNull(net.client.closeReason);
        assertNull(net.server.closeReason);
    }

    @Test
    void lostCloseIsRetransmittedWithBackoff() {
        Net net = open();
        int[] closes = {0};
        net.dropFilter = (e, p) -> p.type() == DccpPacketType.CLOSE && closes[0]++ < 2;
        net.client.connection.close(net.now);
        net.runFor(3 * S);
        List<Net.Sent> sent = net.sentBy(net.client, DccpPacketType.CLOSE);
        assertEquals(3, sent.size());
        long first = sent.get(1).at() - sent.get(0).at();
        assertEquals(2 * first, sent.get(2).at() - sent.get(1).at(), "exponential backoff");
        assertTrue(first >= 2 * 20 * MS - 10 * MS && first <= 2 * 40 * MS, "about two RTTs: " + first);
        assertEquals(ConnectionState.TIMEWAIT, net.client.state());
    }

    @Test
    void packetsToTimeWaitAndClosedFlowsGetResetNoConnection() {
        Net net = open();
        net.client.connection.close(net.now);
        net.runFor(30 * MS);
        assertEquals(ConnectionState.TIMEWAIT, net.client.state());
        long seq = net.server.connection.gss() + 1;
        net.inject(net.client, TestPackets.build(DccpPacketType.DATA_ACK, net.server, net.client, seq, 77));
        Net.Sent r = net.last(net.client);
        assertEquals(DccpPacketType.RESET, r.type());
        assertEquals(ResetCode.NO_CONNECTION.code(), r.header().resetCode());
        assertEquals(78, r.header().sequenceNumber(), "R.seqno = P.ackno + 1 (§8.3.1)");
        assertEquals(seq, r.header().ackNumber());
        int before = net.wire.size();
        net.inject(net.client, TestPackets.build(DccpPacketType.RESET, net.server, net.client, seq + 1, 77));
        assertEquals(before, net.wire.size(), "a Reset is never answered");
        // the server's flow is gone: its listener answers for it
        net.inject(net.server, TestPackets.build(DccpPacketType.DATA, net.client, net.server, 5, 0));
        assertEquals(ResetCode.NO_CONNECTION.code(), net.last(net.server).header().resetCode());
        assertEquals(0, net.last(net.server).header().sequenceNumber(), "no ackno: R.seqno = 0");
    }

    @Test
    void resetInEveryStateEndsTheConnection() {
        for (ConnectionState target : new ConnectionState[] {ConnectionState.REQUEST, ConnectionState.PARTOPEN,
                ConnectionState.OPEN, ConnectionState.CLOSING}) {
            Net net = new Net();
            net.listen(SETTINGS);
            net.dropFilter = (e, p) -> target == ConnectionState.REQUEST && p.type() == DccpPacketType.REQUEST;
            net.connect(SETTINGS);
            if (target != ConnectionState.REQUEST) {
                net.runFor(25 * MS);
            }
            if (target == ConnectionState.OPEN || target == ConnectionState.CLOSING) {
                net.runFor(10 * MS);
                net.server.send("x");
                net.runFor(30 * MS);
            }
            if (target == ConnectionState.CLOSING) {
                net.dropFilter = (e, p) -> true;
                net.client.connection.close(net.now);
            }
            DccpConnection c = net.client.connection;
            assertEquals(target, c.state());
            long seq = target == ConnectionState.REQUEST ? 1000 : SequenceNumbers.add(c.gsr(), 1);
            net.inject(net.client, TestPackets.build(DccpPacketType.RESET, net.server, net.client, seq, c.gss()));
            assertEquals(ConnectionState.TIMEWAIT, c.state(), "Reset received in " + target);
            assertEquals(ResetCode.CLOSED, net.client.closeReason == null ? ResetCode.CLOSED : net.client.closeReason);
            assertEquals(1, net.client.closed);
        }
    }

    @Test
    void resetApiSendsTheCodeAndCloses() {
        Net net = open();
        net.client.connection.reset(ResetCode.AGGRESSION_PENALTY, net.now);
        assertEquals(ConnectionState.CLOSED, net.client.state());
        assertEquals(ResetCode.AGGRESSION_PENALTY, net.client.closeReason);
        net.runFor(20 * MS);
        assertEquals(ConnectionState.TIMEWAIT, net.server.state());
        assertEquals(ResetCode.AGGRESSION_PENALTY, net.server.closeReason);
    }

    private static List<DccpPacketType> types(List<Net.Sent> sent) {
        return sent.stream().map(Net.Sent::type).toList();
    }
}
