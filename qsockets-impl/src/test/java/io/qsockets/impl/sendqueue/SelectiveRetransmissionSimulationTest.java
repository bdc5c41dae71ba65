package io.qsockets.impl.sendqueue;

import static io.qsockets.impl.sendqueue.RetransmissionSimulation.MS;
import static io.qsockets.impl.sendqueue.SegmentRecord.NO_DEADLINE;
import static io.qsockets.impl.sendqueue.SegmentRecord.NO_GRACE;
import static io.qsockets.impl.sendqueue.SegmentRecord.UNLIMITED_ATTEMPTS;
import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.SegmentState;
import io.qsockets.linkemu.LinkProfile;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scenarios on simulated time: 20 ms one-way delay (40 ms RTT), 1200-byte segments,
 * random loss on both the data and the acknowledgement path. Figures are printed to the test output.
 */
@Timeout(60)
class SelectiveRetransmissionSimulationTest {
    private static final int SIZE = 1200;
    /** 2 Mbit/s of 1200-byte segments: one every 4.8 ms. */
    private static final long APP_INTERVAL = 4_800_000L;

    private static LinkProfile path(double loss, long seed) {
        return LinkProfile.builder().loss(loss).delay(Duration.ofMillis(20)).seed(seed).build();
    }

    private static RetransmissionSimulation sim(double loss, long slot, int capacity) {
        return new RetransmissionSimulation(SendWindowConfig.builder().capacity(capacity).build(),
                path(loss, 11), path(loss, 23), slot, SIZE);
    }

    /** Schedules {@code count} submissions, one every {@code interval}, each made by {@code submit}. */
    private static void generate(RetransmissionSimulation sim, int count, long interval, Runnable submit) {
        for (int i = 0; i < count; i++) {
            sim.at(i * interval, submit);
        }
    }

    private static void assertNeverSentAtOrAfterDeadline(RetransmissionSimulation sim) {
        for (TestSegment s : sim.segments) {
            for (long t : s.transmitTimes) {
                assertThat(t).as("transmission of segment %d", s.id).isLessThan(s.deadlineNanos());
            }
        }
    }

    private static double extraBytes(RetransmissionSimulation sim) {
        long distinct = sim.segments.stream().filter(s -> s.attempts() > 0).count();
        return (double) (sim.transmissions - distinct) / distinct;
    }

    @Test
    void deadlineBasedDeliversOnTimeWithFewExtraBytes() {
        RetransmissionSimulation sim = sim(0.05, 4 * MS, 1024); // sender slots 20 % above the offered load
        int n = 25_000; // 120 s
        generate(sim, n, APP_INTERVAL,
                () -> sim.submit(sim.now + 150 * MS, NO_GRACE, 0, UNLIMITED_ATTEMPTS, false));
        sim.runUntil(n * APP_INTERVAL + 1_000 * MS);

        int onTime = 0;
        for (TestSegment s : sim.segments) {
            long arrival = sim.firstArrival.get((int) s.id);
            if (arrival >= 0 && arrival <= s.deadlineNanos()) {
                onTime++;
            }
            assertThat(s.state().isTerminal()).isTrue();
        }
        double onTimeRatio = (double) onTime / n;
        double loss = sim.dataLossRate();
        double extra = extraBytes(sim);
        System.out.printf("deadline: on time %.4f%%, data loss %.3f%%, extra bytes %.3f%%, acked %d, expired %d,"
                + " retransmissions %d, acked after 1/2/3 attempts %d/%d/%d%n", 100 * onTimeRatio, 100 * loss,
                100 * extra, sim.window.acked(), sim.window.expiredByDeadline(), sim.window.retransmissions(),
                sim.window.ackedAfterAttempts(1), sim.window.ackedAfterAttempts(2), sim.window.ackedAfterAttempts(3));
        assertThat(loss).isBetween(0.04, 0.06);
        assertThat(onTimeRatio).isGreaterThanOrEqualTo(0.999);
        assertThat(extra).isLessThanOrEqualTo(loss + 0.01);
        assertNeverSentAtOrAfterDeadline(sim);
        assertThat(sim.dedup.staleRevisions()).isZero(); // no updates here
        assertThat(sim.deliveries).allMatch(d -> d <= 1);
    }

