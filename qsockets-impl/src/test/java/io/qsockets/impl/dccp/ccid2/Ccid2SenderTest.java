package io.qsockets.impl.dccp.ccid2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qsockets.impl.dccp.ackvec.AckVector;
import io.qsockets.impl.dccp.ackvec.Seq48;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Ccid2Sender}: window, loss, timeout and Ack Ratio rules of RFC 4341 on simulated time. */
@Timeout(10)
class Ccid2SenderTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long RTT = 100 * MS;
    /** 4380 / 1095 = 4: an initial window of four packets. */
    private static final Ccid2Config FOUR = Ccid2Config.builder().maxPacketSize(1095).build();

    @ParameterizedTest
    @CsvSource({"1460, 3", "1400, 3", "1095, 4", "536, 4", "100, 4", "2190, 2", "9000, 2"})
    void initialWindowFollowsRfc3390(int packetSize, int cwnd) {
        Ccid2Config config = Ccid2Config.builder().maxPacketSize(packetSize).build();
        Ccid2Sender sender = new Ccid2Sender(config, new RecordingListener());
        assertThat(sender.cwnd()).isEqualTo(cwnd);
        assertThat(sender.ssthresh()).isEqualTo(Integer.MAX_VALUE);
        assertThat(sender.ackRatio()).isEqualTo(2);
    }

    @Test
    void theInitialWindowNeverExceedsMaxCwnd() {
        Ccid2Config config = Ccid2Config.builder().maxPacketSize(1095).historyCapacity(8).maxCwnd(2).build();
        assertThat(config.initialCwnd()).isEqualTo(2);
        assertThat(new Ccid2Sender(config, new RecordingListener()).cwnd()).isEqualTo(2);
    }

    @Test
    void pipeCountsOutstandingDataPacketsOnly() {
        SenderHarness h = new SenderHarness(FOUR);
        assertThat(h.sendWindow()).hasSize(4);
        assertThat(h.sender.pipe()).isEqualTo(4);
        assertThat(h.sender.canSend()).isFalse();
        assertThatThrownBy(() -> h.sender.onSent(4, h.now, true))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("pipe 4 >= cwnd 4");
        h.send(false);
        assertThat(h.sender.pipe()).isEqualTo(4);
        assertThatThrownBy(() -> h.sender.onSent(4, h.now, false)).hasMessageContaining("does not follow the last one sent, 4");
        assertThat(h.sender.packetsSent()).isEqualTo(5);
        assertThat(h.sender.dataPacketsSent()).isEqualTo(4);
    }

    @Test
    void slowStartGrowsByOnePerTwoAckedPacketsSoAboutHalfAWindowPerRoundTrip() {
        SenderHarness h = new SenderHarness(FOUR);
        List<Integer> windows = new ArrayList<>();
        for (int round = 0; round < 8; round++) {
            int before = h.sender.cwnd();
            windows.add(before);
            assertThat(h.roundTrip(RTT)).hasSize(before);
            // RFC 4341 §5: +1 per two newly acknowledged packets, at most Ack Ratio / 2 per ack
            assertThat(h.sender.cwnd()).isBetween(before + before / 2 - 1, before + (before + 1) / 2);
            assertThat(h.sender.inSlowStart()).isTrue();
        }
        assertThat(windows).startsWith(4, 6, 9);
        assertThat(h.sender.cwnd()).isBetween((int) (4 * Math.pow(1.4, 8)), (int) (4 * Math.pow(1.5, 8)) + 1);
        assertThat(h.listener.lost).isEmpty();
        assertThat(h.listener.acked).hasSize((int) h.sender.dataPacketsSent());
        assertThat(h.sender.pipe()).isZero();
    }

    @Test
    void slowStartGrowsAtMostAckRatioHalvesPerAcknowledgement() {
        SenderHarness h = new SenderHarness(FOUR);
        for (int round = 0; round < 4; round++) {
            h.roundTrip(RTT); // 4, 6, 9, 13, 19
        }
        int before = h.sender.cwnd();
        assertThat(before).isEqualTo(19);
        h.roundTrip(RTT, 4, seq -> false);
        // Ack Ratio 2: an acknowledgement of four packets adds only one
        assertThat(h.sender.cwnd()).isEqualTo(before + 5);

        peerPackets(h.sender, 0, 1, 2, 4, 5, 6); // a lost acknowledgement: Ack Ratio 4
        assertThat(h.sender.ackRatio()).isEqualTo(4);
        before = h.sender.cwnd();
        h.roundTrip(RTT, 4, seq -> false);
        // Ack Ratio 4: two per acknowledgement of four, one per two packets as with Ack Ratio 2
        assertThat(h.sender.cwnd()).isEqualTo(before + before / 2);
    }

    @Test
    void congestionAvoidanceAddsOnePacketPerWindowAcknowledged() {
        SenderHarness h = new SenderHarness(FOUR);
        h.roundTrip(RTT);
        h.roundTrip(RTT);
        h.sender.onSlowReceiver();
        int start = h.sender.cwnd();
        assertThat(h.sender.inSlowStart()).isFalse();
        for (int round = 1; round <= 12; round++) {
            h.roundTrip(RTT);
            assertThat(h.sender.cwnd()).isEqualTo(start + round);
        }
    }

    /** RFC 4340 §11.7.2: a Drop Code 3-7 report counts as an ECN mark: one halving per window. */
    @Test
    void packetsReportedCorruptHalveCwndOncePerWindowAsMarksDo() {
        SenderHarness h = new SenderHarness(FOUR);
        h.roundTrip(RTT);
        h.roundTrip(RTT);
        int before = h.sender.cwnd();
        List<Long> window = h.sendWindow();
        h.sender.onCongestionMarked(window.get(0));
        h.sender.onCongestionMarked(window.get(1)); // the same window: the same congestion event
        assertThat(h.sender.cwnd()).isEqualTo(before / 2);
        assertThat(h.sender.inSlowStart()).isFalse();
    }

    @Test
    void severalLossesInOneWindowHalveCwndOnce() {
        SenderHarness h = new SenderHarness(FOUR);
        h.growTo(20, RTT);
        int w = h.sender.cwnd();
        long first = h.nextSeq;
        Set<Long> drops = Set.of(first + 2, first + 5, first + 9);
        h.roundTrip(RTT, Integer.MAX_VALUE, drops::contains);

        assertThat(h.listener.lost).containsExactlyInAnyOrderElementsOf(drops);
        assertThat(h.sender.congestionEvents()).isEqualTo(1);
        assertThat(h.sender.cwnd()).isEqualTo(w / 2);
        assertThat(h.sender.ssthresh()).isEqualTo(w / 2);
        assertThat(h.sender.pipe()).isZero();

        // a loss in the next window is a new congestion event
        long next = h.nextSeq;
        h.roundTrip(RTT, Integer.MAX_VALUE, seq -> seq == next + 1);
        assertThat(h.sender.congestionEvents()).isEqualTo(2);
        assertThat(h.sender.cwnd()).isEqualTo(w / 4);
        assertThat(h.sender.dataPacketsLost()).isEqualTo(4);
    }

    @Test
    void lossesFoundAcrossSeveralAcksOfOneWindowAreStillOneEvent() {
        SenderHarness h = new SenderHarness(FOUR);
        h.growTo(20, RTT);
        int w = h.sender.cwnd();
        long first = h.nextSeq;
        h.roundTrip(RTT, 2, seq -> seq == first + 2 || seq == first + 8 || seq == first + 15);
        assertThat(h.listener.lost).containsExactly(first + 2, first + 8, first + 15);
        assertThat(h.sender.congestionEvents()).isEqualTo(1);
        // halved once, from the window at the first detection (two acks after the start of the round)
        assertThat(h.sender.ssthresh()).isBetween(w / 2, (w + 2) / 2);
        assertThat(h.sender.cwnd()).isLessThanOrEqualTo(h.sender.ssthresh() + 1);
    }

    @Test
    void aPacketIsLostOnlyOnceThreeLaterPacketsOfAnyKindAreAcknowledged() {
        SenderHarness h = new SenderHarness(FOUR);
        h.sendWindow(); // 0..3
        h.arrive(1);
        h.arrive(2);
        h.ack();
        assertThat(h.listener.lost).isEmpty();
        assertThat(h.sender.pipe()).isEqualTo(2);

        long ackPacket = h.send(false); // a non-data packet, e.g. an acknowledgement of the peer's data
        h.arrive(ackPacket);
        h.ack();
        assertThat(h.listener.lost).containsExactly(0L);
        assertThat(h.sender.pipe()).isEqualTo(1);
        // within one acknowledgement, newest first
        assertThat(h.listener.acked).containsExactly(2L, 1L);
    }

    @Test
    void anEcnMarkIsDeliveredButHalvesCwnd() {
        SenderHarness h = new SenderHarness(FOUR);
        for (int i = 0; i < 4; i++) {
            h.roundTrip(RTT);
        }
        int w = h.sender.cwnd();
        List<Long> sent = h.sendWindow();
        h.now += RTT;
        for (long seq : sent) {
            if (seq == sent.get(3)) {
                h.arriveMarked(seq);
            } else {
                h.arrive(seq);
            }
        }
        h.ack();
        assertThat(h.listener.lost).isEmpty();
        assertThat(h.listener.acked).contains(sent.get(3));
        assertThat(h.sender.ecnMarks()).isEqualTo(1);
        assertThat(h.sender.cwnd()).isEqualTo(w / 2);
        assertThat(h.sender.pipe()).isZero();
    }

    @Test
    void aLateAcknowledgementOfALostPacketIsReportedWithoutTouchingPipeAgain() {
        SenderHarness h = new SenderHarness(FOUR);
        h.arrive(h.send(false)); // the peer's record starts at our first packet, as at a handshake
        h.sendWindow(); // 1..4
        h.arrive(2);
        h.arrive(3);
        h.arrive(4);
        h.ack();
        assertThat(h.listener.lost).containsExactly(1L);
        assertThat(h.sender.pipe()).isZero();

        h.arrive(1);
        h.ack();
        h.ack();
        assertThat(h.listener.acked).containsExactly(4L, 3L, 2L, 1L);
        assertThat(h.listener.lost).containsExactly(1L);
        assertThat(h.sender.pipe()).isZero();
        assertThat(h.sender.lateAcks()).isEqualTo(1);
        assertThat(h.sender.dataPacketsAcked()).isEqualTo(4);
        assertThat(h.sender.acksProcessed()).isEqualTo(3);
    }

    @Test
    void skippedSequenceNumbersAreNeitherPacketsNorLosses() {
        SenderHarness h = new SenderHarness(FOUR);
        h.send(true); // 0
        h.send(true); // 1
        h.nextSeq = 5;
        h.send(true); // 5
        h.send(true); // 6
        assertThat(h.sender.canSend()).isFalse();
        h.arrive(5);
        h.arrive(6);
        h.ack();
        assertThat(h.listener.lost).isEmpty();
        h.send(true); // 7
        h.arrive(7);
        h.ack();
        assertThat(h.listener.lost).containsExactly(0L, 1L);
    }

    @Test
    void roundTripTimeAndTimeoutFollowRfc6298() {
        Ccid2Config config = Ccid2Config.builder().maxPacketSize(1095).minRto(Duration.ofMillis(10)).build();
        SenderHarness h = new SenderHarness(config);
        assertThat(h.sender.rtoNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
        h.roundTrip(100 * MS);
        assertThat(h.sender.srttNanos()).isEqualTo(100 * MS);
        assertThat(h.sender.rttvarNanos()).isEqualTo(50 * MS);
        assertThat(h.sender.rtoNanos()).isEqualTo(300 * MS);

        h.roundTrip(200 * MS);
        assertThat(h.sender.srttNanos()).isEqualTo(112_500_000L);
        assertThat(h.sender.rttvarNanos()).isEqualTo(62_500_000L);
        assertThat(h.sender.rtoNanos()).isEqualTo(362_500_000L);

        // at most one sample per window: later acknowledgements of the same window are not measured
        List<Long> sent = h.sendWindow();
        h.now += 100 * MS;
        h.arrive(sent.get(0));
        h.arrive(sent.get(1));
        h.ack();
        long srtt = h.sender.srttNanos();
        h.now += 400 * MS;
        h.arrive(sent.get(2));
        h.arrive(sent.get(3));
        h.ack();
        assertThat(h.sender.srttNanos()).isEqualTo(srtt);
    }

    @Test
    void theDefaultMinimumTimeoutIsOneSecond() {
        SenderHarness h = new SenderHarness(FOUR);
        h.roundTrip(100 * MS);
        assertThat(h.sender.srttNanos()).isEqualTo(100 * MS);
        assertThat(h.sender.rtoNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void timeoutsResetCwndLoseEverythingOutstandingAndBackOffExponentially() {
        Ccid2Config config = Ccid2Config.builder().maxPacketSize(1095).maxRto(Duration.ofSeconds(20)).build();
        SenderHarness h = new SenderHarness(config);
        h.growTo(16, RTT);
        int w = h.sender.cwnd();
        long sentAt = h.now;
        List<Long> window = h.sendWindow();
        assertThat(h.sender.rtoDeadlineNanos()).isEqualTo(sentAt + TimeUnit.SECONDS.toNanos(1));

        assertThat(h.sender.onRtoExpired(sentAt + 999 * MS)).isFalse();
        h.now = sentAt + 1000 * MS;
        assertThat(h.sender.onRtoExpired(h.now)).isTrue();
        assertThat(h.sender.cwnd()).isEqualTo(1);
        assertThat(h.sender.ssthresh()).isEqualTo(w / 2);
        assertThat(h.sender.pipe()).isZero();
        assertThat(h.listener.lost).containsExactlyElementsOf(window);
        assertThat(h.sender.isRtoArmed()).isFalse();
        assertThat(h.sender.rtoDeadlineNanos()).isEqualTo(Ccid2Sender.NO_DEADLINE);

        long[] expectedSeconds = {2, 4, 8, 16, 20, 20};
        for (long seconds : expectedSeconds) {
            assertThat(h.sender.canSend()).isTrue();
            h.send(true);
            assertThat(h.sender.canSend()).isFalse();
            assertThat(h.sender.rtoDeadlineNanos() - h.now).isEqualTo(TimeUnit.SECONDS.toNanos(seconds));
            h.now = h.sender.rtoDeadlineNanos();
            assertThat(h.sender.onRtoExpired(h.now)).isTrue();
            assertThat(h.sender.cwnd()).isEqualTo(1);
            // back-to-back timeouts keep the threshold of the first
            assertThat(h.sender.ssthresh()).isEqualTo(w / 2);
        }
        assertThat(h.sender.timeouts()).isEqualTo(7);
        assertThat(h.sender.rtoBackoffs()).isEqualTo(7);

        // data acknowledged again: the timeout is computed afresh
        long seq = h.send(true);
        h.now += RTT;
        h.arrive(seq);
        h.ack();
        assertThat(h.sender.rtoBackoffs()).isZero();
        assertThat(h.sender.rtoNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
        assertThat(h.sender.cwnd()).isEqualTo(1);
        assertThat(h.sender.isRtoArmed()).isFalse();
    }

    @Test
    void theTimerRestartsWhenNewDataIsAcknowledged() {
        SenderHarness h = new SenderHarness(FOUR);
        h.sendWindow();
        h.now += 300 * MS;
        h.arrive(0);
        h.ack();
        assertThat(h.sender.rtoDeadlineNanos()).isEqualTo(h.now + h.sender.rtoNanos());
        h.now += 10 * MS;
        h.ack(); // nothing new: the deadline stays
        assertThat(h.sender.rtoDeadlineNanos()).isEqualTo(h.now - 10 * MS + h.sender.rtoNanos());
    }

    @Test
    void lostAcknowledgementsDoubleTheAckRatioOncePerWindow() {
        SenderHarness h = new SenderHarness(FOUR);
        h.growTo(20, RTT);
        int cwnd = h.sender.cwnd();
        peerPackets(h.sender, 0, 1, 2, 4, 5, 6); // 3 lost
        assertThat(h.sender.ackRatio()).isEqualTo(4);
        peerPackets(h.sender, 7, 9, 10, 11); // 8 lost, same window
        assertThat(h.sender.ackRatio()).isEqualTo(4);
        assertThat(h.sender.cwnd()).isEqualTo(cwnd);

        h.roundTrip(RTT, 4, seq -> false); // the window ends
        peerPackets(h.sender, 13, 14, 15); // 12 lost
        assertThat(h.sender.ackRatio()).isEqualTo(Math.min(8, (h.sender.cwnd() + 1) / 2));
        assertThat(h.listener.ackRatios).containsExactly(4, h.sender.ackRatio());
        assertThat(h.sender.ackCongestionEvents()).isEqualTo(2);
    }

    @Test
    void marksOnNonDataPacketsCountButMarksOnDataDoNot() {
        SenderHarness h = new SenderHarness(FOUR);
        h.growTo(20, RTT);
        h.sender.onPeerPacket(0, false, true);
        assertThat(h.sender.ackRatio()).isEqualTo(2);
        h.sender.onPeerPacket(1, true, true);
        assertThat(h.sender.ackRatio()).isEqualTo(4);
    }

    @Test
    void theAckRatioFollowsCwndDownAfterLoss() {
        SenderHarness h = new SenderHarness(FOUR);
        h.growTo(8, RTT);
        peerPackets(h.sender, 0, 1, 2, 4, 5, 6);
        assertThat(h.sender.ackRatio()).isEqualTo(4);
        while (h.sender.cwnd() >= 4) {
            long first = h.nextSeq;
            h.roundTrip(RTT, Integer.MAX_VALUE, seq -> seq == first);
        }
        // cwnd <= 3: at most ceil(cwnd / 2), but 2 is always allowed; clean windows may then reach 1
        assertThat(h.sender.ackRatio()).isLessThanOrEqualTo(2);
        assertThat(h.listener.ackRatios).startsWith(4, 2);
    }

    @Test
    void cleanWindowsLowerTheAckRatioByOneAfterCwndOverRSquaredMinusRWindows() {
        SenderHarness h = new SenderHarness(FOUR);
        h.growTo(28, RTT);
        h.sender.onSlowReceiver(); // congestion avoidance: cwnd grows by one per round trip
        peerPackets(h.sender, 0, 1, 2, 4, 5, 6);
        assertThat(h.sender.ackRatio()).isEqualTo(4);
        h.roundTrip(RTT); // closes the window that saw the loss
        int cleanRounds = 0;
        while (h.sender.ackRatio() == 4) {
            h.roundTrip(RTT);
            cleanRounds++;
            assertThat(cleanRounds).isLessThan(10);
        }
        // K = cwnd / (R^2 - R) = cwnd / 12, rounded up
        assertThat(cleanRounds).isEqualTo((h.sender.cwnd() + 11) / 12);
        assertThat(h.sender.ackRatio()).isEqualTo(3);
        for (int i = 0; i < 30; i++) {
            h.roundTrip(RTT);
        }
        assertThat(h.sender.ackRatio()).isEqualTo(2); // never below 2 once cwnd >= 4
        assertThat(h.listener.ackRatios).containsExactly(4, 3, 2);
    }

    @Test
    void anIdlePeriodHalvesCwndPerTimeoutDownToTheInitialWindow() {
        SenderHarness h = new SenderHarness(FOUR);
        h.growTo(40, RTT);
        int w = h.sender.cwnd();
        h.now += 3500 * MS; // 3.5 RTO of 1 s
        h.send(true);
        assertThat(h.sender.cwnd()).isEqualTo(Math.max(4, w / 8));
        assertThat(h.sender.idleRestarts()).isEqualTo(1);

        Ccid2Config unvalidated = Ccid2Config.builder().maxPacketSize(1095).cwndValidation(false).build();
        SenderHarness u = new SenderHarness(unvalidated);
        u.growTo(40, RTT);
        int uw = u.sender.cwnd();
        u.now += 3500 * MS;
        u.send(true);
        assertThat(u.sender.cwnd()).isEqualTo(uw);
    }

    @Test
    void cwndDoesNotGrowWhileTheApplicationLeavesItUnused() {
        for (boolean validation : new boolean[] {true, false}) {
            Ccid2Config config = Ccid2Config.builder().maxPacketSize(1095).cwndValidation(validation).build();
            SenderHarness h = new SenderHarness(config);
            for (int i = 0; i < 4; i++) {
                h.roundTrip(RTT);
            }
            int w = h.sender.cwnd();
            for (int round = 0; round < 6; round++) {
                long a = h.send(true);
                long b = h.send(true);
                h.now += RTT;
                h.arrive(a);
                h.arrive(b);
                h.ack();
            }
            if (validation) {
                assertThat(h.sender.cwnd()).as("with validation").isLessThanOrEqualTo(w + 1);
            } else {
                assertThat(h.sender.cwnd()).as("without validation").isEqualTo(w + 6);
            }
        }
    }

    @Test
    void anOutstandingPacketThatFallsOutOfTheHistoryIsLost() {
        Ccid2Config config = Ccid2Config.builder().historyCapacity(8).maxCwnd(4).build();
        SenderHarness h = new SenderHarness(config);
        List<Long> data = h.sendWindow();
        assertThat(data).containsExactly(0L, 1L, 2L);
        for (int i = 0; i < 8; i++) {
            h.send(false);
        }
        assertThat(h.listener.lost).containsExactly(0L, 1L, 2L);
        assertThat(h.sender.evictions()).isEqualTo(3);
        assertThat(h.sender.pipe()).isZero();
        assertThat(h.sender.cwnd()).isEqualTo(1);
        assertThat(h.sender.congestionEvents()).isEqualTo(1);
    }

    @Test
    void invalidAcknowledgementsAreCountedAndIgnored() {
        SenderHarness h = new SenderHarness(FOUR);
        ByteBuffer cells = ByteBuffer.wrap(new byte[] {0, (byte) 0x80});
        assertThat(h.sender.onAck(0, cells, 0, 1, h.now)).isFalse();
        h.sendWindow();
        assertThat(h.sender.onAck(4, cells, 0, 1, h.now)).isFalse();
        assertThat(h.sender.onAck(3, cells, 0, 2, h.now)).isFalse();
        assertThat(h.sender.invalidAcks()).isEqualTo(3);
        assertThat(h.sender.pipe()).isEqualTo(4);
        // no Ack Vector: the Acknowledgement Number alone is acknowledged
        assertThat(h.sender.onAck(3, cells, 0, 0, h.now)).isTrue();
        assertThat(h.listener.acked).containsExactly(3L);
        assertThat(h.sender.pipe()).isEqualTo(3);
    }

    @Test
    void worksAcrossTheWrapOfSequenceNumbers() {
        SenderHarness h = new SenderHarness(FOUR, Seq48.MASK - 20);
        List<Long> dropped = new ArrayList<>();
        for (int round = 0; round < 9; round++) {
            long victim = Seq48.add(h.nextSeq, 1);
            if (round % 3 == 1) {
                dropped.add(victim);
            }
            h.roundTrip(RTT, 2, seq -> dropped.contains(seq));
        }
        assertThat(Seq48.after(h.nextSeq, 5)).isTrue();
        assertThat(dropped).hasSize(3);
        assertThat(h.listener.lost).containsExactlyElementsOf(dropped);
        assertThat(h.listener.acked).hasSize((int) h.sender.dataPacketsSent() - dropped.size());
        assertThat(h.sender.pipe()).isZero();
    }

    @Test
    void acksOfAcksAreDueOncePerWindow() {
        SenderHarness h = new SenderHarness(FOUR);
        assertThat(h.sender.ackOfAckDue()).isFalse();
        h.roundTrip(RTT); // 4 sent, cwnd now 6
        assertThat(h.sender.ackOfAckDue()).isFalse();
        h.roundTrip(RTT); // 10 sent, cwnd now 9
        assertThat(h.sender.ackOfAckDue()).isTrue();
        h.sender.onAckOfAckSent();
        assertThat(h.sender.ackOfAckDue()).isFalse();
        h.roundTrip(RTT); // 9 sent, cwnd now 13
        assertThat(h.sender.ackOfAckDue()).isFalse();
        h.roundTrip(RTT); // 22 sent, cwnd now 19
        assertThat(h.sender.ackOfAckDue()).isTrue();
        h.sender.onAckOfAckSent();
        h.sendWindow();
        h.sendWindow();
        assertThat(h.sender.ackOfAckDue()).as("no acknowledgement arrived since").isFalse();
    }

    @Test
    void receiverOptionsEndSlowStartAndShrinkCwnd() {
        SenderHarness h = new SenderHarness(FOUR);
        h.roundTrip(RTT);
        h.sender.onReceiveBufferDrops(2);
        assertThat(h.sender.cwnd()).isEqualTo(4);
        assertThat(h.sender.inSlowStart()).isFalse();
        h.sender.onReceiveBufferDrops(100);
        assertThat(h.sender.cwnd()).isEqualTo(1);
        assertThatThrownBy(() -> h.sender.onReceiveBufferDrops(-1)).hasMessageContaining("-1");
    }

    @Test
    void rejectsBadConfiguration() {
        assertThatThrownBy(() -> Ccid2Config.builder().maxPacketSize(0)).hasMessageContaining("max packet size 0");
        assertThatThrownBy(() -> Ccid2Config.builder().minRto(Duration.ZERO)).hasMessageContaining("min RTO PT0S");
        assertThatThrownBy(() -> Ccid2Config.builder().minRto(Duration.ofSeconds(2)).build())
                .hasMessageContaining("initial RTO");
        assertThatThrownBy(() -> Ccid2Config.builder().maxCwnd(5000).build()).hasMessageContaining("half the history");
        assertThatThrownBy(() -> Ccid2Config.builder().historyCapacity(4)).hasMessageContaining("history capacity 4");
        assertThat(Ccid2Config.builder().historyCapacity(1000).maxCwnd(16).build().historyCapacity()).isEqualTo(1024);
        assertThatThrownBy(() -> new Ccid2Sender(Ccid2Config.defaults(), null)).hasMessageContaining("listener");
    }

    private static void peerPackets(Ccid2Sender sender, long... seqnos) {
        for (long seq : seqnos) {
            sender.onPeerPacket(seq, true, false);
        }
    }

    static byte cell(int state, int length) {
        return AckVector.cell(state, length);
    }
}
