package io.qsockets.impl.dccp;

import static io.qsockets.impl.dccp.Dumbbell.MS;
import static io.qsockets.impl.dccp.Dumbbell.S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.qsockets.impl.dccp.ccid2.Ccid2Config;
import io.qsockets.impl.dccp.ccid2.Ccid2Control;
import io.qsockets.impl.dccp.ccid2.Ccid2Sender;
import io.qsockets.impl.dccp.wire.DccpHeader;
import io.qsockets.impl.dccp.wire.DccpPacketType;
import io.qsockets.impl.dccp.wire.FeatureNumber;
import io.qsockets.linkemu.LinkProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CCID 2 (RFC 4341) end to end: real {@link DccpConnection} pairs (handshake through a
 * {@link DccpListener} included) whose data and acknowledgements cross the link emulator on
 * simulated time, each client an application that always has data.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class Ccid2OverDccpTest {

    private static final int PAYLOAD = 1200;
    /** Large enough (about five windows, RFC 4340 §7.5.2) that the Sequence Window never limits cwnd. */
    private static final long WIDE_WINDOW = 1000;
    private static final Duration ONE_WAY = Duration.ofMillis(20);
    private static final long RTT = 2 * ONE_WAY.toNanos();

    private static Dumbbell unlimitedPath(long sequenceWindow) {
        LinkProfile link = LinkProfile.builder().delay(ONE_WAY).build();
        return new Dumbbell(link, link.toBuilder().seed(1).build(), b -> b.sequenceWindow(sequenceWindow),
                Ccid2Config.defaults(), PAYLOAD);
    }

    private static boolean isData(DccpHeader h) {
        return h.type() == DccpPacketType.DATA || h.type() == DccpPacketType.DATA_ACK;
    }

    @Test
    void slowStartAddsOnePacketPerTwoAcknowledgedSoCwndGrowsByHalfEachRoundTrip() {
        Dumbbell net = unlimitedPath(WIDE_WINDOW);
        Dumbbell.Pair pair = net.addPair(net.now);
        int initial = net.config.initialCwnd();
        List<Integer> perRtt = new ArrayList<>();
        long[] nextSample = {Long.MAX_VALUE};
        int[] worstDeviation = {0};
        net.probe = () -> {
            Dumbbell.Side c = pair.client();
            if (c.control == null || c.sender().dataPacketsAcked() == 0) {
                return;
            }
            Ccid2Sender s = c.sender();
            // RFC 4341 §5: +1 per two newly acknowledged data packets (at most AckRatio/2 per ack)
            long expected = initial + s.dataPacketsAcked() / 2;
            worstDeviation[0] = (int) Math.max(worstDeviation[0], Math.abs(s.cwnd() - expected));
            if (nextSample[0] == Long.MAX_VALUE) {
                nextSample[0] = net.now;
            }
            if (net.now >= nextSample[0]) {
                perRtt.add(s.cwnd());
                nextSample[0] += RTT;
            }
        };
        net.runFor(500 * MS);

        Ccid2Sender s = pair.client().sender();
        System.out.printf("slow start: initial %d, cwnd once per RTT %s%n", initial, perRtt);
        assertThat(pair.client().connection.state()).isEqualTo(ConnectionState.OPEN);
        assertThat(pair.server().connection.state()).isEqualTo(ConnectionState.OPEN);
        assertThat(s.congestionEvents()).isZero();
        assertThat(s.timeouts()).isZero();
        assertThat(s.inSlowStart()).isTrue();
        assertThat(worstDeviation[0]).as("cwnd - (initial + acked / 2) at every event").isLessThanOrEqualTo(1);
        assertThat(perRtt.get(0)).isLessThanOrEqualTo(initial + 1);
        int checked = 0;
        for (int i = 1; i < perRtt.size(); i++) {
            if (perRtt.get(i - 1) >= 8) {
                double factor = perRtt.get(i) / (double) perRtt.get(i - 1);
                assertThat(factor).as("growth from RTT %d to %d: %s", i - 1, i, perRtt).isBetween(1.35, 1.65);
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(5);
        assertThat(pair.server().deliveredPackets).isBetween(s.dataPacketsAcked(), s.dataPacketsSent());
    }

    @Test
    void lossesOfOneWindowHalveCwndOnceThenAvoidanceAddsOnePacketPerWindow() {
        Dumbbell net = unlimitedPath(WIDE_WINDOW);
        Dumbbell.Pair pair = net.addPair(net.now);
        long[] victim = {-1};
        List<Long> dropped = new ArrayList<>();
        net.dropFilter = (from, h) -> {
            if (from != pair.client() || !isData(h)) {
                return false;
            }
            if (victim[0] < 0 && from.sender().cwnd() >= 40) {
                victim[0] = h.sequenceNumber();
            }
            // two packets of the same window: one congestion event
            boolean drop = h.sequenceNumber() == victim[0] || h.sequenceNumber() == victim[0] + 6;
            if (drop) {
                dropped.add(h.sequenceNumber());
            }
            return drop;
        };
        int[] before = {0};
        int[] halvedTo = {0};
        int[] previous = {0};
        long[] halvedAt = {0};
        List<long[]> increments = new ArrayList<>(); // {time, cwnd before, data acked}
        net.probe = () -> {
            if (pair.client().control == null) {
                return;
            }
            Ccid2Sender s = pair.client().sender();
            if (s.congestionEvents() == 1 && halvedTo[0] == 0) {
                before[0] = previous[0];
                halvedTo[0] = s.cwnd();
                halvedAt[0] = net.now;
            } else if (halvedTo[0] != 0 && s.cwnd() == previous[0] + 1) {
                increments.add(new long[] {net.now, previous[0], s.dataPacketsAcked()});
            }
            previous[0] = s.cwnd();
        };
        net.runFor(2 * S);

        Ccid2Sender s = pair.client().sender();
        System.out.printf("loss: dropped %s, cwnd %d -> %d (ssthresh %d), then %d increments to %d%n", dropped, before[0],
                halvedTo[0], s.ssthresh(), increments.size(), s.cwnd());
        assertThat(dropped).hasSize(2);
        assertThat(pair.client().lost).isEqualTo(2);
        assertThat(s.congestionEvents()).as("both losses belong to one congestion event").isEqualTo(1);
        assertThat(s.timeouts()).isZero();
        assertThat(halvedTo[0]).isEqualTo(before[0] / 2);
        assertThat(s.ssthresh()).isEqualTo(halvedTo[0]);
        assertThat(s.inSlowStart()).isFalse();
        // congestion avoidance: each increment after one cwnd of newly acknowledged packets
        assertThat(increments).hasSizeGreaterThan(20);
        for (int i = 1; i < increments.size(); i++) {
            long acked = increments.get(i)[2] - increments.get(i - 1)[2];
            long window = increments.get(i)[1];
            assertThat(acked).as("packets acknowledged for the increment from %d", window).isBetween(window - 2, window + 2);
        }
        // ... which, with the window full, is one packet per round trip
        long span = increments.get(increments.size() - 1)[0] - increments.get(0)[0];
        double perRtt = (increments.size() - 1) / (span / (double) RTT);
        System.out.printf("avoidance: %.2f increments per RTT%n", perRtt);
        assertThat(perRtt).isBetween(0.8, 1.05);
        assertThat(s.cwnd()).isEqualTo(halvedTo[0] + increments.size());
    }

    @Test
    void cutLinkBacksTheTimeoutOffExponentiallyWithCwndOneAndTheFlowRecoversWhenItReturns() {
        Dumbbell net = unlimitedPath(WIDE_WINDOW);
        Dumbbell.Pair pair = net.addPair(net.now);
        while (pair.client().control == null || pair.client().sender().cwnd() < 24) {
            net.runFor(MS);
        }
        Ccid2Sender s = pair.client().sender();
        int cwndAtCut = s.cwnd();
        long cut = net.now;
        net.dropFilter = (from, h) -> true;
        List<Long> timeoutsAt = new ArrayList<>();
        List<int[]> afterTimeout = new ArrayList<>(); // {cwnd, ssthresh, pipe, backoffs}
        int[] previousCwnd = {cwndAtCut};
        int[] cwndAtFirstTimeout = {0};
        net.probe = () -> {
            if (s.timeouts() > timeoutsAt.size()) {
                timeoutsAt.add(net.now);
                afterTimeout.add(new int[] {s.cwnd(), s.ssthresh(), s.pipe(), s.rtoBackoffs()});
                if (cwndAtFirstTimeout[0] == 0) {
                    cwndAtFirstTimeout[0] = previousCwnd[0];
                }
            }
            previousCwnd[0] = s.cwnd();
        };
        net.runUntil(cut + 16 * S);
        long deliveredAtRestore = pair.server().deliveredPackets;
        net.dropFilter = (from, h) -> false;
        net.runUntil(cut + 40 * S);

        assertThat(cwndAtFirstTimeout[0]).as("packets already in flight were still acknowledged").isGreaterThanOrEqualTo(cwndAtCut);
        System.out.printf("RTO: cwnd %d at the cut, timeouts at %s ms after it, srtt %d ms, sent %d/%d%n", cwndAtCut,
                timeoutsAt.stream().map(t -> (t - cut) / MS).toList(), s.srttNanos() / MS, s.dataPacketsSent(),
                net.filtered);
        assertThat(timeoutsAt).hasSize(5);
        long first = timeoutsAt.get(0) - cut;
        assertThat(first).as("first timeout about one RTO after the last acknowledgement")
                .isBetween(net.config.minRtoNanos() - RTT, net.config.minRtoNanos() + RTT);
        for (int i = 1; i < timeoutsAt.size(); i++) {
            long gap = timeoutsAt.get(i) - timeoutsAt.get(i - 1);
            assertThat(gap).as("timeout %d comes %d RTOs after the one before", i, 1 << i)
                    .isEqualTo(net.config.minRtoNanos() << i);
        }
        for (int i = 0; i < afterTimeout.size(); i++) {
            int[] a = afterTimeout.get(i);
            assertThat(a[0]).as("cwnd after timeout %d", i).isEqualTo(1);
            assertThat(a[1]).as("ssthresh after timeout %d (kept on back-to-back timeouts)", i).isEqualTo(Math.max(2, cwndAtFirstTimeout[0] / 2));
            assertThat(a[3]).as("backoffs after timeout %d", i).isEqualTo(i + 1);
            assertThat(a[2]).as("pipe after timeout %d: the one packet sent at once", i).isLessThanOrEqualTo(1);
        }
        // recovery: the packet sent at the fifth timeout crosses, acknowledgements end the backoff
        assertThat(s.rtoBackoffs()).isZero();
        assertThat(s.timeouts()).isEqualTo(5);
        assertThat(s.cwnd()).as("past ssthresh again, in congestion avoidance").isGreaterThan(s.ssthresh());
        assertThat(pair.server().deliveredPackets - deliveredAtRestore).isGreaterThan(1000);
        assertThat(pair.client().connection.state()).isEqualTo(ConnectionState.OPEN);
    }

    @Test
    void theSequenceWindowCapsCwndSoAcknowledgementsStayValid() {
        Dumbbell net = unlimitedPath(FeatureNumber.SEQUENCE_WINDOW.initialValue());
        Dumbbell.Pair pair = net.addPair(net.now);
        net.runFor(5 * S);

        Ccid2Sender s = pair.client().sender();
        DccpConnection c = pair.client().connection;
        System.out.printf("sequence window 100: cwnd %d (limit %d), delivered %d, syncs %d%n", s.cwnd(), s.windowLimit(),
                pair.server().deliveredPackets, c.stats().syncsSent());
        assertThat(s.windowLimit()).isEqualTo(75);
        assertThat(s.cwnd()).isEqualTo(75);
        assertThat(s.timeouts()).isZero();
        assertThat(s.invalidAcks()).isZero();
        assertThat(c.stats().syncsSent()).as("no acknowledgement fell out of the validity window").isZero();
        assertThat(c.stats().dropped(DropReason.OUT_OF_WINDOW)).isZero();
        // a window of 75 packets per round trip, for most of the 5 s
        assertThat(pair.server().deliveredPackets).isGreaterThan(75L * 5 * S / RTT * 9 / 10);
    }

    @Test
    void aWindowLimitCutsCwndAndIsValidated() {
        Ccid2Control control = (Ccid2Control) Ccid2Control.factory(Ccid2Config.defaults()).create(new CongestionControl.Listener() {
            @Override
            public void onAcked(long seqno) {
            }

            @Override
            public void onLost(long seqno) {
            }
        });
        Ccid2Sender s = control.sender();
        assertThat(s.windowLimit()).isEqualTo(Integer.MAX_VALUE);
        control.onSequenceWindow(32);
        assertThat(s.windowLimit()).isEqualTo(24);
        s.limitWindow(2);
        assertThat(s.cwnd()).isEqualTo(2);
        assertThat(control.canSend()).isTrue();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.limitWindow(1));
        assertThat(e.getMessage()).contains("1").contains(">= 2");
    }

    @Test
    void ackVectorsStaySmallBecauseTheSenderAcknowledgesTheAcknowledgements() {
        Dumbbell net = unlimitedPath(WIDE_WINDOW);
        Dumbbell.Pair pair = net.addPair(net.now);
        net.runFor(4 * S);

        var back = net.toClients.counters();
        double meanAck = back.deliveredBytes() / (double) back.delivered();
        System.out.printf("acknowledgements: %d, mean %.1f bytes%n", back.delivered(), meanAck);
        assertThat(pair.server().deliveredPackets).as("windows of hundreds of packets").isGreaterThan(40_000);
        assertThat(meanAck).as("Ack Vectors are freed by acks of acks (RFC 4341 §6.2)").isLessThan(80);
    }

    /**
     * 10 Mbit/s, 20 ms each way, a tail-drop queue of about one bandwidth-delay product (40
     * packets); the second flow starts 3 s after the first; goodput over the last 20 of 60 s.
     */
    @Test
    void twoFlowsThroughOneBottleneckShareItFairlyAndKeepItBusy() {
        long rate = 10_000_000;
        LinkProfile forward = LinkProfile.builder().delay(ONE_WAY).rateBitsPerSecond(rate).queueLimitPackets(40).build();
        LinkProfile reverse = forward.toBuilder().seed(1).build();
        Dumbbell net = new Dumbbell(forward, reverse, b -> b.sequenceWindow(WIDE_WINDOW), Ccid2Config.defaults(), PAYLOAD);
        long start = net.now;
        Dumbbell.Pair a = net.addPair(start);
        Dumbbell.Pair b = net.addPair(start + 3 * S);
        net.runUntil(start + 40 * S);
        long a0 = a.server().deliveredBytes;
        long b0 = b.server().deliveredBytes;
        net.runUntil(start + 60 * S);

        double x = a.server().deliveredBytes - a0;
        double y = b.server().deliveredBytes - b0;
        double jain = (x + y) * (x + y) / (2 * (x * x + y * y));
        double utilisation = (x + y) * 8 / (rate * 20.0);
        var link = net.toServers.counters();
        System.out.printf("bottleneck: goodput a=%.2f b=%.2f Mbit/s, Jain %.4f, utilisation %.3f (payload), "
                        + "queue drops %d%n", x * 8 / 20e6, y * 8 / 20e6, jain, utilisation, link.droppedByQueue());
        for (Dumbbell.Pair p : List.of(a, b)) {
            Ccid2Sender s = p.client().sender();
            System.out.printf("  %s events=%d timeouts=%d lost=%d srtt=%d ms%n", s, s.congestionEvents(), s.timeouts(),
                    s.dataPacketsLost(), s.srttNanos() / MS);
            assertThat(s.congestionEvents()).isPositive();
            assertThat(s.invalidAcks()).isZero();
            assertThat(p.client().connection.stats().syncsSent()).isZero();
        }
        assertThat(link.droppedByQueue()).as("the flows met the bottleneck").isPositive();
        assertThat(jain).isGreaterThanOrEqualTo(0.9);
        assertThat(utilisation).isGreaterThanOrEqualTo(0.8).isLessThanOrEqualTo(1.0);
    }
}
