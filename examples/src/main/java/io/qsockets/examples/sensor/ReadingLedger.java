package io.qsockets.examples.sensor;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The collector's books: which readings arrived, which of them after their deadline, and which
 * never did. Intervals are of arrival time; at the close of each interval, readings numbered at or
 * below the highest number seen at the previous close that have still not arrived are counted
 * lost (an interval is far longer than any reordering by deadline). Not thread-safe: the
 * receiving thread owns it.
 */
public final class ReadingLedger {
    private final long startMicros;
    private final long intervalMicros;
    private final ReadingWire wire = new ReadingWire();
    private final BitSet received = new BitSet();
    private final BitSet late = new BitSet();
    private final List<Interval> closed = new ArrayList<>();
    private long maxSeq = -1;
    private long watermark = -1;
    private long lostCounted = -1;
    private long receivedTotal;
    private long lateTotal;
    private long lostTotal;
    private long duplicates;
    private long malformed;
    private int bucket;
    private int bucketReceived;
    private int bucketLate;

    /**
     * @param startMicros where interval 0 starts (wall clock, µs since the epoch)
     * @param intervalMicros the interval length, positive
     */
    public ReadingLedger(long startMicros, long intervalMicros) {
        if (intervalMicros <= 0) {
            throw new IllegalArgumentException("interval " + intervalMicros + " µs must be positive");
        }
        this.startMicros = startMicros;
        this.intervalMicros = intervalMicros;
    }

    /** Accounts for one datagram that arrived at {@code nowMicros}. */
    public void onDatagram(byte[] buf, int offset, int length, long nowMicros) {
        closeUpTo(nowMicros);
        if (!wire.read(buf, offset, length) || wire.seq() >= Integer.MAX_VALUE) {
            malformed++;
            return;
        }
        int seq = (int) wire.seq();
        if (received.get(seq)) {
            duplicates++;
            return;
        }
        received.set(seq);
        maxSeq = Math.max(maxSeq, seq);
        if (seq <= lostCounted) {
            lostTotal--;
        }
        receivedTotal++;
        bucketReceived++;
        if (nowMicros > wire.deadlineMicros()) {
            late.set(seq);
            lateTotal++;
            bucketLate++;
        }
    }

    /**
     * Closes every interval that ended by {@code nowMicros}.
     *
     * @return the intervals closed by this call
     */
    public List<Interval> closeUpTo(long nowMicros) {
        int from = closed.size();
        while (nowMicros - startMicros >= (bucket + 1L) * intervalMicros) {
            int lost = countLost(watermark);
            closed.add(new Interval(bucket, bucket * intervalMicros / 1e6, bucketReceived, bucketLate, lost));
            watermark = maxSeq;
            bucket++;
            bucketReceived = 0;
            bucketLate = 0;
        }
        return List.copyOf(closed.subList(from, closed.size()));
    }

    private int countLost(long upTo) {
        int lost = 0;
        for (long s = lostCounted + 1; s <= upTo; s++) {
            if (!received.get((int) s)) {
                lost++;
            }
        }
        lostCounted = Math.max(lostCounted, upTo);
        lostTotal += lost;
        return lost;
    }

    /**
     * Counts as lost every reading up to {@code lastSeq} that has not arrived (the sensor's last
     * number, when known; else the highest seen).
     */
    public void finish(long lastSeq) {
        countLost(Math.max(lastSeq, maxSeq));
    }

    /** @return every closed interval, oldest first */
    public List<Interval> intervals() {
        return List.copyOf(closed);
    }

    /** @return whether reading {@code seq} arrived */
    public boolean received(long seq) {
        return seq < Integer.MAX_VALUE && received.get((int) seq);
    }

    /** @return whether reading {@code seq} arrived after its deadline */
    public boolean late(long seq) {
        return seq < Integer.MAX_VALUE && late.get((int) seq);
    }

    /** @return readings received */
    public long receivedTotal() {
        return receivedTotal;
    }

    /** @return readings received after their deadline */
    public long lateTotal() {
        return lateTotal;
    }

    /** @return readings counted lost */
    public long lostTotal() {
        return lostTotal;
    }

    /** @return readings received twice */
    public long duplicates() {
        return duplicates;
    }

    /** @return datagrams that were not readings */
    public long malformed() {
        return malformed;
    }

    /**
     * One interval of arrival time.
     *
     * @param index the interval's number
     * @param startSeconds its start from the ledger's start
     * @param received readings that arrived in it
     * @param late of those, how many after their deadline
     * @param lost readings found lost at its close
     */
    public record Interval(int index, double startSeconds, int received, int late, int lost) {
    }
}
