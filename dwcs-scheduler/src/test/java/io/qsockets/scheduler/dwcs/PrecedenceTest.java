package io.qsockets.scheduler.dwcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Comparator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The tie words of {@link Precedence} order heads exactly as the rules say, checked against a
 * direct implementation of the rules (cross-multiplied fractions) on random heads, with windows up
 * to the largest accepted, 2^26.
 */
@Timeout(30)
class PrecedenceTest {

    /** DESIGN §6 rules 2–5 (plus non-droppable first), written out. */
    private static final Comparator<DeadlineQueue> RULES = (a, b) -> {
        if (a.nonDroppable != b.nonDroppable) {
            return a.nonDroppable ? -1 : 1;
        }
        int c = Long.compare((long) a.xc * b.yc, (long) b.xc * a.yc);
        if (c != 0) {
            return c;
        }
        if (a.xc == 0) {
            c = Long.compare(b.yc + b.boost, a.yc + a.boost);
        } else {
            c = Integer.compare(a.xc, b.xc);
        }
        if (c != 0) {
            return c;
        }
        c = Integer.compare(b.priority, a.priority);
        return c != 0 ? c : Long.compare(a.sequence, b.sequence);
    };

    private static int byWords(DeadlineQueue a, DeadlineQueue b) {
        for (int w = 0; w < 3; w++) {
            int c = Long.compare(a.heapTie(w), b.heapTie(w));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static DeadlineQueue head(SplittableRandom r, int maxY) {
        DeadlineQueue q = new DeadlineQueue(null);
        // small windows often, so that equal fractions (1/2, 2/4) and equal states are common
        int y = r.nextBoolean() ? 1 + r.nextInt(8) : 1 + r.nextInt(maxY);
        q.yc = y;
        q.xc = r.nextInt(4) == 0 ? 0 : r.nextInt(y + 1);
        q.boost = q.xc == 0 && r.nextInt(3) == 0 ? r.nextInt(5) : 0;
        q.nonDroppable = r.nextInt(5) == 0;
        q.priority = r.nextInt(4) == 0 ? r.nextInt(256) : 0;
        q.sequence = r.nextInt(1_000);
        Precedence.DWCS.tie(q);
        return q;
    }

    @Test
    void tieWordsFollowTheRules() {
        SplittableRandom r = new SplittableRandom(4);
        for (int trial = 0; trial < 1_000_000; trial++) {
            DeadlineQueue a = head(r, Precedence.MAX_EXACT_DENOMINATOR);
            DeadlineQueue b = head(r, Precedence.MAX_EXACT_DENOMINATOR);
            assertThat(Integer.signum(byWords(a, b))).as("%s/%s vs %s/%s", a.xc, a.yc, b.xc, b.yc)
                    .isEqualTo(Integer.signum(RULES.compare(a, b)));
        }
    }

    @Test
    void closestFractionsAtTheLimitStayApart() {
        // the two fractions with denominators ≤ 2^26 nearest to each other near 1
        int n = Precedence.MAX_EXACT_DENOMINATOR;
        DeadlineQueue a = new DeadlineQueue(null);
        DeadlineQueue b = new DeadlineQueue(null);
        a.xc = n - 2;
        a.yc = n - 1;
        b.xc = n - 1;
        b.yc = n;
        Precedence.DWCS.tie(a);
        Precedence.DWCS.tie(b);
        assertThat(byWords(a, b)).isNegative();
    }

    @Test
    void edfOrdersByPriorityThenArrival() {
        DeadlineQueue a = new DeadlineQueue(null);
        DeadlineQueue b = new DeadlineQueue(null);
        a.sequence = 5;
        b.sequence = 9;
        b.priority = 1;
        Precedence.EDF.tie(a);
        Precedence.EDF.tie(b);
        assertThat(Long.compare(b.heapTie(0), a.heapTie(0))).isNegative();
    }

    @Test
    void windowsAboveTheLimitAreRejected() {
        assertThatThrownBy(() -> new DwcsSchedulerProvider().validate(Harness.attrs(10, 1, (1 << 26) + 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("67108865")
                .hasMessageContaining("67108864");
        new DwcsSchedulerProvider().validate(Harness.attrs(10, 1, 1 << 26));
    }
}
