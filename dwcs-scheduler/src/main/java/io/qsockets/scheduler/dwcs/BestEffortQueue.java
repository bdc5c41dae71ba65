package io.qsockets.scheduler.dwcs;

import io.qsockets.scheduler.common.IndexedHeap;
import io.qsockets.scheduler.common.PacketList;

/**
 * A stream's packets without a deadline (only in streams without a period), in submission
 * order: a node of the scheduler's best-effort heap, keyed by the head unit's priority (higher
 * first), then its submission order, so that across streams the best-effort packets form one
 * FIFO per priority. Not thread-safe (engine thread).
 */
final class BestEffortQueue implements IndexedHeap.Node {
    private static final long SEQUENCE_MASK = (1L << 55) - 1;

    final Stream stream;
    final PacketList packets = new PacketList();
    private int heapIndex = -1;
    /** The head unit's submission order and priority. */
    long sequence;
    int priority;

    BestEffortQueue(Stream stream) {
        this.stream = stream;
    }

    /** @return the heap key: priority 255 first, then submission order */
    long key() {
        return (long) (255 - priority) << 55 | sequence & SEQUENCE_MASK;
    }

    @Override
    public int heapIndex() {
        return heapIndex;
    }

    @Override
    public void heapIndex(int index) {
        heapIndex = index;
    }
}
