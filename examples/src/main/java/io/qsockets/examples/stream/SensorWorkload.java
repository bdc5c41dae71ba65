package io.qsockets.examples.stream;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.SplittableRandom;

/**
 * Generates aperiodic sensor readings: events at exponentially distributed gaps, each producing a
 * burst of 1 to {@code maxBurst} readings at once (an array of sensors sampled on a trigger), each
 * reading with a size and a deadline drawn uniformly from their ranges. Seeded: the same
 * arguments give the same readings.
 */
public final class SensorWorkload implements Iterator<Reading> {
    private final double meanGapNanos;
    private final int maxBurst;
    private final int minSize;
    private final int maxSize;
    private final long minDeadlineNanos;
    private final long maxDeadlineNanos;
    private final SplittableRandom random;
    private final ArrayDeque<Reading> burst = new ArrayDeque<>();
    private double clockNanos;
    private long seq;

    /**
     * @param meanGap the mean time between events, positive
     * @param maxBurst readings per event at most, at least 1
     * @param minSize smallest reading in bytes, at least 1
     * @param maxSize largest reading in bytes, at least {@code minSize}
     * @param minDeadline shortest deadline, positive
     * @param maxDeadline longest deadline, at least {@code minDeadline}
     * @param seed the random seed
     */
    public SensorWorkload(Duration meanGap, int maxBurst, int minSize, int maxSize, Duration minDeadline,
            Duration maxDeadline, long seed) {
        if (meanGap == null || meanGap.isZero() || meanGap.isNegative()) {
            throw new IllegalArgumentException("mean gap " + meanGap + " must be positive");
        }
        if (maxBurst < 1) {
            throw new IllegalArgumentException("burst size " + maxBurst + " must be >= 1");
        }
        if (minSize < 1 || maxSize < minSize) {
            throw new IllegalArgumentException("reading sizes " + minSize + ".." + maxSize
                    + " B must satisfy 1 <= min <= max");
        }
        if (minDeadline == null || maxDeadline == null || minDeadline.isZero() || minDeadline.isNegative()
                || maxDeadline.compareTo(minDeadline) < 0) {
            throw new IllegalArgumentException("deadlines " + minDeadline + ".." + maxDeadline
                    + " must satisfy 0 < min <= max");
        }
        this.meanGapNanos = meanGap.toNanos();
        this.maxBurst = maxBurst;
        this.minSize = minSize;
        this.maxSize = maxSize;
        this.minDeadlineNanos = minDeadline.toNanos();
        this.maxDeadlineNanos = maxDeadline.toNanos();
        this.random = new SplittableRandom(seed);
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public Reading next() {
        if (burst.isEmpty()) {
            clockNanos += -Math.log(1 - random.nextDouble()) * meanGapNanos;
            int n = 1 + random.nextInt(maxBurst);
            for (int i = 0; i < n; i++) {
                int size = minSize + random.nextInt(maxSize - minSize + 1);
                long deadline = minDeadlineNanos + (long) (random.nextDouble() * (maxDeadlineNanos - minDeadlineNanos));
                burst.add(new Reading(seq++, Math.round(clockNanos), size, deadline));
            }
        }
        return burst.poll();
    }
}
