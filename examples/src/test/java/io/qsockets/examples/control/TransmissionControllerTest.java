package io.qsockets.examples.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.ManualNanoClock;
import io.qsockets.Segment;
import io.qsockets.SegmentState;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TransmissionControllerTest {

    /** A segment whose state the test sets. */
    static final class FakeSegment implements Segment {
        SegmentState state = SegmentState.QUEUED;
        byte[] content;
        Duration deadline;
        final int length;

        FakeSegment(int length) {
            this.length = length;
        }

        @Override public long id() { return 0; }
        @Override public SegmentState state() { return state; }
        @Override public CompletionStage<SegmentState> outcome() { return new CompletableFuture<>(); }
        @Override public int attempts() { return 0; }
        @Override public int length() { return length; }
        @Override public long submittedNanos() { return 0; }
        @Override public long lastTransmitNanos() { return -1; }

        @Override
        public boolean cancel() {
            if (state.isTerminal()) {
                return false;
            }
            state = SegmentState.CANCELLED;
            return true;
        }

        @Override
        public boolean update(byte[] c) {
            if (state.isTerminal()) {
                return false;
            }
            content = c;
            return true;
        }

        @Override
        public boolean relaxDeadline(Duration d) {
            deadline = d;
            return !state.isTerminal();
        }
    }

    @Test
    void cancelsOnlySegmentsStillPendingAfterTheirUseByTime() {
        ManualNanoClock clock = new ManualNanoClock(0);
        TransmissionController c = TransmissionController.builder().clock(clock).cancelAfter(Duration.ofMillis(100))
                .build();
        FakeSegment early = new FakeSegment(10);
        FakeSegment sent = new FakeSegment(10);
        c.track(early, null);
        c.track(sent, null);
        clock.advance(Duration.ofMillis(60));
        FakeSegment late = new FakeSegment(10);
        c.track(late, null);
        sent.state = SegmentState.SENT;
        assertThat(c.poll()).isZero();
        clock.advance(Duration.ofMillis(40));
        assertThat(c.poll()).isEqualTo(1);
        assertThat(early.state).isEqualTo(SegmentState.CANCELLED);
        assertThat(sent.state).isEqualTo(SegmentState.SENT);
        assertThat(late.state).isEqualTo(SegmentState.QUEUED);
        clock.advance(Duration.ofMillis(60));
        assertThat(c.poll()).isEqualTo(1);
        assertThat(c.cancelled()).isEqualTo(2);
        assertThat(c.tracked()).isZero();
    }

    @Test
    void newContentForAKeyRidesInItsPendingSegmentUntilThatOneIsFinal() {
        TransmissionController c = TransmissionController.builder().build();
        FakeSegment s = new FakeSegment(8);
        assertThat(c.updateInPlace("ch1", new byte[4])).isFalse();
        c.remember("ch1", s);
        byte[] newer = {1, 2, 3};
        assertThat(c.updateInPlace("ch1", newer)).isTrue();
        assertThat(s.content).isSameAs(newer);
        assertThat(c.updateInPlace("ch1", new byte[9])).as("larger than the segment").isFalse();
        assertThat(c.updateInPlace("ch2", newer)).isFalse();
        s.state = SegmentState.SENT;
        assertThat(c.updateInPlace("ch1", newer)).isFalse();
        assertThat(c.updated()).isEqualTo(1);
    }

    @Test
    void relaxesTheDeadlineOfChosenSegmentsOnly() {
        TransmissionController c = TransmissionController.builder()
                .relaxDeadline(tag -> "I".equals(tag), Duration.ofMillis(500)).build();
        FakeSegment i = new FakeSegment(1);
        FakeSegment p = new FakeSegment(1);
        c.track(i, "I");
        c.track(p, "P");
        assertThat(i.deadline).isEqualTo(Duration.ofMillis(500));
        assertThat(p.deadline).isNull();
        assertThat(c.relaxed()).isEqualTo(1);
    }
}
