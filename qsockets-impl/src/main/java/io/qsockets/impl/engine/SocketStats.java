package io.qsockets.impl.engine;

import io.qsockets.QInfo;
import io.qsockets.SchedulerAttributes;
import io.qsockets.SchedulerStats;
import io.qsockets.Transport;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.StampedLock;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * The traffic counters of one socket. Submissions are counted by application threads; everything
 * else by the engine thread, its single writer, with release stores. {@link #snapshot} reads them
 * from any thread.
 */
final class SocketStats {
    private final AtomicLong submittedPackets = new AtomicLong();
    private final AtomicLong submittedBytes = new AtomicLong();
    private final AtomicLong sentPackets = new AtomicLong();
    private final AtomicLong sentBytes = new AtomicLong();
    private final AtomicLong droppedPackets = new AtomicLong();
    private final AtomicLong droppedBytes = new AtomicLong();
    private final AtomicLong latePackets = new AtomicLong();
    private final AtomicLong queueDelaySumNanos = new AtomicLong();
    /** Made at the first departure: a socket that never sends costs no histogram. */
    private volatile SingleWriterRecorder queueDelay;
    private final Object queueDelayLock = new Object();
    private Histogram queueDelayTotal;
    private Histogram queueDelayInterval;
    private final DepartureWindow departures = new DepartureWindow(QInfo.RECENT_WINDOW);

    /** Any thread. */
    void submitted(int bytes) {
        submittedPackets.incrementAndGet();
        submittedBytes.addAndGet(bytes);
    }

    /** Any thread: a datagram that never reached the engine (back-pressure). */
    void droppedOnSubmit(int bytes) {
        droppedPackets.incrementAndGet();
        droppedBytes.addAndGet(bytes);
    }

    /** Engine thread. */
    void sent(int bytes, long queueDelayNanos, boolean late, long now) {
        sentPackets.lazySet(sentPackets.get() + 1);
        sentBytes.lazySet(sentBytes.get() + bytes);
        if (late) {
            latePackets.lazySet(latePackets.get() + 1);
        }
        queueDelaySumNanos.lazySet(queueDelaySumNanos.get() + queueDelayNanos);
        SingleWriterRecorder recorder = queueDelay;
        if (recorder == null) {
            recorder = new SingleWriterRecorder(3);
            queueDelay = recorder;
        }
        recorder.recordValue(Math.max(0, queueDelayNanos));
        departures.record(now, bytes);
    }

    /** Engine thread. */
    void dropped(int bytes) {
        droppedPackets.incrementAndGet();
        droppedBytes.addAndGet(bytes);
    }

    /** Any thread. */
    QInfo snapshot(String scheduler, Transport transport, SchedulerAttributes attributes, int queueLength,
            long receivedPackets, SchedulerStats schedulerStats) {
        long p99 = 0;
        SingleWriterRecorder recorder = queueDelay;
        if (recorder != null) {
            synchronized (queueDelayLock) {
                if (queueDelayTotal == null) {
                    queueDelayTotal = new Histogram(3);
                }
                queueDelayInterval = recorder.getIntervalHistogram(queueDelayInterval);
                queueDelayTotal.add(queueDelayInterval);
                p99 = queueDelayTotal.getTotalCount() == 0 ? 0 : queueDelayTotal.getValueAtPercentile(99);
            }
        }
        long sent = sentPackets.get();
        DepartureWindow.Summary recent = departures.summary();
        return new QInfo(scheduler, transport, attributes,
                submittedPackets.get(), submittedBytes.get(),
                sent, sentBytes.get(),
                droppedPackets.get(), droppedBytes.get(),
                latePackets.get(), queueLength,
                sent == 0 ? 0 : queueDelaySumNanos.get() / sent, p99,
                recent.packetsPerSecond(), recent.bitsPerSecond(), recent.jitterNanos(),
                receivedPackets, schedulerStats);
    }

    /**
     * The last {@code capacity} departures: running sums of the gaps between them, guarded by a
     * stamped lock so that readers see one consistent window.
     */
    static final class DepartureWindow {
        private final long[] gaps;
        private final int[] sizes;
        private final StampedLock lock = new StampedLock();
        private long lastDeparture = Long.MIN_VALUE;
        private int next;
        private int count;
        private long sumGaps;
        private double sumSquares;
        private long sumBytes;

        DepartureWindow(int capacity) {
            gaps = new long[capacity];
            sizes = new int[capacity];
        }

        void record(long now, int bytes) {
            long stamp = lock.writeLock();
            try {
                if (lastDeparture != Long.MIN_VALUE) {
                    long gap = now - lastDeparture;
                    if (count == gaps.length) {
                        sumGaps -= gaps[next];
                        sumSquares -= (double) gaps[next] * gaps[next];
                        sumBytes -= sizes[next];
                    } else {
                        count++;
                    }
                    gaps[next] = gap;
                    sizes[next] = bytes;
                    sumGaps += gap;
                    sumSquares += (double) gap * gap;
                    sumBytes += bytes;
                    next = (next + 1) % gaps.length;
                }
                lastDeparture = now;
            } finally {
                lock.unlockWrite(stamp);
            }
        }

        Summary summary() {
            long stamp = lock.readLock();
            try {
                if (count == 0 || sumGaps <= 0) {
                    return new Summary(0, 0, 0);
                }
                double meanGap = (double) sumGaps / count;
                double variance = Math.max(0, sumSquares / count - meanGap * meanGap);
                return new Summary(count * 1e9 / sumGaps, sumBytes * 8e9 / sumGaps, Math.round(Math.sqrt(variance)));
            } finally {
                lock.unlockRead(stamp);
            }
        }

        record Summary(double packetsPerSecond, double bitsPerSecond, long jitterNanos) {
        }
    }
}
