package io.qsockets.linkemu;

import java.time.Duration;
import java.util.Objects;

/**
 * The impairments of one direction of an emulated link: immutable, built by {@link #builder()}
 * and validated once by {@link Builder#build()}.
 *
 * <p>A packet offered to a {@link LinkModel} goes through, in this order:
 * <ol>
 *   <li>the <b>bottleneck</b>: a FIFO queue served at {@link #rateBitsPerSecond()} (each packet
 *       occupies it for {@code (length + overheadBytes) * 8 / rate} seconds); a packet that finds
 *       the queue full is tail-dropped. The queue holds the packets that wait; the packet being
 *       serialized has left it. Without a rate limit nothing waits;</li>
 *   <li><b>loss</b> on the link after the bottleneck (so a lost packet still used capacity):
 *       Bernoulli with {@link #lossProbability()}, or a Gilbert–Elliott chain when
 *       {@link #burstLoss()} is set;</li>
 *   <li><b>propagation</b>: {@link #delay()} plus a bounded variation drawn from
 *       {@link #jitterDistribution()} within {@code ±}{@link #jitter()}. Jitter never reorders:
 *       a packet is never delivered before the packet offered before it (as on a real path,
 *       where delay variation comes from queues that are FIFO), so a packet whose draw would
 *       overtake its predecessor is delivered together with it, just after it;</li>
 *   <li><b>reordering</b>: with {@link #reorderProbability()} a packet gets
 *       {@link #reorderDelay()} of extra delay and leaves the FIFO order, so later packets may
 *       overtake it;</li>
 *   <li><b>duplication</b>: with {@link #duplicateProbability()} a second copy is delivered right
 *       after the original (a link-layer duplicate: it uses no bottleneck capacity).</li>
 * </ol>
 * Every random draw comes from generators seeded with {@link #seed()}; see {@link LinkModel} for
 * what exactly is deterministic.
 */
public final class LinkProfile {
    /** The largest delay, jitter bound or reordering delay a profile accepts: one hour. */
    public static final Duration MAX_DELAY = Duration.ofHours(1);
    /** The largest rate limit a profile accepts: 1 Tbit/s. */
    public static final long MAX_RATE_BITS_PER_SECOND = 1_000_000_000_000L;
    /** The largest per-packet overhead a profile accepts. */
    public static final int MAX_OVERHEAD_BYTES = 65_535;
    /** {@link #queueLimitPackets()} and {@link #queueLimitBytes()} when there is no limit. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private static final LinkProfile PERFECT = builder().build();

    private final double lossProbability;
    private final BurstLoss burstLoss;
    private final long delayNanos;
    private final long jitterNanos;
    private final JitterDistribution jitterDistribution;
    private final long rateBitsPerSecond;
    private final int overheadBytes;
    private final long queueLimitPackets;
    private final long queueLimitBytes;
    private final double reorderProbability;
    private final long reorderDelayNanos;
    private final double duplicateProbability;
    private final long seed;

    private LinkProfile(Builder b) {
        lossProbability = b.lossProbability;
        burstLoss = b.burstLoss;
        delayNanos = b.delay.toNanos();
        jitterNanos = b.jitter.toNanos();
        jitterDistribution = b.jitterDistribution;
        rateBitsPerSecond = b.rateBitsPerSecond;
        overheadBytes = b.overheadBytes;
        queueLimitPackets = b.queueLimitPackets;
        queueLimitBytes = b.queueLimitBytes;
        reorderProbability = b.reorderProbability;
        reorderDelayNanos = b.reorderDelay.toNanos();
        duplicateProbability = b.duplicateProbability;
        seed = b.seed;
    }

    /** @return a new builder; its defaults are a perfect link (no impairment) with seed 0 */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a link without any impairment: no loss, no delay, no rate limit */
    public static LinkProfile perfect() {
        return PERFECT;
    }