    @Test
    void cancelledSegmentsAreNeverSentAgainAndUpdatesReachTheReceiver() {
        RetransmissionSimulation sim = sim(0.05, 4 * MS, 1024);
        SplittableRandom random = new SplittableRandom(5);
        int n = 4_000;
        int[] attemptsAtCancel = new int[n];
        boolean[] cancelledByApp = new boolean[n];
        generate(sim, n, APP_INTERVAL, () -> {
            TestSegment s = sim.submit(sim.now + 150 * MS, NO_GRACE, 0, UNLIMITED_ATTEMPTS, false);
            int i = (int) s.id;
            if (i % 10 == 3) {
                sim.at(sim.now + random.nextLong(80 * MS), () -> {
                    attemptsAtCancel[i] = s.attempts();
                    cancelledByApp[i] = s.cancel(sim.now);
                });
            } else if (i % 10 == 6) { // updated twice, before any acknowledgement can come back
                sim.at(sim.now + 2 * MS, () -> s.update(sim.content(1)));
                sim.at(sim.now + 30 * MS, () -> s.update(sim.content(2)));
            }
        });
        sim.runUntil(n * APP_INTERVAL + 1_000 * MS);

        int cancelled = 0;
        int updatedAcked = 0;
        int updated = 0;
        for (TestSegment s : sim.segments) {
            int i = (int) s.id;
            if (cancelledByApp[i]) {
                cancelled++;
                assertThat(s.attempts()).as("transmissions of %d after cancel", i).isEqualTo(attemptsAtCancel[i]);
                assertThat(s.state()).isEqualTo(SegmentState.CANCELLED);
            }
            if (i % 10 == 6) {
                updated++;
                if (s.state() == SegmentState.ACKED) {
                    updatedAcked++;
                    assertThat(sim.deliveredVersion.get(i)).as("content at the receiver of %d", i).isEqualTo(2);
                }
            }
        }
        System.out.printf("cancel/update: %d cancelled, %d of %d updated segments acked with the latest content,"
                + " %d older-revision acks, %d updates delivered, %d stale revisions dropped%n", cancelled,
                updatedAcked, updated, sim.window.olderRevisionAcks(), sim.dedup.updates(), sim.dedup.staleRevisions());
        assertThat(cancelled).isGreaterThan(150); // about half are cancelled before their acknowledgement
        assertThat(updatedAcked).isGreaterThanOrEqualTo((int) (0.99 * updated));
        assertThat(sim.dedup.updates()).isPositive();
        assertNeverSentAtOrAfterDeadline(sim);
        // plain receive() sees each revision once: at most one delivery per revision
        for (TestSegment s : sim.segments) {
            assertThat(sim.deliveries.get((int) s.id)).isLessThanOrEqualTo(s.revision() + 1);
        }
    }

    @Test
    void priorityBasedAtHalfTheOfferedLoadServesHighPriorityAndSacrificesLowPriority() {
        // the sender has slots for 2 Mbit/s; the application offers 4 Mbit/s, 30 % of it high priority
        RetransmissionSimulation sim = sim(0.05, APP_INTERVAL, 1024);
        SplittableRandom random = new SplittableRandom(3);
        int n = 25_000; // 60 s
        long grace = 200 * MS;
        boolean[] high = new boolean[n];
        generate(sim, n, APP_INTERVAL / 2, () -> {
            boolean h = random.nextDouble() < 0.3;
            TestSegment s = sim.submit(NO_DEADLINE, grace, h ? 9 : 1, UNLIMITED_ATTEMPTS, false);
            high[(int) s.id] = h;
        });
        sim.runUntil(n * APP_INTERVAL / 2 + 1_000 * MS);

        int highCount = 0;
        int highInGrace = 0;
        int lowCount = 0;
        int lowDelivered = 0;
        int highExpired = 0;
        for (TestSegment s : sim.segments) {
            long arrival = sim.firstArrival.get((int) s.id);
            if (high[(int) s.id]) {
                highCount++;
                if (arrival >= 0 && arrival <= s.submitted + grace) {
                    highInGrace++;
                }
                if (s.state() == SegmentState.EXPIRED) {
                    highExpired++;
                }
            } else {
                lowCount++;
                if (arrival >= 0) {
                    lowDelivered++;
                }
            }
            for (long t : s.transmitTimes) {
                assertThat(t).isLessThan(s.submitted + grace);
            }
        }
        double highRatio = (double) highInGrace / highCount;
        double lowRatio = (double) lowDelivered / lowCount;
        double utilisation = (double) sim.busySlots / sim.slots;
        System.out.printf("priority: high within grace %.3f%% (%d of %d, %d expired), low delivered %.2f%% (%d of %d),"
                + " expired by grace %d, slots used %.2f%%, window at most %d%n", 100 * highRatio, highInGrace,
                highCount, highExpired, 100 * lowRatio, lowDelivered, lowCount, sim.window.expiredByGrace(),
                100 * utilisation, sim.maxWindowSize);
        assertThat(highRatio).isGreaterThanOrEqualTo(0.99);
        assertThat(lowRatio).isLessThan(0.5);
        assertThat(sim.window.expiredByGrace()).isGreaterThan(n / 4);
        assertThat(utilisation).isGreaterThan(0.95);
    }

