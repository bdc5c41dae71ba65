package io.qsockets.scheduler.dwcs;

import static io.qsockets.scheduler.dwcs.Harness.attrs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qsockets.DwcsAttributes.Flag;
import io.qsockets.PacketFlags;
import io.qsockets.SchedulerAttributes;
import io.qsockets.SchedulerStats;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scheduler's rules on simulated time, one at a time: window adjustments on service and on a
 * miss, LOSSY and LOSSLESS, pacing, best effort, {@code changeStream}, {@code removeStream} and
 * the statistics. Time is in ticks (ns); schedules are worked out in the comments.
 */
@Timeout(10)
class DwcsSchedulerTest {

    @Test
    void serviceByTheDeadlineAdjustsTheWindowAndMovesToTheNextPeriod() {
        // 1/3, T=10, three packets at 0 → periods [0,10], [10,20], [20,30].
        // 0: p0 met → 1/2. 5: nothing (p1's period starts at 10). 10: p1 met → 1/1.
        // 20: p2 met → y' == x' > 0 → 0/0 → reset 1/3.
        Harness h = Harness.dwcs().stream(0, attrs(10, 1, 3));
        for (int i = 0; i < 3; i++) {
            h.submit("p" + i, 0, 0);
        }
        assertThat(h.next(0)).isEqualTo("p0");
        assertThat(h.window(0)).isEqualTo("1/2");
        assertThat(h.next(5)).isEqualTo("-");
        assertThat(h.scheduler.nextEligibleNanos(5)).isEqualTo(10);
        assertThat(h.next(10)).isEqualTo("p1");
        assertThat(h.window(0)).isEqualTo("1/1");
        assertThat(h.next(20)).isEqualTo("p2");
        assertThat(h.window(0)).isEqualTo("1/3");
        assertThat(h.stats(0)).isEqualTo(new SchedulerStats(3, 0, 0, 0, 1, 3));
    }

    @Test
    void lossyLateHeadsAreDroppedAndAdjustTheWindow() {
        // 1/2, T=10, LOSSY; p0..p2 at 0 → deadlines 10, 20, 30. Nothing is asked until 25:
        // p0 (d=10) late: x' > 0 → 0/1, dropped. p1 (d=20) late: x' = 0 → violation, tagged,
        // dropped. p2 (d=30) on time: met → 0/0, and tagged → reset 1/2.
        Harness h = Harness.dwcs().stream(0, attrs(10, 1, 2));
        for (int i = 0; i < 3; i++) {
            h.submit("p" + i, 0, 0);
        }
        assertThat(h.next(25)).isEqualTo("p2");
        assertThat(h.drops).containsExactly("p0:LATE", "p1:LATE");
        assertThat(h.stats(0)).isEqualTo(new SchedulerStats(1, 2, 2, 1, 1, 2));
        assertThat(h.scheduler.size()).isZero();
    }

    @Test
    void losslessLateHeadStaysAndEveryPeriodItWaitsIsAMiss() {
        // 2/4, T=10, LOSSLESS; p0, p1 at 0: p0's period [0,10]. Asked first at 35: p0 has waited
        // through the deadlines 10, 20 and 30: three misses: 2/4 → 1/3 → 0/2 → violation (tagged,
        // 0/2); its next deadline is 40. It leaves at 35 ≤ 40: met → 0/1, tagged → reset 2/4.
        // p1's period is then [40,50]: nothing at 39, p1 at 40 (met → 2/3).
        Harness h = Harness.dwcs().stream(0, attrs(10, 2, 4, Flag.LOSSLESS));
        h.submit("p0", 0, 0);
        h.submit("p1", 0, 0);
        assertThat(h.next(35)).isEqualTo("p0");
        assertThat(h.window(0)).isEqualTo("2/4");
        assertThat(h.run(39, 40)).containsExactly("-", "p1");
        assertThat(h.window(0)).isEqualTo("2/3");
        assertThat(h.drops).isEmpty();
        // p0 left late (not counted serviced), p1 on time
        assertThat(h.stats(0)).isEqualTo(new SchedulerStats(1, 3, 0, 1, 2, 3));
        assertThat(((DwcsScheduler) h.scheduler).lateCount(0)).isEqualTo(1);
    }

