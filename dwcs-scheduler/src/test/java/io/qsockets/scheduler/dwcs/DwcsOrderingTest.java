package io.qsockets.scheduler.dwcs;

import static io.qsockets.scheduler.dwcs.Harness.attrs;
import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.DwcsAttributes.Flag;
import io.qsockets.PacketFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The DWCS order of two backlogged heads (DESIGN §6), one rule at a time. Each test builds two
 * streams whose heads differ only in what the rule looks at, submits the one the rule puts
 * second first (so that first-come-first-served would pick it), and dequeues both.
 *
 * <p>Time is in ticks (ns); every stream has period 10, so a packet submitted at 0 has deadline
 * 10 and may leave from 0 (paced streams wait for the start of their period).
 */
@Timeout(10)
class DwcsOrderingTest {

    @Test
    void rule1EarlierDeadlineFirst() {
        // a: T=20 → d=20; b: T=10 → d=10. b first although a came first and has the lower x'/y'.
        Harness h = Harness.dwcs().stream(0, attrs(20, 0, 1)).stream(1, attrs(10, 1, 2));
        h.submit("a", 0, 0);
        h.submit("b", 1, 0);
        assertThat(h.run(1, 2)).containsExactly("b", "a");
    }

    @Test
    void rule1PerPacketDeadlineCounts() {
        // a: stream deadline 10; b: its own deadline 5 in an unpaced stream → b first
        Harness h = Harness.dwcs().stream(0, attrs(10, 0, 1)).stream(1, attrs(0, 0, 1));
        h.submit("a", 0, 0);
        h.submitDue("b", 1, 0, 5);
        assertThat(h.run(1, 2)).containsExactly("b", "a");
    }

    @Test
    void rule2EqualDeadlinesLowerWindowConstraintFirst() {
        // d=10 both; a: x'/y' = 1/2 = 0.5; b: 1/4 = 0.25 → b first (1*2 < 1*4 cross-multiplied)
        Harness h = Harness.dwcs().stream(0, attrs(10, 1, 2)).stream(1, attrs(10, 1, 4));
        h.submit("a", 0, 0);
        h.submit("b", 1, 0);
        assertThat(h.run(1, 2)).containsExactly("b", "a");
    }

    @Test
    void rule3BothZeroHigherDenominatorFirst() {
        // d=10 both; a: 0/2, b: 0/5: both zero → higher y' first → b
        Harness h = Harness.dwcs().stream(0, attrs(10, 0, 2)).stream(1, attrs(10, 0, 5));
        h.submit("a", 0, 0);
        h.submit("b", 1, 0);
        assertThat(h.run(1, 2)).containsExactly("b", "a");
    }

    @Test
    void rule3ViolationRaisesPrecedenceAmongEqualZeroConstraints() {
        // a and b: 0/2, T=10, LOSSY. b's first packet b0 (d=10) is left to miss: at 11 it is
        // dropped, and as x' = 0 that is a violation: b is tagged, x'/y' stays 0/2.
        // Then a1 and b1 (both d=30, submitted at 20, a1 first): both 0/2, equal y' → the tagged
        // stream (the paper's y' + ε) first → b1.
        Harness h = Harness.dwcs().stream(0, attrs(10, 0, 2)).stream(1, attrs(10, 0, 2));
        h.submit("b0", 1, 0);
        assertThat(h.next(11)).isEqualTo("-");
        assertThat(h.drops).containsExactly("b0:LATE");
        assertThat(h.stats(1).violations()).isEqualTo(1);
        assertThat(h.window(1)).isEqualTo("0/2");
        h.submit("a1", 0, 20);
        h.submit("b1", 1, 20);
        assertThat(h.run(21, 22)).containsExactly("b1", "a1");
        // b1 met its deadline and b was tagged → b resets to 0/2, untagged; a: 0/2 → 0/1
        assertThat(h.window(1)).isEqualTo("0/2");
        assertThat(h.window(0)).isEqualTo("0/1");
    }

    @Test
    void rule4EqualNonZeroLowerNumeratorFirst() {
        // d=10 both; a: 2/4, b: 1/2: equal 0.5 → lower x' first → b
        Harness h = Harness.dwcs().stream(0, attrs(10, 2, 4)).stream(1, attrs(10, 1, 2));
        h.submit("a", 0, 0);
        h.submit("b", 1, 0);
        assertThat(h.run(1, 2)).containsExactly("b", "a");
    }

