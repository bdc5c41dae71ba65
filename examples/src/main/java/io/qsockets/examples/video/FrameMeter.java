package io.qsockets.examples.video;

import io.qsockets.examples.stream.FrameType;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The video client's measurements: reassembles frames from their datagrams and reports, per
 * interval of arrival time, the frames completed (the frame rate) and the inter-frame jitter (the
 * standard deviation of the gaps between consecutive completed frames). A frame is complete when
 * all its datagrams arrived; a frame with a datagram missing when the next frame starts, or never
 * seen at all, is lost. Datagrams of a stream arrive in order (the scheduler and the link keep
 * it), so one partial frame at a time is tracked. Not thread-safe: the receiving thread owns it.
 */
public final class FrameMeter {
    private final long startNanos;
    private final long intervalNanos;
    private final VideoWire wire = new VideoWire();
    private final BitSet completed = new BitSet();
    private final List<Interval> closed = new ArrayList<>();
    private long current = -1;
    private FrameType currentType;
    private int currentGot;
    private int currentCount;
    private long lastCompletionNanos = -1;
    private long completedFrames;
    private long lostFrames;
    private long lostIFrames;
    private long malformed;
    private int bucket;
    private int bucketFrames;
    private int bucketLost;
    private int bucketGaps;
    private double bucketGapSum;
    private double bucketGapSquares;

    /**
     * @param startNanos where interval 0 starts, on the caller's clock
     * @param intervalNanos the interval length, positive
     */
    public FrameMeter(long startNanos, long intervalNanos) {
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval " + intervalNanos + " ns must be positive");
        }
        this.startNanos = startNanos;
        this.intervalNanos = intervalNanos;
    }

    /** Accounts for one received datagram that arrived at {@code nowNanos}. */
    public void onDatagram(byte[] buf, int offset, int length, long nowNanos) {
        closeUpTo(nowNanos);
        if (!wire.read(buf, offset, length)) {
            malformed++;
            return;
        }
        long frame = wire.frame();
        if (frame < current) {
            return;
        }
        if (frame > current) {
            if (current >= 0 && currentGot < currentCount) {
                lose(currentType);
            }
            long firstUnseen = current + 1;
            for (long f = firstUnseen; f < frame; f++) {
                lose(null);
            }
            current = frame;
            currentType = wire.type();
            currentGot = 0;
            currentCount = wire.count();
        }
        currentGot++;
        if (currentGot == currentCount) {
            complete(frame, nowNanos);
        }
    }

    private void lose(FrameType type) {
        lostFrames++;
        bucketLost++;
        if (type == FrameType.I) {
            lostIFrames++;
        }
    }

    private void complete(long frame, long nowNanos) {
        completed.set((int) Math.min(frame, Integer.MAX_VALUE - 1));
        completedFrames++;
        bucketFrames++;
        if (lastCompletionNanos >= 0) {
            double gapMs = (nowNanos - lastCompletionNanos) / 1e6;
            bucketGaps++;
            bucketGapSum += gapMs;
            bucketGapSquares += gapMs * gapMs;
        }
        lastCompletionNanos = nowNanos;
    }

    /**
     * Closes every interval that ended by {@code nowNanos}.
     *
     * @return the intervals closed by this call, oldest first
     */
    public List<Interval> closeUpTo(long nowNanos) {
        int from = closed.size();
        while (nowNanos - startNanos >= (bucket + 1L) * intervalNanos) {
            double seconds = intervalNanos / 1e9;
            double mean = bucketGaps == 0 ? 0 : bucketGapSum / bucketGaps;
            double variance = bucketGaps == 0 ? 0 : Math.max(0, bucketGapSquares / bucketGaps - mean * mean);
            closed.add(new Interval(bucket, bucket * seconds, bucketFrames / seconds, mean, Math.sqrt(variance),
                    bucketLost));
            bucket++;
            bucketFrames = 0;
            bucketLost = 0;
            bucketGaps = 0;
            bucketGapSum = 0;
            bucketGapSquares = 0;
        }
        return List.copyOf(closed.subList(from, closed.size()));
    }

    /** @return every closed interval, oldest first */
    public List<Interval> intervals() {
        return List.copyOf(closed);
    }

    /** @return whether frame {@code frame} arrived complete */
    public boolean isComplete(long frame) {
        return frame < Integer.MAX_VALUE && completed.get((int) frame);
    }

    /** @return frames completed */
    public long completedFrames() {
        return completedFrames;
    }

    /** @return frames lost so far (a frame still arriving is not counted) */
    public long lostFrames() {
        return lostFrames;
    }

    /** @return lost frames known to be I-frames (a frame of which nothing arrived has no known type) */
    public long lostIFrames() {
        return lostIFrames;
    }

    /** @return datagrams that were not video datagrams */
    public long malformed() {
        return malformed;
    }

    /**
     * What one interval of arrival time saw.
     *
     * @param index the interval's number, from 0
     * @param startSeconds its start, from the meter's start
     * @param fps frames completed in it, per second
     * @param meanGapMs mean gap between consecutive completed frames ending in it
     * @param jitterMs standard deviation of those gaps
     * @param lostFrames frames found lost in it
     */
    public record Interval(int index, double startSeconds, double fps, double meanGapMs, double jitterMs,
            int lostFrames) {
    }
}
