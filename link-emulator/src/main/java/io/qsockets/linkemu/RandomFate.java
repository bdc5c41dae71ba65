package io.qsockets.linkemu;

import java.util.SplittableRandom;

/**
 * The random part of a packet's fate. Each concern has its own generator, split from one seeded
 * root in a fixed order, and draws a fixed number of values per packet (the truncated normal
 * jitter excepted, which only affects its own generator), so the fate of the k-th packet depends
 * only on the profile, the seed and k.
 */
final class RandomFate {
    private static final int NORMAL_TRIES = 16;

    private final double lossInGood;
    private final LinkProfile.BurstLoss burst;
    private final long jitterBound;
    private final JitterDistribution jitterDistribution;
    private final double reorderProbability;
    private final double duplicateProbability;

    private final SplittableRandom lossRandom;
    private final SplittableRandom burstRandom;
    private final SplittableRandom jitterRandom;
    private final SplittableRandom reorderRandom;
    private final SplittableRandom duplicateRandom;

    private boolean bad;
    private boolean lost;
    private long jitter;
    private boolean reordered;
    private boolean duplicated;

    RandomFate(LinkProfile profile) {
        lossInGood = profile.lossProbability();
        burst = profile.burstLoss();
        jitterBound = profile.jitterNanos();
        jitterDistribution = profile.jitterDistribution();
        reorderProbability = profile.reorderProbability();
        duplicateProbability = profile.duplicateProbability();
        SplittableRandom root = new SplittableRandom(profile.seed());
        lossRandom = root.split();
        burstRandom = root.split();
        jitterRandom = root.split();
        reorderRandom = root.split();
        duplicateRandom = root.split();
    }

    /** Draws the fate of the next packet. */
    void drawNext() {
        double lossProbability = bad ? burst.lossInBad() : lossInGood;
        lost = lossRandom.nextDouble() < lossProbability;
        if (burst != null) {
            double u = burstRandom.nextDouble();
            bad = bad ? u >= burst.badToGood() : u < burst.goodToBad();
        }
        jitter = jitterBound == 0 ? 0 : drawJitter();
        reordered = reorderRandom.nextDouble() < reorderProbability;
        duplicated = duplicateRandom.nextDouble() < duplicateProbability;
    }

    private long drawJitter() {
        if (jitterDistribution == JitterDistribution.UNIFORM) {
            return jitterRandom.nextLong(-jitterBound, jitterBound + 1);
        }
        double sigma = jitterBound / 3.0;
        for (int i = 0; i < NORMAL_TRIES; i++) {
            long j = Math.round(nextGaussian() * sigma);
            if (j >= -jitterBound && j <= jitterBound) {
                return j;
            }
        }
        return 0;
    }

    /** Box–Muller from two uniform draws, so the sequence does not depend on the JDK's algorithm. */
    private double nextGaussian() {
        double u1 = 1.0 - jitterRandom.nextDouble(); // in (0, 1]
        double u2 = jitterRandom.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    boolean lost() {
        return lost;
    }

    long jitterNanos() {
        return jitter;
    }

    boolean reordered() {
        return reordered;
    }

    boolean duplicated() {
        return duplicated;
    }
}
