package io.qsockets.scheduler.dwcs;

import io.qsockets.scheduler.common.IndexedHeap;
import io.qsockets.scheduler.common.PacketList;

/**
 * A stream's deadline-constrained packets (those with a deadline of their own, and every packet
 * of a stream with a period), in submission order, and the keys of its head, which place it in
 * the scheduler's ready heap (eligible; keyed by deadline) or pending heap (paced; keyed by the
 * start of its request period). Not thread-safe (engine thread).
 */
final class DeadlineQueue implements IndexedHeap.Node {
    final Stream stream;
    final PacketList packets = new PacketList();
    private int heapIndex = -1;
    /** Whether the queue waits in the pending heap rather than the ready heap. */
    boolean inPending;

    // ---- the head's keys, set by the scheduler whenever the head changes ----
    /** The deadline the head is ordered by. */
    long deadline;
    /** The deadline the head is late after, or {@code NO_DEADLINE} if it is not checked again. */
    long check;
    /** When the head may leave. */
    long eligible;
    /** The head unit's submission order and priority, for ties. */
    long sequence;
    int priority;
    /** Whether the head continues a frame that has started to leave. */
    boolean continuation;
    /** Whether the head is never dropped (a non-droppable packet, or a NON_DROPPABLE stream). */
    boolean nonDroppable;
    /** The stream's window when the head was keyed: {@code x'}, {@code y'}, violations since the last reset. */
    int xc;
    int yc;
    long boost;
    /** The tie words in the ready heap ({@link Precedence}). */
    long tie0;
    long tie1;
    long tie2;

    DeadlineQueue(Stream stream) {
        this.stream = stream;
    }

    @Override
    public long heapTie(int word) {
        return word == 0 ? tie0 : word == 1 ? tie1 : tie2;
    }

    @Override
    public int heapIndex() {
        return heapIndex;
    }

    @Override
    public void heapIndex(int index) {
        heapIndex = index;
    }

    @Override
    public String toString() {
        return "DeadlineQueue[stream=" + stream.id + ", size=" + packets.size() + ", deadline=" + deadline
                + ", eligible=" + eligible + (continuation ? ", continuation" : "") + "]";
    }
}