    @Test
    void reliableSegmentsUnderTenPercentLossAreAllDeliveredNoneTwice() {
        RetransmissionSimulation sim = sim(0.10, 4 * MS, 1024);
        int n = 5_000;
        generate(sim, n, APP_INTERVAL, () -> sim.submit(sim.now + 150 * MS, NO_GRACE, 0, UNLIMITED_ATTEMPTS, true));
        sim.runUntil(n * APP_INTERVAL + 5_000 * MS);

        for (TestSegment s : sim.segments) {
            assertThat(s.state()).as("segment %d", s.id).isEqualTo(SegmentState.ACKED);
            assertThat(sim.deliveries.get((int) s.id)).as("deliveries of %d", s.id).isEqualTo(1);
        }
        System.out.printf("reliable: %d of %d delivered once, data loss %.2f%%, extra bytes %.2f%%, duplicates"
                + " dropped %d, retransmitted past the deadline: %d segments%n", sim.dedup.delivered(), n,
                100 * sim.dataLossRate(), 100 * extraBytes(sim), sim.dedup.duplicates(),
                sim.segments.stream().filter(s -> s.transmitTimes.get(s.attempts() - 1) >= s.deadlineNanos()).count());
        assertThat(sim.dedup.delivered()).isEqualTo(n);
        assertThat(sim.window.size()).isZero();
    }

    @Test
    void tenfoldOverloadStaysBoundedAndNeverSendsLate() {
        RetransmissionSimulation sim = sim(0.05, APP_INTERVAL, 256);
        int n = 50_000; // 10 x 2 Mbit/s for 24 s
        generate(sim, n, APP_INTERVAL / 10,
                () -> sim.submit(sim.now + 150 * MS, NO_GRACE, 0, UNLIMITED_ATTEMPTS, false));
        sim.runUntil(n * APP_INTERVAL / 10 + 1_000 * MS);

        long onTime = 0;
        long firstSent = 0;
        for (TestSegment s : sim.segments) {
            assertThat(s.state().isTerminal()).as("segment %d settled", s.id).isTrue();
            long arrival = sim.firstArrival.get((int) s.id);
            if (s.attempts() > 0) {
                firstSent++;
                if (arrival >= 0 && arrival <= s.deadlineNanos()) {
                    onTime++;
                }
            }
        }
        double utilisation = (double) sim.busySlots / sim.slots;
        System.out.printf("overload x10: window at most %d of 256, refused %d, expired %d, transmitted %d segments,"
                + " %.2f%% of them on time, slots used %.2f%%%n", sim.maxWindowSize, sim.refused,
                sim.window.expiredByDeadline(), firstSent, 100.0 * onTime / firstSent, 100 * utilisation);
        assertThat(sim.maxWindowSize).isLessThanOrEqualTo(256);
        assertThat(sim.window.size()).isZero();
        assertThat(utilisation).isGreaterThan(0.95);
        assertThat((double) onTime / firstSent).isGreaterThan(0.9);
        assertNeverSentAtOrAfterDeadline(sim);
    }
}
