package io.qsockets.impl.sendqueue;

/**
 * A binary heap of window entries with removal of any member in O(log n): each entry remembers
 * its position in this heap. The capacity is fixed, so nothing is allocated after construction.
 */
final class EntryHeap {
    /** Orders two entries. */
    @FunctionalInterface
    interface Order {
        /** @return whether {@code a} comes out before {@code b} */
        boolean before(WindowEntry a, WindowEntry b);
    }

    private final WindowEntry[] heap;
    private final int which;
    private final Order order;
    private int size;

    EntryHeap(int capacity, int which, Order order) {
        this.heap = new WindowEntry[capacity];
        this.which = which;
        this.order = order;
    }

    int size() {
        return size;
    }

    WindowEntry peek() {
        return size == 0 ? null : heap[0];
    }

    boolean contains(WindowEntry e) {
        return e.heapIndex[which] >= 0;
    }

    void add(WindowEntry e) {
        if (contains(e)) {
            return;
        }
        heap[size] = e;
        e.heapIndex[which] = size;
        size++;
        siftUp(size - 1);
    }

    void remove(WindowEntry e) {
        int i = e.heapIndex[which];
        if (i < 0) {
            return;
        }
        e.heapIndex[which] = -1;
        size--;
        if (i == size) {
            heap[size] = null;
            return;
        }
        WindowEntry last = heap[size];
        heap[size] = null;
        heap[i] = last;
        last.heapIndex[which] = i;
        siftDown(i);
        siftUp(last.heapIndex[which]);
    }

    private void siftUp(int i) {
        WindowEntry e = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            WindowEntry p = heap[parent];
            if (!order.before(e, p)) {
                break;
            }
            heap[i] = p;
            p.heapIndex[which] = i;
            i = parent;
        }
        heap[i] = e;
        e.heapIndex[which] = i;
    }

    private void siftDown(int i) {
        WindowEntry e = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && order.before(heap[right], heap[child])) {
                child = right;
            }
            if (!order.before(heap[child], e)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex[which] = i;
            i = child;
        }
        heap[i] = e;
        e.heapIndex[which] = i;
    }
}