    @Test
    void pacedStreamWaitsForEachPeriodWorkConservingOneDoesNot() {
        Harness paced = Harness.dwcs().stream(0, attrs(10, 0, 1));
        Harness eager = Harness.dwcs().stream(0, attrs(10, 0, 1, Flag.WORK_CONSERVING));
        for (int i = 0; i < 3; i++) {
            paced.submit("p" + i, 0, 0);
            eager.submit("p" + i, 0, 0);
        }
        assertThat(paced.runEvery(0, 25, 1)).containsExactly("p0", "-", "-", "-", "-", "-", "-", "-", "-", "-", "p1",
                "-", "-", "-", "-", "-", "-", "-", "-", "-", "p2", "-", "-", "-", "-");
        // deadlines are still 10, 20, 30: served early, each meets its deadline
        assertThat(eager.runEvery(0, 4, 1)).containsExactly("p0", "p1", "p2", "-");
        assertThat(eager.stats(0).serviced()).isEqualTo(3);
    }

    @Test
    void idleStreamStartsItsNextPeriodAtTheArrival() {
        // T=10: p0 at 0 leaves at 0 (next period would start at 10); p1 arrives at 37 to an idle
        // stream: its period is [37,47], so it leaves at once and no deadline was missed.
        Harness h = Harness.dwcs().stream(0, attrs(10, 0, 1));
        h.submit("p0", 0, 0);
        assertThat(h.next(0)).isEqualTo("p0");
        h.submit("p1", 0, 37);
        assertThat(h.next(37)).isEqualTo("p1");
        assertThat(h.stats(0).missed()).isZero();
    }

    @Test
    void perPacketDeadlineOverridesTheStreamDeadline() {
        // T=100, 1/2: p0 at 0 has its own deadline 5 (its period is [0,100]). Asked at 6: p0 is
        // late by its own deadline → x' > 0 → 0/1, dropped.
        Harness h = Harness.dwcs().stream(0, attrs(100, 1, 2));
        h.submitDue("p0", 0, 0, 5);
        assertThat(h.next(6)).isEqualTo("-");
        assertThat(h.drops).containsExactly("p0:LATE");
        assertThat(h.window(0)).isEqualTo("0/1");
    }

    @Test
    void bestEffortOnlyWhenNothingDeadlineConstrainedIsEligible() {
        // stream 0: no period, no deadlines → best effort. stream 1: T=10, r0 and r1 at 0.
        // 0: r0 (eligible). 1: r1's period starts at 10 → best effort e0. 2: e1. 10: r1.
        Harness h = Harness.dwcs().stream(0, SchedulerAttributes.unpaced()).stream(1, attrs(10, 0, 1));
        h.submit("e0", 0, 0);
        h.submit("e1", 0, 0);
        h.submit("r0", 1, 0);
        h.submit("r1", 1, 0);
        assertThat(h.run(0, 1, 2, 3, 10)).containsExactly("r0", "e0", "e1", "-", "r1");
        assertThat(h.stats(0).serviced()).isEqualTo(2);
    }

    @Test
    void bestEffortIsOneFifoAcrossStreamsByPriority() {
        Harness h = Harness.dwcs().stream(0, SchedulerAttributes.unpaced()).stream(1, SchedulerAttributes.unpaced());
        h.submit("a0", 0, 0);
        h.submit("b0", 1, 0);
        h.submit("a1", 0, 0);
        h.submit("b1", 1, 0, PacketFlags.builder().priority(9).build());
        // heads a0 (prio 0) and b0 (prio 0): a0 came first; then a1 vs b1: b1 has priority 9 but
        // waits behind b0 in its stream; b0 (seq 1) before a1 (seq 2); then b1 before... a1? no:
        // after b0 the heads are a1 (prio 0) and b1 (prio 9) → b1
        assertThat(h.run(0, 0, 0, 0, 0)).containsExactly("a0", "b0", "b1", "a1", "-");
    }

