package io.qsockets.scheduler.dwcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The window adjustments of DESIGN §6, one rule at a time, on a bare {@link WindowConstraint}. */
@Timeout(10)
class WindowConstraintTest {

    private static String w(WindowConstraint c) {
        return c.currentX() + "/" + c.currentY() + (c.tagged() ? " tagged" : "");
    }

    @Test
    void serviceTakesOneDeadlineOffTheWindowAndResetsAtZeroOverZero() {
        // 2/4: met → y' > x' → 2/3; met → 2/2; met → y' == x' > 0 → 1/1; met → 0/0 → reset 2/4
        WindowConstraint c = new WindowConstraint(2, 4);
        c.serviced();
        assertThat(w(c)).isEqualTo("2/3");
        c.serviced();
        assertThat(w(c)).isEqualTo("2/2");
        c.serviced();
        assertThat(w(c)).isEqualTo("1/1");
        c.serviced();
        assertThat(w(c)).isEqualTo("2/4");
    }

    @Test
    void zeroToleranceWindowCountsDownAndResets() {
        // 0/3: met → 0/2 → 0/1 → 0/0 → reset 0/3
        WindowConstraint c = new WindowConstraint(0, 3);
        c.serviced();
        c.serviced();
        assertThat(w(c)).isEqualTo("0/1");
        c.serviced();
        assertThat(w(c)).isEqualTo("0/3");
    }

    @Test
    void missWithinToleranceTakesOneFromBoth() {
        // 1/3: miss → x' > 0 → 0/2 (no violation); met → 0/1; met → 0/0 → reset 1/3
        WindowConstraint c = new WindowConstraint(1, 3);
        assertThat(c.missed()).isFalse();
        assertThat(w(c)).isEqualTo("0/2");
        c.serviced();
        c.serviced();
        assertThat(w(c)).isEqualTo("1/3");
    }

    @Test
    void missThatEndsTheWindowResets() {
        // 1/2: met → 1/1; miss → 0/0 → reset 1/2
        WindowConstraint c = new WindowConstraint(1, 2);
        c.serviced();
        assertThat(c.missed()).isFalse();
        assertThat(w(c)).isEqualTo("1/2");
    }

    @Test
    void missWithNoToleranceLeftIsAViolationThatTagsUntilTheNextService() {
        // 1/3: miss → 0/2; miss → x' == 0 → violation: tagged, 0/2 stays;
        // miss → a second violation; met → y' > x' → 0/1, then tagged → reset 1/3, untagged
        WindowConstraint c = new WindowConstraint(1, 3);
        c.missed();
        assertThat(c.missed()).isTrue();
        assertThat(w(c)).isEqualTo("0/2 tagged");
        assertThat(c.boost()).isEqualTo(1);
        assertThat(c.missed()).isTrue();
        assertThat(c.boost()).isEqualTo(2);
        c.serviced();
        assertThat(w(c)).isEqualTo("1/3");
        assertThat(c.boost()).isZero();
    }

    @Test
    void fullyTolerantWindowNeverViolates() {
        // 2/2: miss → 1/1; miss → 0/0 → reset 2/2; forever
        WindowConstraint c = new WindowConstraint(2, 2);
        for (int i = 0; i < 5; i++) {
            assertThat(c.missed()).isFalse();
        }
        assertThat(w(c)).isEqualTo("1/1");
    }

    @Test
    void manyMissesAtOnceEqualThatManySingleMisses() {
        SplittableRandom r = new SplittableRandom(1);
        for (int trial = 0; trial < 20_000; trial++) {
            int y = 1 + r.nextInt(8);
            int x = r.nextInt(y + 1);
            WindowConstraint bulk = new WindowConstraint(x, y);
            WindowConstraint single = new WindowConstraint(x, y);
            // bring both to the same random state
            for (int k = r.nextInt(10); k > 0; k--) {
                if (r.nextBoolean()) {
                    bulk.serviced();
                    single.serviced();
                } else {
                    bulk.missed();
                    single.missed();
                }
            }
            int n = r.nextInt(30);
            long violations = 0;
            for (int k = 0; k < n; k++) {
                violations += single.missed() ? 1 : 0;
            }
            assertThat(bulk.missed(n)).as("%d misses from %s", n, w(bulk)).isEqualTo(violations);
            assertThat(w(bulk)).isEqualTo(w(single));
            assertThat(bulk.boost()).isEqualTo(single.boost());
        }
    }

    @Test
    void rejectsImpossibleWindows() {
        assertThatThrownBy(() -> new WindowConstraint(3, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3/2");
        assertThatThrownBy(() -> new WindowConstraint(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
