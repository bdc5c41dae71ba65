package io.qsockets.linkemu;

/**
 * The rate-limited FIFO bottleneck of a {@link LinkModel}, on virtual time: each accepted packet
 * starts serializing when the previous one has finished (or when it arrives, if the link is
 * idle) and occupies the link for {@code wireBits / rate}. Packets that wait for the start of
 * their serialization form the queue; the tail-drop limits apply to them. Serialization times
 * are exact over any run: the remainder of each division carries into the next.
 */
final class Bottleneck {
    static final long QUEUE_FULL = Long.MIN_VALUE;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long rate;
    private final int overhead;
    private final long limitPackets;
    private final long limitBytes;

    private long busyUntil = Long.MIN_VALUE;
    private long carry;
    // the waiting packets: start of serialization and wire bytes, a growable ring
    private long[] starts = new long[16];
    private long[] sizes = new long[16];
    private int head;
    private int count;
    private long queuedBytes;

    Bottleneck(LinkProfile profile) {
        this.rate = profile.rateBitsPerSecond();
        this.overhead = profile.overheadBytes();
        this.limitPackets = profile.queueLimitPackets();
        this.limitBytes = profile.queueLimitBytes();
    }

    /**
     * @param length the payload length
     * @param now the arrival time, not earlier than the previous arrival
     * @return when the packet has left the bottleneck, or {@link #QUEUE_FULL} if it was dropped
     */
    long admit(int length, long now) {
        if (rate == 0) {
            return now;
        }
        long wireBytes = (long) length + overhead;
        long start = now;
        if (busyUntil > now) {
            leaveQueue(now);
            if (count + 1 > limitPackets || queuedBytes + wireBytes > limitBytes) {
                return QUEUE_FULL;
            }
            start = busyUntil;
            enqueue(start, wireBytes);
        }
        long bitNanos = wireBytes * 8 * NANOS_PER_SECOND + carry;
        busyUntil = start + bitNanos / rate;
        carry = bitNanos % rate;
        return busyUntil;
    }

    private void leaveQueue(long now) {
        while (count > 0 && starts[head] <= now) {
            queuedBytes -= sizes[head];
            head = (head + 1) % starts.length;
            count--;
        }
    }

    private void enqueue(long start, long wireBytes) {
        if (count == starts.length) {
            long[] s = new long[count * 2];
            long[] z = new long[count * 2];
            for (int i = 0; i < count; i++) {
                s[i] = starts[(head + i) % count];
                z[i] = sizes[(head + i) % count];
            }
            starts = s;
            sizes = z;
            head = 0;
        }
        int tail = (head + count) % starts.length;
        starts[tail] = start;
        sizes[tail] = wireBytes;
        queuedBytes += wireBytes;
        count++;
    }
}