    @Test
    void edfWithinAStreamWithoutPeriod() {
        // one socket, per-packet deadlines out of order: each leaves by its deadline
        Harness h = Harness.edf().stream(0, attrs(0, 0, 1));
        h.submitDue("late", 0, 0, 50);
        h.submitDue("soon", 0, 0, 10);
        h.submitDue("middle", 0, 0, 30);
        h.submitDue("middle2", 0, 0, 30);
        assertThat(h.run(1, 2, 3, 4)).containsExactly("soon", "middle", "middle2", "late");
    }

    @Test
    void changeAppliesToQueuedPackets() {
        // T=20, 5 packets at 0: p0 leaves at 0, p1's period is [20,40]. Changing T to 5 at 0
        // starts p1's period one new period after p0's: [5,10]; then 10, 15, 20 (as "fifo").
        Harness h = Harness.dwcs().stream(0, attrs(20, 1, 4));
        for (int i = 0; i < 5; i++) {
            h.submit("p" + i, 0, 0);
        }
        assertThat(h.next(0)).isEqualTo("p0");
        h.scheduler.changeStream(0, attrs(5, 1, 2));
        // a new x/y starts a new window
        assertThat(h.window(0)).isEqualTo("1/2");
        assertThat(h.runEvery(0, 25, 1)).containsSubsequence("p1", "p2", "p3", "p4");
        Harness timing = Harness.dwcs().stream(0, attrs(20, 1, 4));
        for (int i = 0; i < 5; i++) {
            timing.submit("p" + i, 0, 0);
        }
        timing.next(0);
        timing.scheduler.changeStream(0, attrs(5, 1, 4));
        assertThat(timing.window(0)).isEqualTo("1/3");
        assertThat(timing.run(4, 5, 9, 10, 15, 20)).containsExactly("-", "p1", "-", "p2", "p3", "p4");
    }

    @Test
    void changeFromLosslessToLossyDropsWhatIsAlreadyLate() {
        Harness h = Harness.dwcs().stream(0, attrs(10, 1, 2, Flag.LOSSLESS));
        h.submit("p0", 0, 0);
        h.submit("p1", 0, 0);
        h.clock.set(15);
        h.scheduler.changeStream(0, attrs(10, 1, 2));
        // p0 (d=10) is late now and the stream drops late packets; p1 (d=20) leaves
        assertThat(h.next(15)).isEqualTo("p1");
        assertThat(h.drops).containsExactly("p0:LATE");
    }

    @Test
    void gainingAndLosingAPeriodMovesPacketsBetweenBestEffortAndDeadlines() {
        Harness h = Harness.dwcs().stream(0, SchedulerAttributes.unpaced()).stream(1, attrs(10, 0, 1));
        h.submit("e0", 0, 0);
        h.submit("e1", 0, 0);
        h.submit("r0", 1, 0);
        h.scheduler.changeStream(0, attrs(10, 0, 2));
        // e0, e1 are now periodic: e0's period [0,10] (from the change), e1's [10,20];
        // r0 (d=10, 0/1) and e0 (d=10, 0/2): both zero → higher y' → e0
        assertThat(h.run(0, 0, 0, 10)).containsExactly("e0", "r0", "-", "e1");
        h.submit("e2", 0, 10);
        h.scheduler.changeStream(0, SchedulerAttributes.unpaced());
        assertThat(h.next(11)).isEqualTo("e2");
    }

