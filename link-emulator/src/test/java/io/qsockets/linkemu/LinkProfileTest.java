package io.qsockets.linkemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LinkProfileTest {

    private static void rejects(UnaryOperator<LinkProfile.Builder> setting, String... messageParts) {
        assertThatThrownBy(() -> setting.apply(LinkProfile.builder()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll(messageParts);
    }

    @Test
    void defaultsAreAPerfectLink() {
        LinkProfile p = LinkProfile.builder().build();
        assertThat(p.lossProbability()).isZero();
        assertThat(p.burstLoss()).isNull();
        assertThat(p.delay()).isZero();
        assertThat(p.jitter()).isZero();
        assertThat(p.rateBitsPerSecond()).isZero();
        assertThat(p.queueLimitPackets()).isEqualTo(LinkProfile.UNLIMITED);
        assertThat(p.queueLimitBytes()).isEqualTo(LinkProfile.UNLIMITED);
        assertThat(p.reorderProbability()).isZero();
        assertThat(p.duplicateProbability()).isZero();
        assertThat(LinkProfile.perfect().delay()).isZero();
    }

    @Test
    void toBuilderKeepsEveryValue() {
        LinkProfile p = LinkProfile.builder().loss(0.1).burstLoss(0.01, 0.2, 0.9).delay(Duration.ofMillis(20))
                .jitter(Duration.ofMillis(3), JitterDistribution.NORMAL).rateBitsPerSecond(1_000_000)
                .overheadBytes(28).queueLimitPackets(10).queueLimitBytes(20_000)
                .reorder(0.05, Duration.ofMillis(7)).duplicate(0.02).seed(99).build();
        LinkProfile q = p.toBuilder().build();
        assertThat(q.toString()).isEqualTo(p.toString());
        assertThat(q.burstLoss()).isEqualTo(new LinkProfile.BurstLoss(0.01, 0.2, 0.9));
        assertThat(q.jitterDistribution()).isEqualTo(JitterDistribution.NORMAL);
        assertThat(q.overheadBytes()).isEqualTo(28);
        assertThat(q.queueLimitPackets()).isEqualTo(10);
        assertThat(q.queueLimitBytes()).isEqualTo(20_000);
        assertThat(q.reorderDelay()).isEqualTo(Duration.ofMillis(7));
        assertThat(q.seed()).isEqualTo(99);
        assertThat(p.toBuilder().seed(100).build().seed()).isEqualTo(100);
        LinkProfile plain = p.toBuilder().unlimitedQueue().noBurstLoss().build();
        assertThat(plain.queueLimitPackets()).isEqualTo(LinkProfile.UNLIMITED);
        assertThat(plain.queueLimitBytes()).isEqualTo(LinkProfile.UNLIMITED);
        assertThat(plain.burstLoss()).isNull();
        assertThat(plain.lossProbability()).isEqualTo(0.1);
    }

    @Test
    void probabilitiesOutsideZeroToOneAreRejected() {
        rejects(b -> b.loss(1.5), "loss probability 1.5", "0.0 to 1.0");
        rejects(b -> b.loss(-0.1), "loss probability -0.1");
        rejects(b -> b.loss(Double.NaN), "loss probability NaN");
        rejects(b -> b.duplicate(2), "duplicate probability 2.0");
        rejects(b -> b.reorder(-1, Duration.ofMillis(1)), "reorder probability -1.0");
    }

    @Test
    void burstLossChainIsValidated() {
        rejects(b -> b.burstLoss(0, 0.5, 1), "p(good->bad) 0.0", "(0, 1]");
        rejects(b -> b.burstLoss(0.1, 1.2, 1), "p(bad->good) 1.2", "(0, 1]");
        rejects(b -> b.burstLoss(0.1, 0.5, -0.5), "bad state -0.5", "0.0 to 1.0");
        assertThat(new LinkProfile.BurstLoss(0.01, 0.09, 1.0).meanLossRate(0.0)).isCloseTo(0.1, offset(1e-12));
    }

    @Test
    void delaysOutOfRangeAreRejected() {
        rejects(b -> b.delay(Duration.ofMillis(-1)), "delay PT-0.001S", "0 to PT1H");
        rejects(b -> b.delay(Duration.ofHours(2)), "delay PT2H");
        rejects(b -> b.delay(Duration.ofMillis(2)).jitter(Duration.ofMillis(5)),
                "jitter bound PT0.005S exceeds the delay PT0.002S", "negative delay");
        rejects(b -> b.reorder(0.1, Duration.ZERO), "reorder delay PT0S", "more than 0");
        rejects(b -> b.reorder(0.1, Duration.ofMillis(-3)), "reorder delay PT-0.003S");
    }

    @Test
    void rateOverheadAndQueueAreValidated() {
        rejects(b -> b.rateBitsPerSecond(-1), "rate -1 bit/s", "0 (no limit)");
        rejects(b -> b.rateBitsPerSecond(2_000_000_000_000L), "rate 2000000000000 bit/s");
        rejects(b -> b.overheadBytes(-28), "overhead -28 bytes", "0 to 65535");
        rejects(b -> b.rateBitsPerSecond(1000).queueLimitPackets(-1), "queue limit -1 packets", ">= 0");
        rejects(b -> b.rateBitsPerSecond(1000).queueLimitBytes(-5), "queue limit -5 bytes", ">= 0");
        rejects(b -> b.queueLimitPackets(10), "a queue limit needs a rate limit");
        assertThat(LinkProfile.builder().rateBitsPerSecond(1000).queueLimitPackets(0).build().queueLimitPackets())
                .isZero();
    }

    @Test
    void nullsAreRejectedWithTheirName() {
        assertThatThrownBy(() -> LinkProfile.builder().delay(null)).hasMessageContaining("delay");
        assertThatThrownBy(() -> LinkProfile.builder().jitter(Duration.ZERO, null))
                .hasMessageContaining("jitter distribution");
    }
}