    @Test
    void rule5OtherwiseFirstComeFirstServed() {
        Harness h = Harness.dwcs().stream(0, attrs(10, 1, 2)).stream(1, attrs(10, 1, 2));
        h.submit("b", 1, 0);
        h.submit("a", 0, 0);
        assertThat(h.run(1, 2)).containsExactly("b", "a");
    }

    @Test
    void higherPacketPriorityBeforeFirstComeFirstServed() {
        Harness h = Harness.dwcs().stream(0, attrs(10, 1, 2)).stream(1, attrs(10, 1, 2));
        h.submit("a", 0, 0);
        h.submit("b", 1, 0, PacketFlags.builder().priority(7).build());
        assertThat(h.run(1, 2)).containsExactly("b", "a");
    }

    @Test
    void nonDroppableHeadFirstAmongEqualDeadlines() {
        // deviation (docs/dwcs.md): d=10 both; a: 0/3 droppable, b: 0/1 NON_DROPPABLE. Rule 3
        // alone would pick a (higher y'); a non-droppable head goes first, because its packet will
        // use the link sooner or later anyway.
        Harness h = Harness.dwcs().stream(0, attrs(10, 0, 3)).stream(1, attrs(10, 0, 1, Flag.NON_DROPPABLE));
        h.submit("a", 0, 0);
        h.submit("b", 1, 0);
        assertThat(h.run(1, 2)).containsExactly("b", "a");
        // the same for a non-droppable packet in a droppable stream
        Harness p = Harness.dwcs().stream(0, attrs(10, 0, 3)).stream(1, attrs(10, 0, 1));
        p.submit("a", 0, 0);
        p.submit("b", 1, 0, PacketFlags.builder().nonDroppable(true).build());
        assertThat(p.run(1, 2)).containsExactly("b", "a");
    }

    @Test
    void edfIgnoresWindowConstraints() {
        // "edf": d=10 both; a: 1/2, b: 0/5 (DWCS would pick b) → first come, first served → a
        Harness h = Harness.edf().stream(0, attrs(10, 1, 2)).stream(1, attrs(10, 0, 5));
        h.submit("a", 0, 0);
        h.submit("b", 1, 0);
        assertThat(h.run(1, 2)).containsExactly("a", "b");
        Harness e = Harness.edf().stream(0, attrs(20, 0, 1)).stream(1, attrs(10, 1, 1));
        e.submit("a", 0, 0);
        e.submit("b", 1, 0);
        assertThat(e.run(1, 2)).containsExactly("b", "a");
    }

    @Test
    void workedScheduleOfTwoStreamsSharingOneSlotPerPeriod() {
        // a: 2/4, b: 1/2, both T=10, one packet each per period, one packet leaves per period
        // (dequeue at t+1 of each period [t, t+10]). Hand trace (x'/y' before the decision):
        //   t=0   a 2/4 (.5)  b 1/2 (.5)  equal, lower x' → b.  b met → 1/1.  a missed → 1/3
        //   t=10  a 1/3 (.33) b 1/1 (1)   → a.  a met → 1/2.  b missed → 0/0 → reset 1/2
        //   t=20  a 1/2 (.5)  b 1/2 (.5)  equal x', a came first → a.  a met → 1/1.  b missed → 0/1
        //   t=30  a 1/1 (1)   b 0/1 (0)   → b.  b met → 0/0 → reset 1/2.  a missed → 0/0 → reset 2/4
        //   t=40  as at t=0.
        // Each stream meets at least y - x of every y consecutive deadlines counted from the
        // start: a misses 2 of its first 4 (t=0, t=30), b 1 of each pair ([0,10], [20,30]) —
        // though b misses t=10 and t=20 back to back (see docs/dwcs.md: DWCS windows do not slide).
        Harness h = Harness.dwcs().stream(0, attrs(10, 2, 4)).stream(1, attrs(10, 1, 2));
        StringBuilder trace = new StringBuilder();
        for (int period = 0; period < 8; period++) {
            long t = period * 10L;
            h.submit("a" + period, 0, t);
            h.submit("b" + period, 1, t);
            trace.append(h.next(t + 1)).append(' ');
        }
        assertThat(trace.toString().trim()).isEqualTo("b0 a1 a2 b3 b4 a5 a6 b7");
        assertThat(h.drops).containsExactly("a0:LATE", "b1:LATE", "b2:LATE", "a3:LATE", "a4:LATE", "b5:LATE",
                "b6:LATE");
        assertThat(h.stats(0).violations()).isZero();
        assertThat(h.stats(1).violations()).isZero();
    }
}