    @Test
    void removeStreamHandsQueuedPacketsBack() {
        Harness h = Harness.dwcs().stream(0, attrs(10, 0, 1)).stream(1, SchedulerAttributes.unpaced());
        h.submit("a", 0, 0);
        h.submit("b", 0, 0);
        h.submit("c", 1, 0);
        h.scheduler.removeStream(0);
        assertThat(h.drops).containsExactly("a:STREAM_REMOVED", "b:STREAM_REMOVED");
        assertThat(h.stats(0)).isEqualTo(SchedulerStats.NONE);
        assertThat(h.scheduler.size()).isEqualTo(1);
        assertThat(h.run(0, 0)).containsExactly("c", "-");
        assertThatThrownBy(() -> h.submit("d", 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown stream 0");
        h.scheduler.addStream(0, attrs(10, 0, 1));
        assertThat(h.stats(0).serviced()).isZero();
    }

    @Test
    void periodOnlyAttributesMeanZeroOverOneLossless() {
        Harness h = Harness.dwcs().stream(0, SchedulerAttributes.paced(Duration.ofNanos(10)));
        assertThat(h.window(0)).isEqualTo("0/1");
        h.submit("p0", 0, 0);
        h.submit("p1", 0, 0);
        // p0's deadline 10 passes: kept (LOSSLESS), a violation; p1's period is now [20,30]
        assertThat(h.next(12)).isEqualTo("p0");
        assertThat(h.drops).isEmpty();
        assertThat(h.stats(0).violations()).isEqualTo(1);
    }

    @Test
    void nonDroppablePacketsAndStreamsAreKeptWhenLate() {
        Harness h = Harness.dwcs().stream(0, attrs(10, 1, 2)).stream(1, attrs(10, 0, 1, Flag.NON_DROPPABLE));
        h.submit("i", 0, 0, PacketFlags.builder().nonDroppable(true).build());
        h.submit("p", 0, 0);
        h.submit("n", 1, 0);
        // at 15 the heads i (d=10) and n (d=10) are late: both kept and moved to d=20; p's period
        // then starts at 20. i and n tie (d=20, both non-droppable): n (0/1 → violation, tagged: zero
        // constraint) before i (0/1 after its miss: also zero; equal y', n has the violation)
        assertThat(h.run(15, 16, 17)).containsExactly("n", "i", "-");
        assertThat(h.drops).isEmpty();
        assertThat(h.stats(0).missed()).isEqualTo(1);
        assertThat(h.stats(1).missed()).isEqualTo(1);
        assertThat(h.next(20)).isEqualTo("p");
    }

    @Test
    void rejectsAttributesItCannotRead() {
        SchedulerAttributes foreign = () -> 5;
        assertThatThrownBy(() -> new DwcsSchedulerProvider().validate(foreign))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DwcsAttributes")
                .hasMessageContaining("SchedulerAttributes.paced");
        assertThatThrownBy(() -> new EdfSchedulerProvider().validate(null))
                .isInstanceOf(IllegalArgumentException.class);
        new DwcsSchedulerProvider().validate(SchedulerAttributes.rate(100));
        Harness h = Harness.dwcs();
        assertThatThrownBy(() -> h.scheduler.addStream(0, foreign)).isInstanceOf(IllegalArgumentException.class);
        h.stream(0, SchedulerAttributes.unpaced());
        assertThatThrownBy(() -> h.stream(0, SchedulerAttributes.unpaced())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> h.stream(-1, SchedulerAttributes.unpaced()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statsAreReadFromAnotherThreadWithoutTornWindows() throws Exception {
        // the engine thread (this one) serves 200 000 packets of a 3/7 stream while a reader
        // polls: counters never go back and x'/y' is always a window a 3/7 stream can be in
        Harness h = Harness.dwcs().stream(0, attrs(10, 3, 7, Flag.WORK_CONSERVING));
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> problem = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            long last = 0;
            while (!done.get()) {
                SchedulerStats s = h.scheduler.stats(0);
                int x = s.currentLossNumerator();
                int y = s.currentLossDenominator();
                if (s.serviced() < last || x < 0 || y < 1 || x > y || y > 7 || x > 3 || y - x > 4) {
                    problem.set(s.toString());
                }
                last = s.serviced();
            }
        });
        reader.start();
        for (int i = 0; i < 200_000; i++) {
            h.submit("p", 0, i * 10L);
            h.next(i * 10L);
        }
        done.set(true);
        reader.join();
        assertThat(problem.get()).isNull();
        assertThat(h.stats(0).serviced()).isEqualTo(200_000);
    }
}
