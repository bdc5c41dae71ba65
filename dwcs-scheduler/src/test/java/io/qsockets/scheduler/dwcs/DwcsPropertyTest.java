package io.qsockets.scheduler.dwcs;

import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.DwcsAttributes.Flag;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Properties of "dwcs" over random stream sets of unit packets on a slotted link
 * ({@link SlotSimulation}), and the two limits of the guarantee, each on a hand-traced example.
 *
 * <p>What DWCS guarantees (West & Poellabauer, RTSS 2000; docs/dwcs.md): with unit packets,
 * equal request periods and {@code Σ (1 − x/y)·C/T ≤ 1}, no stream misses more than {@code x}
 * deadlines in any of its windows: the consecutive, non-overlapping blocks of {@code y} deadlines
 * counted from its first one.
 */
@Timeout(300)
class DwcsPropertyTest {

    /** A random stream set; {@code nonDroppable} of the streams are NON_DROPPABLE (x = 0). */
    private static List<SlotSimulation.Spec> randomSet(SplittableRandom r, int period, double utilisation,
            boolean allowNonDroppable, int maxStreams) {
        List<SlotSimulation.Spec> specs = new ArrayList<>();
        double u = 0;
        for (int attempt = 0; attempt < 1_000 && specs.size() < maxStreams && u < utilisation - 0.02; attempt++) {
            int y = 1 + r.nextInt(12);
            int x = r.nextInt(y + 1);
            boolean nonDroppable = allowNonDroppable && r.nextInt(4) == 0;
            if (nonDroppable) {
                x = 0;
            }
            double share = (1 - (double) x / y) / period;
            if (u + share > utilisation + 1e-12) {
                continue;
            }
            u += share;
            specs.add(nonDroppable ? new SlotSimulation.Spec(period, 0, y, Flag.NON_DROPPABLE)
                    : new SlotSimulation.Spec(period, x, y));
        }
        return specs;
    }

    @Test
    void feasibleEqualPeriodSetsNeverMissMoreThanXInAWindowOfY() {
        SplittableRandom r = new SplittableRandom(2024);
        long packets = 0;
        int sets = 0;
        while (packets < 2_000_000 || sets < 200) {
            int period = 1 + sets % 4;
            List<SlotSimulation.Spec> specs = randomSet(r, period, 1.0, true, 12);
            SlotSimulation sim = new SlotSimulation(new DwcsSchedulerProvider(), specs, new SplittableRandom(sets));
            sim.run(6_000);
            for (int i = 0; i < specs.size(); i++) {
                SlotSimulation.Spec s = specs.get(i);
                assertThat(sim.worstAlignedWindow(i))
                        .as("set %d %s, stream %d", sets, SlotSimulation.describe(specs), i).isLessThanOrEqualTo(s.x());
                assertThat(sim.scheduler().stats(i).violations()).isZero();
                if (s.flags().length > 0) {
                    assertThat(sim.dropped(i) + sim.late(i)).isZero();
                }
            }
            packets += sim.packets();
            sets++;
        }
        assertThat(packets).isGreaterThanOrEqualTo(2_000_000);
    }

    @Test
    void windowsAreConsecutiveBlocksNotSlidingOnes() {
        // a: 2/4 and b: 1/2, both one packet per slot, Σ(1 − x/y) = 1. The trace of
        // DwcsOrderingTest.workedScheduleOfTwoStreamsSharingOneSlotPerPeriod: b meets, misses,
        // misses, meets, … — one miss in each of its windows [0,1], [2,3], … but two in a row
        // across the boundary ([1,2]). DWCS never promised more: its windows do not slide.
        SlotSimulation sim = new SlotSimulation(new DwcsSchedulerProvider(),
                List.of(new SlotSimulation.Spec(1, 2, 4), new SlotSimulation.Spec(1, 1, 2)));
        sim.run(1_000);
        assertThat(sim.worstAlignedWindow(0)).isLessThanOrEqualTo(2);
        assertThat(sim.worstAlignedWindow(1)).isEqualTo(1);
        assertThat(sim.worstSlidingWindow(1)).isEqualTo(2);
        assertThat(List.of(sim.missed(1, 0), sim.missed(1, 1), sim.missed(1, 2), sim.missed(1, 3)))
                .containsExactly(false, true, true, false);
    }

    @Test
    void differentPeriodsCanBreakAWindowBelowFullUtilisation() {
        // Mok & Wang (RTSS 2001): with different periods DWCS can fail at any utilisation.
        // A: T=2 slots, 1/2; B: T=2, 0/1; C: T=1, 1/1 (may lose everything). Σ = 1/4 + 1/2 + 0.
        //   slot 0: heads A(d=2) B(d=2) C(d=1) → C (earliest deadline)
        //   slot 1: A, B, C all d=2: W' A 1/2, B 0/1, C 1/1 → B
        //   slot 2: A0 missed (1/2 → 0/1); heads A(d=4) B(d=4) C(d=3) → C
        //   slot 3: all d=4: A 0/1, B 0/1 (zero, equal y', no violations) → A (first come)
        //   slot 4: B1 missed with x' = 0: a violation. And so on: C, which needs nothing, takes
        //   every other slot because its deadlines come first; B loses every other packet.
        SlotSimulation sim = new SlotSimulation(new DwcsSchedulerProvider(), List.of(
                new SlotSimulation.Spec(2, 1, 2), new SlotSimulation.Spec(2, 0, 1), new SlotSimulation.Spec(1, 1, 1)));
        sim.run(1_000);
        assertThat(sim.worstAlignedWindow(1)).isEqualTo(1);
        assertThat(sim.scheduler().stats(1).violations()).isEqualTo(249);
        assertThat(sim.sent(2)).isEqualTo(500);
    }

