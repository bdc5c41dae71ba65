package io.qsockets.impl.dccp;

import static io.qsockets.impl.dccp.Net.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ConnectionSettingsAndCongestionTest {

    @Test
    void settingsAreValidatedOnceWithMessagesNamingTheValue() {
        ConnectionSettings d = ConnectionSettings.defaults();
        assertEquals(100, d.sequenceWindow());
        assertEquals(2, d.ackRatio());
        assertEquals(Duration.ofSeconds(1).toNanos(), d.requestTimeoutNanos());
        assertEquals(Duration.ofMinutes(4).toNanos(), d.timeWaitNanos());
        assertEquals(8, d.syncsPerSecond());
        assertEquals(2 * d.initialRttNanos(), d.closeTimeoutNanos());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConnectionSettings.builder().sequenceWindow(31).build());
        assertTrue(e.getMessage().contains("31"));
        assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.builder().ackRatio(0).build());
        assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.builder().minimumChecksumCoverage(16).build());
        assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.builder().timeWait(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> ConnectionSettings.builder().maxPacketSize(100).build());
    }

    /** A congestion control whose window the test opens and closes. */
    static final class Gate implements CongestionControl {
        final Listener listener;
        boolean open = true;
        long lastAck = -1;

        Gate(Listener l) {
            listener = l;
        }

        @Override
        public boolean canSend() {
            return open;
        }

        @Override
        public void onSent(long seqno, long now, boolean isData) {
        }

        @Override
        public void onAck(long ackno, ByteBuffer cells, int index, int length, long now) {
            lastAck = ackno;
            open = true;
            listener.onLost(ackno - 1);
        }

        @Override
        public long nextTimerNanos() {
            return Long.MAX_VALUE;
        }

        @Override
        public void onTimer(long now) {
        }

        @Override
        public int cwnd() {
            return open ? 1 : 0;
        }

        @Override
        public int pipe() {
            return 0;
        }

        @Override
        public long rtoNanos() {
            return 0;
        }
    }

    @Test
    void congestionControlGatesDataAndItsVerdictsReachTheOwner() {
        Gate[] gates = new Gate[2];
        int[] n = {0};
        ConnectionSettings s = ConnectionSettings.builder().congestionControl(l -> gates[n[0]++] = new Gate(l)).build();
        Net net = new Net();
        net.listen(s);
        net.connect(s);
        net.runFor(50 * MS);
        Gate client = gates[0];
        assertTrue(net.client.send("pre") >= 0);
        client.open = false;
        client.lastAck = -1;
        assertFalse(net.client.connection.canSendData());
        assertEquals(-1, net.client.send("blocked"));
        net.server.send("wake");
        net.runFor(50 * MS);
        assertTrue(client.lastAck >= 0, "the server's acknowledgement of \"pre\" reached the congestion control");
        assertEquals(1, net.client.writable, "writable() once the window reopened");
        assertFalse(net.client.lost.isEmpty(), "loss verdicts reach the owner");
        assertEquals(net.client.lost.size(), net.client.connection.stats().packetsLost());
        assertTrue(net.client.send("now") >= 0);
    }

    @Test
    void oversizedPayloadIsAProgrammerError() {
        Net net = new Net();
        net.connect(ConnectionSettings.defaults());
        ByteBuffer big = ByteBuffer.allocate(ConnectionSettings.defaults().maxPayload() + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> net.client.connection.sendData(big, net.now));
        assertTrue(e.getMessage().contains(String.valueOf(big.remaining())));
    }
}