    /** @return a builder holding this profile's values, to derive a variant */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.lossProbability = lossProbability;
        b.burstLoss = burstLoss;
        b.delay = delay();
        b.jitter = jitter();
        b.jitterDistribution = jitterDistribution;
        b.rateBitsPerSecond = rateBitsPerSecond;
        b.overheadBytes = overheadBytes;
        b.queueLimitPackets = queueLimitPackets;
        b.queueLimitBytes = queueLimitBytes;
        b.reorderProbability = reorderProbability;
        b.reorderDelay = reorderDelay();
        b.duplicateProbability = duplicateProbability;
        b.seed = seed;
        return b;
    }

    /** @return the loss probability of a packet (in the good state when {@link #burstLoss()} is set) */
    public double lossProbability() {
        return lossProbability;
    }

    /** @return the Gilbert–Elliott burst-loss chain, or {@code null} for independent losses */
    public BurstLoss burstLoss() {
        return burstLoss;
    }

    /** @return the one-way propagation delay */
    public Duration delay() {
        return Duration.ofNanos(delayNanos);
    }

    long delayNanos() {
        return delayNanos;
    }

    /** @return the jitter bound {@code J}: the delay variation lies in {@code [-J, +J]} */
    public Duration jitter() {
        return Duration.ofNanos(jitterNanos);
    }

    long jitterNanos() {
        return jitterNanos;
    }

    /** @return how the delay variation is drawn */
    public JitterDistribution jitterDistribution() {
        return jitterDistribution;
    }

    /** @return the bottleneck rate in bits per second, 0 for no limit */
    public long rateBitsPerSecond() {
        return rateBitsPerSecond;
    }

    /** @return bytes added to each packet's length for the rate limit and the byte queue limit */
    public int overheadBytes() {
        return overheadBytes;
    }

    /** @return the most packets that may wait in the bottleneck queue, or {@link #UNLIMITED} */
    public long queueLimitPackets() {
        return queueLimitPackets;
    }

    /** @return the most bytes (with overhead) that may wait in the queue, or {@link #UNLIMITED} */
    public long queueLimitBytes() {
        return queueLimitBytes;
    }

    /** @return the probability that a packet is held back by {@link #reorderDelay()} */
    public double reorderProbability() {
        return reorderProbability;
    }

    /** @return the extra delay of a reordered packet */
    public Duration reorderDelay() {
        return Duration.ofNanos(reorderDelayNanos);
    }

    long reorderDelayNanos() {
        return reorderDelayNanos;
    }

    /** @return the probability that a forwarded packet is delivered twice */
    public double duplicateProbability() {
        return duplicateProbability;
    }

    /** @return the seed of every random draw */
    public long seed() {
        return seed;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("LinkProfile[");
        s.append("delay=").append(delay());
        if (jitterNanos > 0) {
            s.append(", jitter=±").append(jitter()).append(' ').append(jitterDistribution);
        }
        if (lossProbability > 0) {
            s.append(", loss=").append(lossProbability);
        }
        if (burstLoss != null) {
            s.append(", ").append(burstLoss);
        }
        if (rateBitsPerSecond > 0) {
            s.append(", rate=").append(rateBitsPerSecond).append(" bit/s, overhead=").append(overheadBytes).append(" B");
        }
        if (queueLimitPackets != UNLIMITED) {
            s.append(", queue=").append(queueLimitPackets).append(" packets");
        }
        if (queueLimitBytes != UNLIMITED) {
            s.append(", queue=").append(queueLimitBytes).append(" bytes");
        }
        if (reorderProbability > 0) {
            s.append(", reorder=").append(reorderProbability).append(" +").append(reorderDelay());
        }
        if (duplicateProbability > 0) {
            s.append(", duplicate=").append(duplicateProbability);
        }
        return s.append(", seed=").append(seed).append(']').toString();
    }

    /**
     * A two-state Gilbert–Elliott loss chain. The chain starts in the good state, where packets
     * are lost with the profile's {@link LinkProfile#lossProbability()}; in the bad state they are
     * lost with {@code lossInBad}. After each offered packet (tail-dropped ones included, so
     * the loss pattern does not depend on timing) the chain moves good→bad with {@code goodToBad} and bad→good with {@code badToGood}, so a bad period lasts
     * {@code 1 / badToGood} packets on average and the chain is bad a fraction
     * {@code goodToBad / (goodToBad + badToGood)} of the time.
     *
     * @param goodToBad the transition probability from the good to the bad state, in (0, 1]
     * @param badToGood the transition probability from the bad to the good state, in (0, 1]
     * @param lossInBad the loss probability in the bad state, in [0, 1]
     */
    public record BurstLoss(double goodToBad, double badToGood, double lossInBad) {
        /** Validates the three probabilities; see the record description for the ranges. */
        public BurstLoss {
            if (!(goodToBad > 0 && goodToBad <= 1)) {
                throw new IllegalArgumentException(
                        "burst loss p(good->bad) " + goodToBad + " is out of range: allowed (0, 1]");
            }
            if (!(badToGood > 0 && badToGood <= 1)) {
                throw new IllegalArgumentException(
                        "burst loss p(bad->good) " + badToGood + " is out of range: allowed (0, 1]");
            }
            checkProbability("burst loss probability in the bad state", lossInBad);
        }

        /** @return the long-run loss rate of the chain with {@code lossInGood} in the good state */
        public double meanLossRate(double lossInGood) {
            double bad = goodToBad / (goodToBad + badToGood);
            return (1 - bad) * lossInGood + bad * lossInBad;
        }
    }

    static void checkProbability(String what, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(what + " " + p + " is out of range: allowed 0.0 to 1.0");
        }
    }

    /** Collects the values of a {@link LinkProfile}; {@link #build()} validates them all. */
    public static final class Builder {
        private double lossProbability;
        private BurstLoss burstLoss;
        private Duration delay = Duration.ZERO;
        private Duration jitter = Duration.ZERO;
        private JitterDistribution jitterDistribution = JitterDistribution.UNIFORM;
        private long rateBitsPerSecond;
        private int overheadBytes;
        private long queueLimitPackets = UNLIMITED;
        private long queueLimitBytes = UNLIMITED;
        private double reorderProbability;
        private Duration reorderDelay = Duration.ZERO;
        private double duplicateProbability;
        private long seed;

        private Builder() {
        }

        /** @param probability the loss probability of each packet, 0.0 to 1.0 (default 0) */
        public Builder loss(double probability) {
            this.lossProbability = probability;
            return this;
        }

        /**
         * Makes losses bursty with a Gilbert–Elliott chain (see {@link BurstLoss}); the
         * {@link #loss(double)} probability then applies in the good state only.
         */
        public Builder burstLoss(double goodToBad, double badToGood, double lossInBad) {
            this.burstLoss = new BurstLoss(goodToBad, badToGood, lossInBad);
            return this;
        }

        /** Removes the burst-loss chain: losses are independent again. */
        public Builder noBurstLoss() {
            this.burstLoss = null;
            return this;
        }

        /** @param delay the one-way propagation delay, 0 to {@link #MAX_DELAY} (default 0) */
        public Builder delay(Duration delay) {
            this.delay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        /** Uniform jitter within {@code ±bound}; see {@link #jitter(Duration, JitterDistribution)}. */
        public Builder jitter(Duration bound) {
            return jitter(bound, JitterDistribution.UNIFORM);
        }

        /**
         * @param bound the largest delay variation either way, 0 to the one-way delay (so no
         *     packet has a negative delay)
         * @param distribution how the variation is drawn
         */
        public Builder jitter(Duration bound, JitterDistribution distribution) {
            this.jitter = Objects.requireNonNull(bound, "jitter bound");
            this.jitterDistribution = Objects.requireNonNull(distribution, "jitter distribution");
            return this;
        }

        /**
         * @param bitsPerSecond the bottleneck rate, 0 for no limit (default) or 1 to
         *     {@link #MAX_RATE_BITS_PER_SECOND}
         */
        public Builder rateBitsPerSecond(long bitsPerSecond) {
            this.rateBitsPerSecond = bitsPerSecond;
            return this;
        }

        /**
         * @param bytes added to every packet's length by the rate limit and the byte queue limit,
         *     e.g. 28 for IPv4 and UDP headers; 0 to {@link #MAX_OVERHEAD_BYTES} (default 0)
         */
        public Builder overheadBytes(int bytes) {
            this.overheadBytes = bytes;
            return this;
        }

        /** @param packets the most packets that may wait at the bottleneck, at least 0; needs a rate */
        public Builder queueLimitPackets(long packets) {
            this.queueLimitPackets = packets;
            return this;
        }

        /**
         * @param bytes the most bytes (with overhead) that may wait at the bottleneck, at least 0;
         *     needs a rate
         */
        public Builder queueLimitBytes(long bytes) {
            this.queueLimitBytes = bytes;
            return this;
        }

        /** Removes both queue limits (the default). */
        public Builder unlimitedQueue() {
            this.queueLimitPackets = UNLIMITED;
            this.queueLimitBytes = UNLIMITED;
            return this;
        }

        /**
         * @param probability the probability that a packet is held back, 0.0 to 1.0
         * @param extraDelay how long it is held back, more than 0 (when the probability is) and at
         *     most {@link #MAX_DELAY}
         */
        public Builder reorder(double probability, Duration extraDelay) {
            this.reorderProbability = probability;
            this.reorderDelay = Objects.requireNonNull(extraDelay, "reorder delay");
            return this;
        }

        /** @param probability the probability that a forwarded packet is delivered twice, 0.0 to 1.0 */
        public Builder duplicate(double probability) {
            this.duplicateProbability = probability;
            return this;
        }

        /** @param seed the seed of every random draw (default 0) */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Validates every value and builds the profile.
         *
         * @throws IllegalArgumentException naming the first bad value and the allowed range
         */
        public LinkProfile build() {
            checkProbability("loss probability", lossProbability);
            checkDuration("delay", delay);
            checkDuration("jitter bound", jitter);
            if (jitter.compareTo(delay) > 0) {
                throw new IllegalArgumentException("jitter bound " + jitter + " exceeds the delay " + delay
                        + ": a packet would have a negative delay; allowed 0 to the delay");
            }
            if (rateBitsPerSecond < 0 || rateBitsPerSecond > MAX_RATE_BITS_PER_SECOND) {
                throw new IllegalArgumentException("rate " + rateBitsPerSecond
                        + " bit/s is out of range: allowed 0 (no limit) to " + MAX_RATE_BITS_PER_SECOND);
            }
            if (overheadBytes < 0 || overheadBytes > MAX_OVERHEAD_BYTES) {
                throw new IllegalArgumentException("overhead " + overheadBytes
                        + " bytes is out of range: allowed 0 to " + MAX_OVERHEAD_BYTES);
            }
            if (queueLimitPackets < 0) {
                throw new IllegalArgumentException(
                        "queue limit " + queueLimitPackets + " packets is out of range: allowed >= 0");
            }
            if (queueLimitBytes < 0) {
                throw new IllegalArgumentException(
                        "queue limit " + queueLimitBytes + " bytes is out of range: allowed >= 0");
            }
            if (rateBitsPerSecond == 0 && (queueLimitPackets != UNLIMITED || queueLimitBytes != UNLIMITED)) {
                throw new IllegalArgumentException("a queue limit needs a rate limit: with rate 0 (no limit)"
                        + " no packet ever waits; set rateBitsPerSecond(> 0) or remove the queue limit");
            }
            checkProbability("reorder probability", reorderProbability);
            if (reorderProbability > 0 && reorderDelay.isZero()) {
                throw new IllegalArgumentException("reorder delay " + reorderDelay + " with reorder probability "
                        + reorderProbability + " would reorder nothing: allowed more than 0 to " + MAX_DELAY);
            }
            checkDuration("reorder delay", reorderDelay);
            checkProbability("duplicate probability", duplicateProbability);
            return new LinkProfile(this);
        }

        private static void checkDuration(String what, Duration d) {
            if (d.isNegative() || d.compareTo(MAX_DELAY) > 0) {
                throw new IllegalArgumentException(what + " " + d + " is out of range: allowed 0 to " + MAX_DELAY);
            }
        }
    }
}
