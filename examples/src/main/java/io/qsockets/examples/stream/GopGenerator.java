package io.qsockets.examples.stream;

import java.util.Iterator;
import java.util.SplittableRandom;

/**
 * Generates a variable-bit-rate video stream on the fly: frames at a fixed rate following a
 * group-of-pictures pattern (e.g. {@code IBBPBBPBBPBB}), with sizes drawn around a mean per type
 * (an I-frame 5 times, a P-frame 1.5 times a B-frame) scaled to a target bit rate, varying
 * ±40 % uniformly. Seeded: the same arguments give the same stream.
 */
public final class GopGenerator implements Iterator<Frame> {
    private static final double I_WEIGHT = 5;
    private static final double P_WEIGHT = 1.5;
    private static final double B_WEIGHT = 1;
    private static final double SPREAD = 0.4;

    private final FrameType[] pattern;
    private final double periodNanos;
    private final double bytesPerWeight;
    private final SplittableRandom random;
    private long next;

    /**
     * @param fps frames per second, positive
     * @param bitsPerSecond the mean bit rate, positive
     * @param gop the pattern, e.g. "IBBPBBPBBPBB"; starts with I
     * @param seed the random seed
     */
    public GopGenerator(double fps, double bitsPerSecond, String gop, long seed) {
        if (!(fps > 0) || fps > 10_000) {
            throw new IllegalArgumentException("frame rate " + fps + " fps must be between 0 (exclusive) and 10000");
        }
        if (!(bitsPerSecond > 0) || Double.isInfinite(bitsPerSecond)) {
            throw new IllegalArgumentException("bit rate " + bitsPerSecond + " bit/s must be positive and finite");
        }
        if (gop == null || gop.isEmpty() || Character.toUpperCase(gop.charAt(0)) != 'I') {
            throw new IllegalArgumentException("GOP pattern '" + gop + "' must be I, P and B letters starting with I");
        }
        pattern = new FrameType[gop.length()];
        double weights = 0;
        for (int i = 0; i < gop.length(); i++) {
            pattern[i] = FrameType.parse(String.valueOf(gop.charAt(i)));
            weights += weight(pattern[i]);
        }
        double bytesPerGop = bitsPerSecond / 8 / fps * gop.length();
        this.bytesPerWeight = bytesPerGop / weights;
        this.periodNanos = 1e9 / fps;
        this.random = new SplittableRandom(seed);
    }

    private static double weight(FrameType type) {
        return switch (type) {
            case I -> I_WEIGHT;
            case P -> P_WEIGHT;
            case B -> B_WEIGHT;
        };
    }

    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public Frame next() {
        FrameType type = pattern[(int) (next % pattern.length)];
        double mean = weight(type) * bytesPerWeight;
        int size = (int) Math.max(1, Math.round(mean * (1 + SPREAD * (2 * random.nextDouble() - 1))));
        Frame f = new Frame(next, Math.round(next * periodNanos), size, type);
        next++;
        return f;
    }
}
