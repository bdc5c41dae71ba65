package io.qsockets.impl.dccp;

import static io.qsockets.impl.dccp.Net.MS;
import static io.qsockets.impl.dccp.Net.S;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qsockets.impl.dccp.wire.DccpHeader;
import io.qsockets.impl.dccp.wire.DccpPacketType;
import io.qsockets.impl.dccp.wire.OptionCursor;
import io.qsockets.impl.dccp.wire.OptionStatus;
import io.qsockets.impl.dccp.wire.OptionType;
import io.qsockets.impl.dccp.wire.ResetCode;
import io.qsockets.linkemu.LinkProfile;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DccpListenerTest {

    private static byte[] cookieOf(DccpHeader response) {
        OptionCursor c = new OptionCursor().reset(response);
        for (OptionStatus s = c.next(); s == OptionStatus.OPTION; s = c.next()) {
            if (c.type() == OptionType.INIT_COOKIE) {
                byte[] b = new byte[c.bodyLength()];
                c.buffer().get(c.bodyOffset(), b);
                return b;
            }
        }
        throw new AssertionError("no Init Cookie");
    }

    @Test
    void anyNumberOfRequestsLeavesNoStateAndAnyCookieStillOpens() {
        Net net = new Net();
        net.listen(ConnectionSettings.defaults());
        DccpHeader[] responses = new DccpHeader[2000];
        for (int i = 0; i < responses.length; i++) {
            net.inject(net.server, TestPackets.build(DccpPacketType.REQUEST, net.client, net.server, 10_000 + i, 0));
            responses[i] = net.last(net.server).header();
            assertEquals(DccpPacketType.RESPONSE, responses[i].type());
        }
        assertNull(net.server.connection, "no connection before the handshake completes");
        assertEquals(2000, net.server.listener.responsesSent());
        DccpHeader r = responses[777];
        byte[] cookie = cookieOf(r);
        net.inject(net.server, TestPackets.build(DccpPacketType.ACK, false, net.client, net.server, 10_777 + 1,
                r.sequenceNumber(), 0, o -> o.initCookie(cookie, 0, cookie.length)));
        assertNotNull(net.server.connection);
        assertEquals(ConnectionState.OPEN, net.server.state());
        assertEquals(10_777, net.server.connection.isr());
        assertEquals(r.sequenceNumber(), net.server.connection.iss());
    }

    @Test
    void forgedCookieIsRejectedWithBadInitCookie() {
        Net net = new Net();
        net.listen(ConnectionSettings.defaults());
        net.inject(net.server, TestPackets.build(DccpPacketType.REQUEST, net.client, net.server, 500, 0));
        DccpHeader r = net.last(net.server).header();
        byte[] cookie = cookieOf(r);
        byte[] forged = Arrays.copyOf(cookie, cookie.length);
        forged[3] ^= 1; // change the ISS inside the cookie
        net.inject(net.server, TestPackets.build(DccpPacketType.ACK, false, net.client, net.server, 501,
                r.sequenceNumber(), 0, o -> o.initCookie(forged, 0, forged.length)));
        assertNull(net.server.connection);
        assertEquals(ResetCode.BAD_INIT_COOKIE.code(), net.last(net.server).header().resetCode());
        assertEquals(1, net.server.listener.badCookies());
        // a genuine cookie on an Ack that does not acknowledge the Response's ISS is refused too
        net.inject(net.server, TestPackets.build(DccpPacketType.ACK, false, net.client, net.server, 501,
                r.sequenceNumber() + 1, 0, o -> o.initCookie(cookie, 0, cookie.length)));
        assertNull(net.server.connection);
        assertEquals(2, net.server.listener.badCookies());
    }

    @Test
    void expiredCookieIsRejected() {
        Net net = new Net();
        net.listen(ConnectionSettings.builder().cookieLifetime(Duration.ofSeconds(10)).build());
        net.inject(net.server, TestPackets.build(DccpPacketType.REQUEST, net.client, net.server, 500, 0));
        DccpHeader r = net.last(net.server).header();
        byte[] cookie = cookieOf(r);
        net.now += 11 * S;
        net.inject(net.server, TestPackets.build(DccpPacketType.ACK, false, net.client, net.server, 501,
                r.sequenceNumber(), 0, o -> o.initCookie(cookie, 0, cookie.length)));
        assertNull(net.server.connection);
        assertEquals(1, net.server.listener.badCookies());
    }

    @Test
    void badServiceCodeIsRefused() {
        Net net = new Net();
        net.listen(ConnectionSettings.builder().serviceCode(42).build());
        net.connect(ConnectionSettings.builder().serviceCode(7).build());
        net.runFor(50 * MS);
        DccpHeader reset = net.last(net.server).header();
        assertEquals(ResetCode.BAD_SERVICE_CODE.code(), reset.resetCode());
        assertEquals(ConnectionState.TIMEWAIT, net.client.state());
        assertEquals(ResetCode.BAD_SERVICE_CODE, net.client.closeReason);
        Net ok = new Net();
        ok.listen(ConnectionSettings.builder().serviceCode(42).build());
        ok.connect(ConnectionSettings.builder().serviceCode(42).build());
        ok.runFor(50 * MS);
        assertEquals(ConnectionState.OPEN, ok.server.state());
        assertEquals(42, ok.server.connection.serviceCode());
    }

    /** RFC 4340 §19.8 and RFC 5595 §2.5: a Request for Service Code 4294967295 is never accepted. */
    @Test
    void theInvalidServiceCodeIsRefusedEvenByAListenerThatTakesAnyCode() {
        Net net = new Net();
        net.listen(ConnectionSettings.defaults()); // Service Code 0: accepts any other
        net.inject(net.server, TestPackets.build(DccpPacketType.REQUEST, false, net.client, net.server, 500, 0,
                ConnectionSettings.INVALID_SERVICE_CODE, null));
        assertEquals(ResetCode.BAD_SERVICE_CODE.code(), net.last(net.server).header().resetCode());
        assertEquals(0, net.server.listener.responsesSent());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ConnectionSettings.builder().serviceCode(ConnectionSettings.INVALID_SERVICE_CODE).build());
    }

    @Test
    void strayPacketsGetRateLimitedNoConnectionResets() {
        Net net = new Net();
        net.listen(ConnectionSettings.builder().resetsPerSecond(5).build());
        for (int i = 0; i < 10; i++) {
            net.inject(net.server, TestPackets.build(DccpPacketType.DATA_ACK, net.client, net.server, 100 + i, 50));
        }
        assertEquals(5, net.server.listener.resetsSent());
        assertEquals(5, net.server.listener.resetsSuppressed());
        DccpHeader r = net.last(net.server).header();
        assertEquals(ResetCode.NO_CONNECTION.code(), r.resetCode());
        assertEquals(51, r.sequenceNumber());
        int before = net.wire.size();
        net.now += S;
        net.inject(net.server, TestPackets.build(DccpPacketType.RESET, net.client, net.server, 1, 1));
        assertEquals(before, net.wire.size(), "a Reset is never answered");
    }

    @Test
    void mandatoryUnknownOptionOnRequestIsRefused() {
        Net net = new Net();
        net.listen(ConnectionSettings.defaults());
        net.inject(net.server, TestPackets.build(DccpPacketType.REQUEST, false, net.client, net.server, 500, 0, 0,
                o -> o.mandatory().option(150, new byte[] {1}, 0, 1)));
        assertEquals(ResetCode.MANDATORY_ERROR.code(), net.last(net.server).header().resetCode());
        net.inject(net.server, TestPackets.build(DccpPacketType.REQUEST, false, net.client, net.server, 501, 0, 0,
                o -> o.featureOption(OptionType.CHANGE_R, 120, new byte[] {1}, 0, 1)));
        DccpHeader response = net.last(net.server).header();
        assertEquals(DccpPacketType.RESPONSE, response.type());
        OptionCursor c = new OptionCursor().reset(response);
        boolean empty = false;
        for (OptionStatus s = c.next(); s == OptionStatus.OPTION; s = c.next()) {
            empty |= c.type() == OptionType.CONFIRM_L && c.isEmptyConfirm() && c.featureNumber() == 120;
        }
        assertTrue(empty, "unknown feature in a Request gets an empty Confirm on the Response");
    }

    @Test
    void dataFlowsOverALossyDelayedLink() {
        LinkProfile lossy = LinkProfile.builder().loss(0.05).delay(Duration.ofMillis(20))
                .jitter(Duration.ofMillis(2)).seed(11).build();
        Net net = new Net(lossy);
        net.listen(ConnectionSettings.defaults());
        net.connect(ConnectionSettings.defaults());
        net.runFor(3 * S);
        assertEquals(ConnectionState.OPEN, net.server.state());
        int sent = 0;
        for (int i = 0; i < 400; i++) {
            if (net.client.send("m" + i) >= 0) {
                sent++;
            }
            net.server.send("r" + i);
            net.runFor(5 * MS);
        }
        net.runFor(2 * S);
        assertEquals(400, sent);
        int delivered = net.server.data.size();
        assertTrue(delivered > 340 && delivered < 400, "about 5% lost: " + delivered);
        assertTrue(net.client.lost.size() > 0);
        assertTrue(net.client.acked.size() + net.client.lost.size() >= sent - 3,
                "every data packet but the last few resolved: " + net.client.acked.size() + " + " + net.client.lost.size());
        assertTrue(net.client.acked.size() <= delivered);
        assertEquals(ConnectionState.OPEN, net.client.state());
        assertEquals(0, net.client.connection.stats().dropped(DropReason.OUT_OF_WINDOW));
    }
}
