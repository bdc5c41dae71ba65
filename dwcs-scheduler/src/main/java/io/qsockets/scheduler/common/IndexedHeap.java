package io.qsockets.scheduler.common;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A 4-ary min-heap whose elements know their position, so that removing or re-keying any
 * element costs O(log n). Elements implement {@link Node}.
 *
 * <p>Elements are ordered by a {@code long} key, then by up to a fixed number of {@code long}
 * tie words (which the heap copies from the element, {@link Node#heapTie}, when it is added or
 * updated), then by the optional comparator. Keys and tie words live in arrays beside the
 * elements, so that a comparison reads no element unless everything else is equal: that keeps
 * the cost of a decision low once the elements no longer fit in the cache. Four children per node
 * halve the depth of a binary heap, and their keys share a cache line. A heap that gives no keys
 * ({@link #add(Node)}, {@link #update(Node)}) orders by the comparator alone.
 *
 * <p>Not thread-safe.
 *
 * @param <T> the element type
 */
public final class IndexedHeap<T extends IndexedHeap.Node> {

    /** An element that stores its own heap position. */
    public interface Node {
        /** @return the position, or -1 when not in a heap */
        int heapIndex();

        /** @param index the new position, or -1 */
        void heapIndex(int index);

        /**
         * @param word 0 to the heap's tie width − 1
         * @return the tie word {@code word}, read when the element is added or updated: lower goes first
         */
        default long heapTie(int word) {
            return 0;
        }
    }

    private final Comparator<? super T> order;
    private final int width;
    private Node[] nodes = new Node[16];
    private long[] keys = new long[16];
    /** Tie words 0, 1, 2, 3 by position; empty beyond the width. */
    private long[] t0;
    private long[] t1;
    private long[] t2;
    private long[] t3;
    /** The tie words of the element being placed. */
    private long h0;
    private long h1;
    private long h2;
    private long h3;
    private int size;

    /** @param order the order among equal keys, or null if ties may come out in any order */
    public IndexedHeap(Comparator<? super T> order) {
        this(0, order);
    }

    /**
     * @param tieWords how many tie words each element has, 0 to 4
     * @param order the order among equal keys and tie words, or null if those may come out in any order
     */
    public IndexedHeap(int tieWords, Comparator<? super T> order) {
        if (tieWords < 0 || tieWords > 4) {
            throw new IllegalArgumentException("tie words " + tieWords + " must be between 0 and 4");
        }
        this.order = order;
        this.width = tieWords;
        t0 = new long[tieWords > 0 ? 16 : 0];
        t1 = new long[tieWords > 1 ? 16 : 0];
        t2 = new long[tieWords > 2 ? 16 : 0];
        t3 = new long[tieWords > 3 ? 16 : 0];
    }

    /** @return the number of elements */
    public int size() {
        return size;
    }

    /** @return whether the heap is empty */
    public boolean isEmpty() {
        return size == 0;
    }

    /** @return the least element, or null */
    @SuppressWarnings("unchecked")
    public T peek() {
        return size == 0 ? null : (T) nodes[0];
    }

    /** @return the key of the least element, or {@link Long#MAX_VALUE} if the heap is empty */
    public long peekKey() {
        return size == 0 ? Long.MAX_VALUE : keys[0];
    }

    /** @return the least element, removed, or null */
    public T poll() {
        T top = peek();
        if (top != null) {
            removeAt(0);
        }
        return top;
    }

    /** @return whether {@code node} is in the heap */
    public boolean contains(T node) {
        int i = node.heapIndex();
        return i >= 0 && i < size && nodes[i] == node;
    }

    /** Adds {@code node} with key 0; it must not be in a heap. */
    public void add(T node) {
        add(node, 0);
    }

    /** Adds {@code node}, which must not be in a heap, with {@code key} and its tie words. */
    public void add(T node, long key) {
        if (size == nodes.length) {
            int n = size * 2;
            nodes = Arrays.copyOf(nodes, n);
            keys = Arrays.copyOf(keys, n);
            t0 = Arrays.copyOf(t0, width > 0 ? n : 0);
            t1 = Arrays.copyOf(t1, width > 1 ? n : 0);
            t2 = Arrays.copyOf(t2, width > 2 ? n : 0);
            t3 = Arrays.copyOf(t3, width > 3 ? n : 0);
        }
        hold(node);
        siftUp(size++, node, key);
    }

    /** Removes {@code node} if present. */
    public void remove(T node) {
        if (contains(node)) {
            removeAt(node.heapIndex());
        }
    }

    /** Restores the order after {@code node}'s tie words or comparator fields changed, keeping its key; adds it (key 0) if absent. */
    public void update(T node) {
        if (!contains(node)) {
            add(node, 0);
            return;
        }
        hold(node);
        int i = node.heapIndex();
        resift(i, node, keys[i]);
    }

    /** Gives {@code node} {@code key}, reads its tie words and restores the order; adds it if absent. */
    public void update(T node, long key) {
        if (!contains(node)) {
            add(node, key);
            return;
        }
        hold(node);
        resift(node.heapIndex(), node, key);
    }

    /** Copies {@code node}'s tie words into {@link #h0} … {@link #h3}, the words of the element being placed. */
    private void hold(Node node) {
        int w = width;
        h0 = w > 0 ? node.heapTie(0) : 0;
        h1 = w > 1 ? node.heapTie(1) : 0;
        h2 = w > 2 ? node.heapTie(2) : 0;
        h3 = w > 3 ? node.heapTie(3) : 0;
    }

    /** Holds the tie words of entry {@code i}. */
    private void holdEntry(int i) {
        int w = width;
        h0 = w > 0 ? t0[i] : 0;
        h1 = w > 1 ? t1[i] : 0;
        h2 = w > 2 ? t2[i] : 0;
        h3 = w > 3 ? t3[i] : 0;
    }

    private void resift(int i, Node node, long key) {
        if (i > 0 && heldBefore(key, node, (i - 1) >>> 2)) {
            siftUp(i, node, key);
        } else {
            siftDown(i, node, key);
        }
    }

    private void removeAt(int i) {
        Node gone = nodes[i];
        size--;
        Node last = nodes[size];
        nodes[size] = null;
        gone.heapIndex(-1);
        if (i != size) {
            holdEntry(size);
            resift(i, last, keys[size]);
        }
    }

    /**
     * @return negative if entry {@code j}'s tie words come after the held ones, positive if
     *     before, 0 if equal
     */
    private int compareHeldTies(int j) {
        int w = width;
        if (w == 0) {
            return 0;
        }
        long b = t0[j];
        if (h0 != b) {
            return h0 < b ? -1 : 1;
        }
        if (w == 1) {
            return 0;
        }
        b = t1[j];
        if (h1 != b) {
            return h1 < b ? -1 : 1;
        }
        if (w == 2) {
            return 0;
        }
        b = t2[j];
        if (h2 != b) {
            return h2 < b ? -1 : 1;
        }
        if (w == 3) {
            return 0;
        }
        b = t3[j];
        return h3 == b ? 0 : h3 < b ? -1 : 1;
    }

    /** @return negative if entry {@code i}'s tie words come before entry {@code j}'s, positive if after, 0 if equal */
    private int compareTies(int i, int j) {
        int w = width;
        if (w == 0) {
            return 0;
        }
        long a = t0[i];
        long b = t0[j];
        if (a != b) {
            return a < b ? -1 : 1;
        }
        if (w == 1) {
            return 0;
        }
        a = t1[i];
        b = t1[j];
        if (a != b) {
            return a < b ? -1 : 1;
        }
        if (w == 2) {
            return 0;
        }
        a = t2[i];
        b = t2[j];
        if (a != b) {
            return a < b ? -1 : 1;
        }
        if (w == 3) {
            return 0;
        }
        a = t3[i];
        b = t3[j];
        return a == b ? 0 : a < b ? -1 : 1;
    }

    /** @return whether the held element (key {@code key}) goes before entry {@code j} */
    @SuppressWarnings("unchecked")
    private boolean heldBefore(long key, Node node, int j) {
        long kj = keys[j];
        if (key != kj) {
            return key < kj;
        }
        int c = compareHeldTies(j);
        if (c != 0) {
            return c < 0;
        }
        return order != null && order.compare((T) node, (T) nodes[j]) < 0;
    }

    /** @return whether entry {@code i} goes before entry {@code j} */
    @SuppressWarnings("unchecked")
    private boolean entryBefore(int i, int j) {
        long ki = keys[i];
        long kj = keys[j];
        if (ki != kj) {
            return ki < kj;
        }
        int c = compareTies(i, j);
        if (c != 0) {
            return c < 0;
        }
        return order != null && order.compare((T) nodes[i], (T) nodes[j]) < 0;
    }

    /** @return whether entry {@code j} goes before the held element */
    @SuppressWarnings("unchecked")
    private boolean entryBeforeHeld(int j, long key, Node node) {
        long kj = keys[j];
        if (kj != key) {
            return kj < key;
        }
        int c = compareHeldTies(j);
        if (c != 0) {
            return c > 0;
        }
        return order != null && order.compare((T) nodes[j], (T) node) < 0;
    }

    /** Moves the hole at {@code i} up until the held element fits, then puts it there. */
    private void siftUp(int i, Node node, long key) {
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            if (!heldBefore(key, node, parent)) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        put(i, node, key);
    }

    /** Moves the hole at {@code i} down until the held element fits, then puts it there. */
    private void siftDown(int i, Node node, long key) {
        while (true) {
            int first = 4 * i + 1;
            if (first >= size) {
                break;
            }
            int child = first;
            int end = Math.min(first + 4, size);
            for (int c = first + 1; c < end; c++) {
                if (entryBefore(c, child)) {
                    child = c;
                }
            }
            if (!entryBeforeHeld(child, key, node)) {
                break;
            }
            move(child, i);
            i = child;
        }
        put(i, node, key);
    }

    private void move(int from, int to) {
        Node n = nodes[from];
        nodes[to] = n;
        keys[to] = keys[from];
        int w = width;
        if (w > 0) {
            t0[to] = t0[from];
            if (w > 1) {
                t1[to] = t1[from];
                if (w > 2) {
                    t2[to] = t2[from];
                    if (w > 3) {
                        t3[to] = t3[from];
                    }
                }
            }
        }
        n.heapIndex(to);
    }

    private void put(int i, Node node, long key) {
        nodes[i] = node;
        keys[i] = key;
        int w = width;
        if (w > 0) {
            t0[i] = h0;
            if (w > 1) {
                t1[i] = h1;
                if (w > 2) {
                    t2[i] = h2;
                    if (w > 3) {
                        t3[i] = h3;
                    }
                }
            }
        }
        node.heapIndex(i);
    }
}