    @Test
    void overloadSpreadsLossesByToleranceAndStarvesNoStream() {
        // Σ(1 − x/y) ≈ 1.5 with one packet per slot per stream: a third of the minimum service
        // cannot be given. Asserted with margin over what was measured (docs/dwcs.md): every
        // stream still gets more than a fifth of what it asks (measured ≥ a quarter), misses at
        // most 5·y deadlines in a row (measured ≤ 3.5·y), and a stream that tolerates clearly less
        // loss (by more than 0.15; measured: by more than 0.11) loses less.
        SplittableRandom r = new SplittableRandom(77);
        long packets = 0;
        int sets = 0;
        while (packets < 1_000_000) {
            List<SlotSimulation.Spec> specs = new ArrayList<>();
            double u = 0;
            for (int attempt = 0; attempt < 1_000 && u < 1.45; attempt++) {
                int y = 2 + r.nextInt(11);
                int x = 1 + r.nextInt(y - 1);
                double share = 1 - (double) x / y;
                if (u + share <= 1.5 + 1e-12) {
                    u += share;
                    specs.add(new SlotSimulation.Spec(1, x, y));
                }
            }
            int slots = 20_000;
            SlotSimulation sim = new SlotSimulation(new DwcsSchedulerProvider(), specs, new SplittableRandom(sets));
            sim.run(slots);
            long sent = 0;
            for (int i = 0; i < specs.size(); i++) {
                SlotSimulation.Spec s = specs.get(i);
                String where = "set " + sets + " " + SlotSimulation.describe(specs) + ", stream " + i;
                sent += sim.sent(i);
                assertThat(sim.serviceRatio(i)).as(where).isGreaterThan(0.2);
                assertThat(sim.longestMissRun(i)).as(where).isLessThanOrEqualTo(5 * s.y());
                assertThat(sim.late(i)).isZero();
                for (int j = 0; j < specs.size(); j++) {
                    SlotSimulation.Spec t = specs.get(j);
                    if ((double) t.x() / t.y() - (double) s.x() / s.y() > 0.15) {
                        assertThat((double) sim.misses(i) / sim.decided(i)).as(where + " vs " + j)
                                .isLessThan((double) sim.misses(j) / sim.decided(j));
                    }
                }
            }
            // the link never idles
            assertThat(sent).isEqualTo(slots);
            packets += sim.packets();
            sets++;
        }
    }

    @Test
    void overloadNeverDropsOrDelaysNonDroppableStreams() {
        // T = 4 slots for every stream; two NON_DROPPABLE streams ask for half the link, droppable
        // ones for another whole link (Σ ≈ 1.5). The non-droppable streams lose nothing and are
        // never late (their heads go first among equal deadlines: docs/dwcs.md); the droppable
        // ones share the other half, none starved.
        SplittableRandom r = new SplittableRandom(78);
        long packets = 0;
        int sets = 0;
        while (packets < 1_000_000) {
            List<SlotSimulation.Spec> specs = new ArrayList<>();
            specs.add(new SlotSimulation.Spec(4, 0, 1 + r.nextInt(5), Flag.NON_DROPPABLE));
            specs.add(new SlotSimulation.Spec(4, 0, 1 + r.nextInt(5), Flag.NON_DROPPABLE));
            double u = 0.5;
            for (int attempt = 0; attempt < 1_000 && u < 1.45; attempt++) {
                int y = 2 + r.nextInt(11);
                int x = 1 + r.nextInt(y - 1);
                double share = (1 - (double) x / y) / 4;
                if (u + share <= 1.5 + 1e-12) {
                    u += share;
                    specs.add(new SlotSimulation.Spec(4, x, y));
                }
            }
            SlotSimulation sim = new SlotSimulation(new DwcsSchedulerProvider(), specs, new SplittableRandom(sets));
            sim.run(20_000);
            for (int i = 0; i < specs.size(); i++) {
                String where = "set " + sets + " " + SlotSimulation.describe(specs) + ", stream " + i;
                if (i < 2) {
                    assertThat(sim.dropped(i)).as(where).isZero();
                    assertThat(sim.late(i)).as(where).isZero();
                    assertThat(sim.scheduler().stats(i).violations()).as(where).isZero();
                    assertThat(sim.decided(i)).as(where).isEqualTo(5_000);
                } else {
                    assertThat(sim.serviceRatio(i)).as(where).isGreaterThan(0.2);
                    assertThat(sim.longestMissRun(i)).as(where).isLessThanOrEqualTo(5 * specs.get(i).y());
                }
            }
            packets += sim.packets();
            sets++;
        }
    }
}
