package io.qsockets.impl.sendqueue;

import static io.qsockets.impl.sendqueue.SegmentRecord.NO_DEADLINE;
import static io.qsockets.impl.sendqueue.SegmentRecord.NO_GRACE;
import static io.qsockets.impl.sendqueue.SegmentRecord.UNLIMITED_ATTEMPTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qsockets.SegmentState;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SendWindowTest {
    private static final long MS = 1_000_000L;

    private final SendWindow window = new SendWindow(SendWindowConfig.builder().capacity(8).sequenceRing(16)
            .deliveryMargin(Duration.ofMillis(5)).build());
    private final ByteBuffer payload = ByteBuffer.allocate(64);
    private long seq = 100;

    /** Polls and sends one segment the way the engine will, returning its sequence number or -1. */
    private long transmit(long now) {
        SegmentRecord r = window.poll(now);
        if (r == null) {
            return -1;
        }
        payload.clear();
        int rev = r.bindContent(payload);
        if (rev == SegmentRecord.NOT_BOUND) {
            window.unsent();
            return -1;
        }
        long s = seq++;
        window.sent(s, rev, now);
        return s;
    }

    private static TestSegment seg(long id, int priority, long deadline) {
        return new TestSegment(id, 0, deadline, NO_GRACE, priority, UNLIMITED_ATTEMPTS, false, new byte[] {1});
    }

    @Test
    void servesHighestPriorityThenEarliestDeadlineThenSubmissionOrder() {
        TestSegment lowEarly = seg(1, 1, 50 * MS);
        TestSegment highLate = seg(2, 9, 500 * MS);
        TestSegment highEarly = seg(3, 9, 100 * MS);
        TestSegment highEarlyToo = seg(4, 9, 100 * MS);
        for (TestSegment s : new TestSegment[] {lowEarly, highLate, highEarly, highEarlyToo}) {
            assertThat(window.submit(s, 0)).isTrue();
        }
        assertThat(window.poll(0)).isSameAs(highEarly);
        window.unsent(); // could not send now: stays first
        assertThat(window.poll(0)).isSameAs(highEarly);
        window.sent(1, 0, 0);
        assertThat(window.poll(0)).isSameAs(highEarlyToo);
        window.sent(2, 0, 0);
        assertThat(window.poll(0)).isSameAs(highLate);
        window.sent(3, 0, 0);
        assertThat(window.poll(0)).isSameAs(lowEarly);
        window.sent(4, 0, 0);
        assertThat(window.poll(0)).isNull();
        assertThat(highEarly.state()).isEqualTo(SegmentState.SENT_UNACKED);
        assertThat(window.firstTransmissions()).isEqualTo(4);
    }

    /** RFC 4340 §7.1: sequence numbers wrap at 2^48; the loss timer follows them across the wrap. */
    @Test
    void theLossTimerFollowsSequenceNumbersAcrossTheirWrapAt2To48() {
        seq = (1L << 48) - 2;
        for (int i = 0; i < 4; i++) {
            window.submit(TestSegment.withDeadline(20 + i, 0, 10_000 * MS), 0);
        }
        for (int i = 0; i < 4; i++) {
            transmit(0); // on 2^48 - 2, 2^48 - 1, then 0 and 1 (the test's counter is masked below)
            seq &= (1L << 48) - 1;
        }
        assertThat(window.lossTimeout(50 * MS, 20 * MS)).isEqualTo(Long.MAX_VALUE);
        assertThat(window.timedOut()).as("every transmission, before and after the wrap, timed out").isEqualTo(4);
    }

    @Test
    void deadlineBasedRetransmitsOnNewSequenceNumbersWhileItCanArriveInTime() {
        window.smoothedRtt(40 * MS); // expected delivery 20 + 5 = 25 ms
        TestSegment s = TestSegment.withDeadline(7, 0, 150 * MS);
        window.submit(s, 0);
        long first = transmit(0);
        window.onLost(first, 60 * MS);
        long second = transmit(60 * MS);
        assertThat(second).isNotEqualTo(first).isGreaterThan(first);
        window.onLost(second, 120 * MS); // 120 + 25 = 145 < 150: still worth it
        long third = transmit(120 * MS);
        assertThat(third).isGreaterThan(second);
        window.onLost(third, 126 * MS); // 126 + 25 = 151 >= 150: it would arrive late
        assertThat(s.state()).isEqualTo(SegmentState.EXPIRED);
        assertThat(window.poll(126 * MS)).isNull();
        assertThat(s.transmitTimes).containsExactly(0L, 60 * MS, 120 * MS);
        assertThat(window.retransmissions()).isEqualTo(2);
        assertThat(window.expiredByDeadline()).isEqualTo(1);
        assertThat(window.size()).isZero();
    }

    @Test
    void aPendingSegmentThatCanNoLongerArriveInTimeIsExpiredNotSent() {
        window.smoothedRtt(40 * MS);
        TestSegment s = TestSegment.withDeadline(1, 0, 30 * MS);
        window.submit(s, 0);
        assertThat(window.poll(6 * MS)).isNull(); // 6 + 25 >= 30
        assertThat(s.state()).isEqualTo(SegmentState.EXPIRED);
        assertThat(s.transmitTimes).isEmpty();
    }

    @Test
    void maxAttemptsLimitsTransmissions() {
        TestSegment s = new TestSegment(1, 0, NO_DEADLINE, NO_GRACE, 0, 2, false, new byte[] {1});
        window.submit(s, 0);
        window.onLost(transmit(0), MS);
        window.onLost(transmit(MS), 2 * MS);
        assertThat(s.state()).isEqualTo(SegmentState.EXPIRED);
        assertThat(s.attempts()).isEqualTo(2);
        assertThat(window.expiredByAttempts()).isEqualTo(1);
        assertThat(window.poll(3 * MS)).isNull();
    }

    @Test
    void withoutDeadlineOrLimitsItIsRetransmittedUntilAcknowledged() {
        TestSegment s = new TestSegment(1, 0, NO_DEADLINE, NO_GRACE, 0, UNLIMITED_ATTEMPTS, false, new byte[] {1});
        window.submit(s, 0);
        long t = 0;
        long last = transmit(t);
        for (int i = 0; i < 20; i++) {
            t += 100 * MS;
            window.onLost(last, t);
            last = transmit(t);
        }
        window.onAcked(last, t + MS);
        assertThat(s.state()).isEqualTo(SegmentState.ACKED);
        assertThat(s.attempts()).isEqualTo(21);
        assertThat(window.ackedAfterAttempts(8)).isEqualTo(1);
    }

    @Test
    void reliableSegmentsOutliveTheirDeadline() {
        window.smoothedRtt(40 * MS);
        TestSegment s = new TestSegment(1, 0, 50 * MS, NO_GRACE, 0, UNLIMITED_ATTEMPTS, true, new byte[] {1});
        window.submit(s, 0);
        assertThat(window.nextExpiryNanos()).isEqualTo(Long.MAX_VALUE);
        long first = transmit(0);
        window.onLost(first, 200 * MS);
        assertThat(window.expire(300 * MS)).isZero();
        long second = transmit(300 * MS);
        assertThat(second).isPositive();
        window.onAcked(second, 340 * MS);
        assertThat(s.state()).isEqualTo(SegmentState.ACKED);
        assertThat(window.ackedAfterAttempts(2)).isEqualTo(1);
    }

    @Test
    void priorityBasedLowPriorityWaitsAndIsGivenUpAfterItsGrace() {
        TestSegment low = new TestSegment(1, 0, NO_DEADLINE, 100 * MS, 1, UNLIMITED_ATTEMPTS, false, new byte[] {1});
        TestSegment high = new TestSegment(2, 0, NO_DEADLINE, 100 * MS, 9, UNLIMITED_ATTEMPTS, false, new byte[] {2});
        window.submit(low, 0);
        window.submit(high, 0);
        assertThat(window.nextExpiryNanos()).isEqualTo(100 * MS);
        // one slot per 60 ms: the high-priority segment (and its retransmission) take them
        long h = transmit(0);
        window.onLost(h, 60 * MS);
        assertThat(window.poll(60 * MS)).isSameAs(high);
        window.sent(seq++, 0, 60 * MS);
        assertThat(window.expire(99 * MS)).isZero();
        assertThat(window.expire(100 * MS)).isEqualTo(1);
        assertThat(low.state()).isEqualTo(SegmentState.EXPIRED);
        assertThat(low.transmitTimes).isEmpty();
        assertThat(window.expiredByGrace()).isEqualTo(1);
        // the high one is in flight past its grace: it waits for the outcome, then is not retransmitted
        assertThat(high.state()).isEqualTo(SegmentState.SENT_UNACKED);
        window.onLost(seq - 1, 120 * MS);
        assertThat(high.state()).isEqualTo(SegmentState.EXPIRED);
        assertThat(high.transmitTimes).containsExactly(0L, 60 * MS);
        assertThat(window.size()).isZero();
    }

    @Test
    void aSegmentInFlightAtItsDeadlineIsAckedIfTheAckComesBack() {
        TestSegment s = TestSegment.withDeadline(1, 0, 30 * MS);
        window.submit(s, 0);
        long first = transmit(0);
        assertThat(window.expire(30 * MS)).isZero();
        assertThat(s.state()).isEqualTo(SegmentState.SENT_UNACKED);
        window.onAcked(first, 41 * MS);
        assertThat(s.state()).isEqualTo(SegmentState.ACKED);
        assertThat(window.size()).isZero();
    }

    @Test
    void cancelledSegmentsAreNeverTransmittedAgainAndTheirAcksAreIgnored() {
        TestSegment pendingOne = TestSegment.withDeadline(1, 0, NO_DEADLINE);
        TestSegment inFlight = TestSegment.withDeadline(2, 0, NO_DEADLINE);
        TestSegment bindRace = TestSegment.withDeadline(3, 0, NO_DEADLINE);
        window.submit(inFlight, 0);
        long s = transmit(0);
        window.submit(pendingOne, 0);
        window.submit(bindRace, 0);
        pendingOne.cancel(MS);
        inFlight.cancel(MS);
        window.onLost(s, 2 * MS);
        SegmentRecord r = window.poll(2 * MS);
        assertThat(r).isSameAs(bindRace);
        bindRace.cancel(2 * MS); // between poll and bind
        assertThat(r.bindContent(payload)).isEqualTo(SegmentRecord.NOT_BOUND);
        window.unsent();
        assertThat(window.poll(3 * MS)).isNull();
        assertThat(window.size()).isZero();
        assertThat(window.cancelled()).isEqualTo(3);
        assertThat(inFlight.transmitTimes).hasSize(1);
        assertThat(pendingOne.transmitTimes).isEmpty();
        assertThat(inFlight.state()).isEqualTo(SegmentState.CANCELLED);
        window.onAcked(s, 4 * MS); // already resolved
        assertThat(window.unknownSequences()).isEqualTo(1);
    }

    @Test
    void anAckOfAnOlderRevisionKeepsTheUpdatePending() {
        TestSegment s = TestSegment.withDeadline(1, 0, NO_DEADLINE);
        window.submit(s, 0);
        long first = transmit(0);
        s.update(new byte[] {2});
        window.onAcked(first, 40 * MS);
        assertThat(s.state()).isEqualTo(SegmentState.SENT_UNACKED);
        assertThat(window.olderRevisionAcks()).isEqualTo(1);
        long second = transmit(40 * MS);
        assertThat(s.transmittedRevisions).containsExactly(0, 1);
        assertThat(payload.get(0)).isEqualTo((byte) 2);
        window.onAcked(second, 80 * MS);
        assertThat(s.state()).isEqualTo(SegmentState.ACKED);
    }

    @Test
    void anUpdateMadeAfterARetransmissionIsSentOnceThatOneIsAcknowledged() {
        TestSegment s = TestSegment.withDeadline(1, 0, NO_DEADLINE);
        window.submit(s, 0);
        long first = transmit(0);
        window.onLost(first, 10 * MS);
        long second = transmit(10 * MS);
        s.update(new byte[] {3});
        window.onAcked(second, 50 * MS); // revision 0 acked, revision 1 never sent
        long third = transmit(50 * MS);
        assertThat(third).isPositive();
        assertThat(s.transmittedRevisions).containsExactly(0, 0, 1);
        window.onAcked(third, 90 * MS);
        assertThat(s.state()).isEqualTo(SegmentState.ACKED);
    }

    @Test
    void aLateAckOfAnEarlierTransmissionSettlesTheSegmentAndTheSpuriousOneIsIgnored() {
        TestSegment s = TestSegment.withDeadline(1, 0, NO_DEADLINE);
        window.submit(s, 0);
        long first = transmit(0);
        window.onLost(first, 50 * MS);
        long second = transmit(50 * MS);
        window.onAcked(first, 55 * MS); // CCID 2 reports acks that come after a loss verdict
        assertThat(window.unknownSequences()).isEqualTo(1); // first's slot was cleared by the loss
        window.onAcked(second, 90 * MS);
        assertThat(s.state()).isEqualTo(SegmentState.ACKED);
        assertThat(window.acked()).isEqualTo(1);
    }

    @Test
    void aFullWindowDropsLowerPriorityPendingSegmentsForHigherOnes() {
        TestSegment[] low = new TestSegment[8];
        for (int i = 0; i < 8; i++) {
            low[i] = seg(i, 3, NO_DEADLINE);
            assertThat(window.submit(low[i], 0)).isTrue();
        }
        assertThat(window.submit(seg(100, 3, NO_DEADLINE), 0)).isFalse();
        assertThat(window.refused()).isEqualTo(1);
        TestSegment high = seg(101, 7, NO_DEADLINE);
        assertThat(window.submit(high, 0)).isTrue();
        assertThat(low[7].state()).isEqualTo(SegmentState.DROPPED); // the last submitted of the lowest class
        assertThat(window.dropped()).isEqualTo(1);
        assertThat(window.poll(0)).isSameAs(high);
        window.unsent();
        assertThat(window.size()).isEqualTo(8);
    }

    @Test
    void anUnresolvedTransmissionIsLostWhenItsRingSlotIsReused() {
        TestSegment old = TestSegment.withDeadline(1, 0, NO_DEADLINE);
        window.submit(old, 0);
        long s = transmit(0);
        TestSegment next = TestSegment.withDeadline(2, 0, NO_DEADLINE);
        window.submit(next, 0);
        assertThat(window.poll(MS)).isSameAs(next);
        window.sent(s + 16, 0, MS); // same slot of the 16-entry ring
        assertThat(window.overwrittenInFlight()).isEqualTo(1);
        assertThat(window.poll(MS)).isSameAs(old); // its loss made it pending again
        window.unsent();
        window.onAcked(s, 2 * MS);
        assertThat(old.state()).isEqualTo(SegmentState.SENT_UNACKED);
    }

    @Test
    void relaxingTheDeadlineKeepsTheSegmentAlive() {
        window.smoothedRtt(10 * MS);
        TestSegment s = TestSegment.withDeadline(1, 0, 20 * MS);
        window.submit(s, 0);
        s.relax(200 * MS);
        assertThat(window.expire(20 * MS)).isZero();
        assertThat(window.nextExpiryNanos()).isEqualTo(200 * MS);
        assertThat(transmit(50 * MS)).isPositive();
    }

    @Test
    void misuseIsNamed() {
        assertThatThrownBy(() -> window.sent(1, 0, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no segment was polled");
        window.submit(TestSegment.withDeadline(1, 0, NO_DEADLINE), 0);
        window.poll(0);
        assertThatThrownBy(() -> window.poll(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("segment 1 was polled");
        assertThatThrownBy(() -> window.sent(-1, 0, 0)).hasMessageContaining("sequence number -1");
        assertThatThrownBy(() -> window.smoothedRtt(-1)).hasMessageContaining("-1 ns");
        assertThatThrownBy(() -> SendWindowConfig.builder().sequenceRing(100))
                .hasMessageContaining("sequence ring 100 must be a power of two");
        assertThatThrownBy(() -> SendWindowConfig.builder().capacity(0)).hasMessageContaining("capacity 0");
        assertThatThrownBy(() -> SendWindowConfig.builder().deliveryMargin(Duration.ofMillis(-1)))
                .hasMessageContaining("delivery margin PT-0.001S");
    }
}
