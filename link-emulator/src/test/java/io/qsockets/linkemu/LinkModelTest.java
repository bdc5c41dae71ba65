package io.qsockets.linkemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LinkModelTest {
    private static final long MS = 1_000_000;
    private static final long US = 1_000;

    private static LinkProfile.Builder profile() {
        return LinkProfile.builder().seed(42);
    }

    /** Asserts that {@code count} successes of {@code n} trials fit probability p within 5 sigma. */
    private static void assertBinomial(long count, long n, double p) {
        double mean = n * p;
        double sigma = Math.sqrt(n * p * (1 - p));
        assertThat((double) count).as("count of %d trials at p=%s", n, p).isBetween(mean - 5 * sigma, mean + 5 * sigma);
    }

    @Test
    void deliversExactlyAfterTheDelay() {
        LinkModel model = new LinkModel(profile().delay(Duration.ofMillis(25)).build());
        assertThat(model.nextDeliveryNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(model.offer(new byte[100], 100, 1_000)).isEqualTo(Verdict.FORWARDED);
        long due = 1_000 + 25 * MS;
        assertThat(model.nextDeliveryNanos()).isEqualTo(due);
        List<Long> times = new ArrayList<>();
        assertThat(model.poll(due - 1, (p, f, t) -> times.add(t))).isZero();
        assertThat(model.inFlight()).isEqualTo(1);
        assertThat(model.poll(due, (p, f, t) -> times.add(t))).isEqualTo(1);
        assertThat(times).containsExactly(due);
        assertThat(model.inFlight()).isZero();
        assertThat(model.counters()).isEqualTo(new LinkCounters(1, 100, 1, 100, 0, 0, 0, 0));
    }

    @Test
    void deliversTheOfferedBytesAndFlow() {
        LinkModel model = new LinkModel(profile().delay(Duration.ofMillis(1)).build());
        ByteBuffer source = ByteBuffer.wrap(new byte[] {9, 1, 2, 3, 9}, 1, 3);
        Object flow = new Object();
        model.offer(source, flow, 0);
        assertThat(source.position()).isEqualTo(1);
        source.put(1, (byte) 7); // the model holds a copy
        List<byte[]> got = new ArrayList<>();
        model.poll(MS, (p, f, t) -> {
            assertThat(f).isSameAs(flow);
            byte[] b = new byte[p.remaining()];
            p.get(b);
            got.add(b);
        });
        assertThat(got).containsExactly(new byte[] {1, 2, 3});
    }

    @Test
    void lossRateFitsTheProbability() {
        int n = 100_000;
        Sim sim = new Sim(profile().loss(0.1).build());
        int lostByVerdict = 0;
        for (int i = 0; i < n; i++) {
            if (sim.offer(i, 64, i * US) == Verdict.DROPPED_BY_LOSS) {
                lostByVerdict++;
            }
        }
        sim.drain();
        LinkCounters c = sim.model.counters();
        assertBinomial(c.droppedByLoss(), n, 0.1);
        assertThat(c.droppedByLoss()).isEqualTo(lostByVerdict);
        assertThat(c.delivered()).isEqualTo(n - c.droppedByLoss()).isEqualTo(sim.deliveries.size());
        assertThat(c.offeredBytes()).isEqualTo(64L * n);
        assertThat(c.deliveredBytes()).isEqualTo(64L * c.delivered());
    }

    @Test
    void gilbertElliottLossComesInBursts() {
        int n = 200_000;
        // bad 1/11 of the time, bad periods of 10 packets on average, everything lost when bad
        Sim bursty = new Sim(profile().burstLoss(0.01, 0.1, 1.0).build()).offerEvery(n, 64, US).drain();
        Sim independent = new Sim(profile().loss(1 / 11.0).build()).offerEvery(n, 64, US).drain();

        double burstyRate = bursty.model.counters().droppedByLoss() / (double) n;
        double independentRate = independent.model.counters().droppedByLoss() / (double) n;
        assertThat(burstyRate).isBetween(0.08, 0.102);
        assertThat(independentRate).isBetween(0.085, 0.097);
        assertThat(meanLossRun(bursty, n)).isBetween(8.5, 11.5);
        assertThat(meanLossRun(independent, n)).isLessThan(1.2);
    }

    private static double meanLossRun(Sim sim, int n) {
        Set<Long> delivered = new HashSet<>(sim.indices());
        int runs = 0;
        int lost = 0;
        boolean inRun = false;
        for (long i = 0; i < n; i++) {
            boolean isLost = !delivered.contains(i);
            if (isLost) {
                lost++;
                if (!inRun) {
                    runs++;
                }
            }
            inRun = isLost;
        }
        return lost / (double) runs;
    }

    /**
     * @return the delay of each of {@code n} packets offered 10 ms apart, so far apart that no
     *     packet can catch up with its predecessor
     */
    private static long[] sparseDelays(int n, long delay, long bound, JitterDistribution distribution) {
        Sim sim = new Sim(profile().delay(Duration.ofNanos(delay)).jitter(Duration.ofNanos(bound), distribution)
                .build()).offerEvery(n, 64, 10 * MS).drain();
        return sim.deliveries.stream().mapToLong(d -> d.deliveryNanos() - d.index() * 10 * MS).toArray();
    }

    @Test
    void uniformJitterStaysWithinItsBoundAndCoversIt() {
        int n = 20_000;
        long delay = 10 * MS;
        long bound = 2 * MS;
        long[] delays = sparseDelays(n, delay, bound, JitterDistribution.UNIFORM);
        assertThat(delays).hasSize(n);
        assertThat(min(delays)).isBetween(delay - bound, delay - bound + 20 * US);
        assertThat(max(delays)).isBetween(delay + bound - 20 * US, delay + bound);
        assertThat(mean(delays)).isBetween(delay - 0.05 * MS, delay + 0.05 * MS);
    }

    @Test
    void normalJitterIsTruncatedWithSigmaAThirdOfTheBound() {
        int n = 20_000;
        long delay = 10 * MS;
        long bound = 3 * MS;
        long[] delays = sparseDelays(n, delay, bound, JitterDistribution.NORMAL);
        assertThat(min(delays)).isGreaterThanOrEqualTo(delay - bound);
        assertThat(max(delays)).isLessThanOrEqualTo(delay + bound);
        double m = mean(delays);
        double variance = 0;
        for (long d : delays) {
            variance += (d - m) * (d - m);
        }
        double sigma = Math.sqrt(variance / n);
        assertThat(m).isBetween(delay - 0.05 * MS, delay + 0.05 * MS);
        assertThat(sigma).isBetween(0.95 * MS, 1.05 * MS); // a little under bound/3: the tails are cut
        long beyondTwoSigma = Arrays.stream(delays).filter(d -> Math.abs(d - delay) > 2 * MS).count();
        assertBinomial(beyondTwoSigma, n, 0.0428); // P(|Z| > 2) truncated at 3: (0.0455 - 0.0027) / 0.9973
    }

    @Test
    void jitterAloneNeverReorders() {
        int n = 10_000;
        long delay = 10 * MS;
        long bound = 2 * MS;
        Sim sim = new Sim(profile().delay(Duration.ofNanos(delay)).jitter(Duration.ofNanos(bound)).build())
                .offerEvery(n, 64, 100 * US).drain();
        assertThat(sim.indices()).isSorted().hasSize(n);
        long previous = Long.MIN_VALUE;
        boolean someHeldBack = false;
        for (Sim.Delivery d : sim.deliveries) {
            long offered = d.index() * 100 * US;
            assertThat(d.deliveryNanos()).isGreaterThanOrEqualTo(previous)
                    .isBetween(offered + delay - bound, offered + delay + bound);
            someHeldBack |= d.deliveryNanos() == previous;
            previous = d.deliveryNanos();
        }
        assertThat(someHeldBack).as("some packet waited for its predecessor").isTrue();
        assertThat(sim.model.counters().reordered()).isZero();
    }

    @Test
    void rateLimitSpacesDeparturesByTheSerializationTime() {
        // 1000 bytes at 8 Mbit/s: exactly 1 ms each
        Sim sim = new Sim(profile().delay(Duration.ofMillis(10)).rateBitsPerSecond(8_000_000).build());
        for (int i = 0; i < 10; i++) {
            sim.offer(i, 1000, 0);
        }
        sim.offer(10, 1000, 100 * MS); // the link is idle again: no waiting
        sim.drain();
        List<Long> times = sim.deliveries.stream().map(Sim.Delivery::deliveryNanos).toList();
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add((i + 1) * MS + 10 * MS);
        }
        expected.add(100 * MS + MS + 10 * MS);
        assertThat(times).isEqualTo(expected);
    }

    /** @return the delivery times of three 1000-byte packets offered together at time 0 */
    private static List<Long> threeBackToBack(LinkProfile profile) {
        Sim sim = new Sim(profile);
        for (int i = 0; i < 3; i++) {
            sim.offer(i, 1000, 0);
        }
        return sim.drain().deliveries.stream().map(Sim.Delivery::deliveryNanos).toList();
    }

    @Test
    void overheadCountsInTheSerializationTime() {
        // (1000 + 28) bytes at 8 Mbit/s: 1.028 ms each
        assertThat(threeBackToBack(profile().rateBitsPerSecond(8_000_000).overheadBytes(28).build()))
                .containsExactly(1_028_000L, 2_056_000L, 3_084_000L);
    }

    @Test
    void serializationRemaindersCarryOverSoLongRunsAreExact() {
        // 1000 bytes at 3 Mbit/s: 2 666 666.67 ns each; three take exactly 8 ms
        assertThat(threeBackToBack(profile().rateBitsPerSecond(3_000_000).build()))
                .containsExactly(2_666_666L, 5_333_333L, 8_000_000L);
    }

    @Test
    void packetQueueLimitTailDropsExactlyWhenFull() {
        // 1 ms per packet; the packet in service plus at most 3 waiting
        Sim sim = new Sim(profile().rateBitsPerSecond(8_000_000).queueLimitPackets(3).build());
        List<Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            verdicts.add(sim.offer(i, 1000, 0));
        }
        assertThat(verdicts).containsExactly(Verdict.FORWARDED, Verdict.FORWARDED, Verdict.FORWARDED,
                Verdict.FORWARDED, Verdict.DROPPED_BY_QUEUE, Verdict.DROPPED_BY_QUEUE);
        // packet 1 starts at 1 ms: until then the queue is full
        assertThat(sim.offer(6, 1000, MS - 1)).isEqualTo(Verdict.DROPPED_BY_QUEUE);
        assertThat(sim.offer(7, 1000, MS)).isEqualTo(Verdict.FORWARDED);
        assertThat(sim.offer(8, 1000, MS)).isEqualTo(Verdict.DROPPED_BY_QUEUE);
        sim.drain();
        assertThat(sim.indices()).containsExactly(0L, 1L, 2L, 3L, 7L);
        assertThat(sim.deliveries.get(4).deliveryNanos()).isEqualTo(5 * MS);
        LinkCounters c = sim.model.counters();
        assertThat(c.droppedByQueue()).isEqualTo(4);
        assertThat(c.droppedByLoss()).isZero();
    }

    @Test
    void byteQueueLimitCountsOverhead() {
        // two 1000 + 28 byte packets fit in 2100 bytes of queue, a third does not
        Sim sim = new Sim(profile().rateBitsPerSecond(8_000_000).overheadBytes(28).queueLimitBytes(2100).build());
        List<Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            verdicts.add(sim.offer(i, 1000, 0));
        }
        assertThat(verdicts).containsExactly(Verdict.FORWARDED, Verdict.FORWARDED, Verdict.FORWARDED,
                Verdict.DROPPED_BY_QUEUE);
        // a small packet still fits: 2056 + 40 <= 2100
        assertThat(sim.offer(4, 12, 0)).isEqualTo(Verdict.FORWARDED);
    }

    @Test
    void zeroQueueLimitKeepsOnlyThePacketInService() {
        Sim sim = new Sim(profile().rateBitsPerSecond(8_000_000).queueLimitPackets(0).build());
        assertThat(sim.offer(0, 1000, 0)).isEqualTo(Verdict.FORWARDED);
        assertThat(sim.offer(1, 1000, MS - 1)).isEqualTo(Verdict.DROPPED_BY_QUEUE);
        assertThat(sim.offer(2, 1000, MS)).isEqualTo(Verdict.FORWARDED);
    }

    @Test
    void aLostPacketStillUsedTheBottleneck() {
        Sim sim = new Sim(profile().loss(0.5).rateBitsPerSecond(8_000_000).build());
        for (int i = 0; i < 200; i++) {
            sim.offer(i, 1000, 0);
        }
        sim.drain();
        assertThat(sim.deliveries).hasSizeBetween(50, 150)
                .allMatch(d -> d.deliveryNanos() == (d.index() + 1) * MS);
    }

    @Test
    void reorderedPacketsGetTheExtraDelayAndAreOvertaken() {
        int n = 10_000;
        long delay = 10 * MS;
        Sim sim = new Sim(profile().delay(Duration.ofNanos(delay)).reorder(0.1, Duration.ofMillis(5)).build())
                .offerEvery(n, 64, MS).drain();
        long reordered = sim.model.counters().reordered();
        assertBinomial(reordered, n, 0.1);

        Set<Long> heldBack = new HashSet<>();
        for (WireEvent e : sim.tapped) {
            if (e.reordered()) {
                heldBack.add(e.payload().getLong(0));
                assertThat(e.deliveryNanos()).isEqualTo(e.offeredNanos() + delay + 5 * MS);
            } else {
                assertThat(e.deliveryNanos()).isEqualTo(e.offeredNanos() + delay);
            }
        }
        assertThat(heldBack).hasSize((int) reordered);
        // a packet arrives out of order exactly when it was held back (5 ms > the 1 ms spacing)
        Set<Long> outOfOrder = new HashSet<>();
        long highest = -1;
        for (long index : sim.indices()) {
            if (index < highest) {
                outOfOrder.add(index);
            }
            highest = Math.max(highest, index);
        }
        assertThat(outOfOrder).isEqualTo(heldBack);
        assertThat(sim.deliveries).hasSize(n);
    }

    @Test
    void duplicatesFollowTheirOriginal() {
        int n = 10_000;
        Sim sim = new Sim(profile().delay(Duration.ofMillis(3)).duplicate(0.05).build())
                .offerEvery(n, 64, MS).drain();
        LinkCounters c = sim.model.counters();
        assertBinomial(c.duplicated(), n, 0.05);
        assertThat(c.delivered()).isEqualTo(n + c.duplicated());
        assertThat(sim.tapped.stream().filter(WireEvent::duplicated).count()).isEqualTo(c.duplicated());
        List<Sim.Delivery> d = sim.deliveries;
        int pairs = 0;
        for (int i = 1; i < d.size(); i++) {
            if (d.get(i).index() == d.get(i - 1).index()) {
                assertThat(d.get(i).deliveryNanos()).isEqualTo(d.get(i - 1).deliveryNanos());
                pairs++;
            }
        }
        assertThat(pairs).isEqualTo(c.duplicated());
        assertThat(sim.indices().stream().distinct().toList()).isSorted().hasSize(n);
    }

    private static LinkProfile everything(long seed) {
        return LinkProfile.builder().loss(0.02).burstLoss(0.01, 0.3, 0.6).delay(Duration.ofMillis(20))
                .jitter(Duration.ofMillis(4), JitterDistribution.NORMAL).rateBitsPerSecond(10_000_000)
                .overheadBytes(28).queueLimitPackets(20).reorder(0.03, Duration.ofMillis(6)).duplicate(0.01)
                .seed(seed).build();
    }

    private static Sim runEverything(long seed) {
        Sim sim = new Sim(everything(seed));
        Random traffic = new Random(7); // bursty offers of varying sizes that overflow the queue
        long t = 0;
        for (int i = 0; i < 20_000; i++) {
            t += traffic.nextInt(3) == 0 ? traffic.nextInt(3 * (int) MS) : 0;
            sim.offer(i, 100 + traffic.nextInt(1300), t);
        }
        return sim.drain();
    }

    @Test
    void sameSeedSameOffersSameDeliveries() {
        Sim first = runEverything(5);
        Sim second = runEverything(5);
        assertThat(second.deliveries).isEqualTo(first.deliveries);
        assertThat(second.tapped).isEqualTo(first.tapped);
        assertThat(second.model.counters()).isEqualTo(first.model.counters());
        LinkCounters c = first.model.counters();
        assertThat(c.droppedByQueue()).isPositive();
        assertThat(c.droppedByLoss()).isPositive();
        assertThat(c.reordered()).isPositive();
        assertThat(c.duplicated()).isPositive();

        Sim other = runEverything(6);
        assertThat(other.deliveries).isNotEqualTo(first.deliveries);
    }

    @Test
    void randomFateDependsOnThePacketIndexNotOnTiming() {
        LinkProfile lossy = profile().loss(0.2).burstLoss(0.05, 0.3, 0.9).build();
        Sim slow = new Sim(lossy).offerEvery(5_000, 64, 3 * MS).drain();
        Sim fast = new Sim(lossy).offerEvery(5_000, 64, 7 * US).drain();
        assertThat(fast.indices()).isEqualTo(slow.indices());
    }

    @Test
    void tapSeesEveryOfferedPacketWithItsTimeAndVerdict() {
        Sim sim = new Sim(profile().delay(Duration.ofMillis(2)).rateBitsPerSecond(8_000_000).queueLimitPackets(1)
                .build());
        sim.offer(0, 1000, 5);
        sim.offer(1, 1000, 6);
        sim.offer(2, 1000, 7);
        sim.drain();
        assertThat(sim.tapped).extracting(WireEvent::offeredNanos).containsExactly(5L, 6L, 7L);
        assertThat(sim.tapped).extracting(WireEvent::verdict)
                .containsExactly(Verdict.FORWARDED, Verdict.FORWARDED, Verdict.DROPPED_BY_QUEUE);
        assertThat(sim.tapped).extracting(WireEvent::deliveryNanos)
                .containsExactly(5 + 3 * MS, 5 + 4 * MS, Long.MIN_VALUE);
        WireEvent dropped = sim.tapped.get(2);
        assertThat(dropped.direction()).isEqualTo(Direction.A_TO_B);
        assertThat(dropped.length()).isEqualTo(1000);
        assertThat(ByteBuffer.wrap(dropped.bytes()).getLong()).isEqualTo(2);
        assertThat(dropped.payload().isReadOnly()).isTrue();
    }

    @Test
    void aSinkMayOfferToTheSameModel() {
        LinkModel model = new LinkModel(profile().delay(Duration.ofMillis(1)).build());
        model.offer(new byte[] {1}, 1, 0);
        List<Long> times = new ArrayList<>();
        model.poll(MS, (p, f, t) -> {
            times.add(t);
            model.offer(p, null, MS);
        });
        model.poll(2 * MS, (p, f, t) -> times.add(t));
        assertThat(times).containsExactly(MS, 2 * MS);
    }

    @Test
    void misuseIsRejectedWithTheBadValue() {
        LinkModel model = new LinkModel(LinkProfile.perfect());
        model.offer(new byte[8], 8, 1_000);
        assertThatThrownBy(() -> model.offer(new byte[8], 8, 999))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("999", "1000", "backwards");
        assertThatThrownBy(() -> model.offer(ByteBuffer.allocate(70_000), null, 2_000))
                .hasMessageContainingAll("70000", "65535");
        assertThatThrownBy(() -> model.offer(new byte[8], 9, 2_000)).hasMessageContainingAll("length 9", "8");
        assertThatThrownBy(() -> new LinkModel(null)).hasMessageContaining("profile");
        assertThat(model.counters().offered()).isEqualTo(1);
    }

    private static long min(long[] a) {
        return Arrays.stream(a).min().orElseThrow();
    }

    private static long max(long[] a) {
        return Arrays.stream(a).max().orElseThrow();
    }

    private static double mean(long[] a) {
        return Arrays.stream(a).average().orElseThrow();
    }
}
