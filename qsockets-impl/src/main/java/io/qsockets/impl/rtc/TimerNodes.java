package io.qsockets.impl.rtc;

import java.util.Arrays;

/**
 * The pooled timer nodes of a {@link TimingWheel}, stored as parallel arrays (struct of arrays)
 * and threaded onto intrusive doubly-linked lists, so that scheduling and cancelling allocate
 * nothing once the pool has grown to the peak number of pending timers.
 *
 * <p>A node is named from outside by an id that packs its index (low 32 bits) with its
 * generation (high 32 bits, 1 to {@code Integer.MAX_VALUE}); the generation changes every time
 * the node is released, so an id held after its timer fired or was cancelled no longer resolves.
 * Ids are positive. An id could only resolve again after its node has been reused
 * 2<sup>31</sup> - 1 times.
 *
 * <p>Not thread-safe: confined to the wheel's owner thread.
 */
final class TimerNodes {

    /** No node: the end of a list, or an id that does not resolve. */
    static final int NIL = -1;
    /** The list of a node that is in no list (pending but detached, or free). */
    static final int DETACHED = -1;

    private final int[] heads;
    private final int[] tails;

    private long[] deadlines;
    private long[] sequences;
    private TimerHandler[] handlers;
    private int[] generations;
    private int[] lists;
    private int[] nexts;
    private int[] prevs;
    private int freeHead = NIL;

    /**
     * @param listCount how many lists nodes can be linked into, numbered from 0
     * @param initialCapacity how many nodes to allocate up front
     */
    TimerNodes(int listCount, int initialCapacity) {
        heads = new int[listCount];
        tails = new int[listCount];
        Arrays.fill(heads, NIL);
        Arrays.fill(tails, NIL);
        deadlines = new long[0];
        sequences = new long[0];
        handlers = new TimerHandler[0];
        generations = new int[0];
        lists = new int[0];
        nexts = new int[0];
        prevs = new int[0];
        grow(Math.max(1, initialCapacity));
    }

    /** @return a detached node holding the given timer, growing the pool if it is exhausted */
    int allocate(long deadlineNanos, long sequence, TimerHandler handler) {
        if (freeHead == NIL) {
            grow(nexts.length * 2);
        }
        int node = freeHead;
        freeHead = nexts[node];
        nexts[node] = NIL;
        lists[node] = DETACHED;
        deadlines[node] = deadlineNanos;
        sequences[node] = sequence;
        handlers[node] = handler;
        return node;
    }

    /** Returns a detached node to the pool; every id naming it stops resolving. */
    void release(int node) {
        handlers[node] = null;
        generations[node] = generations[node] == Integer.MAX_VALUE ? 1 : generations[node] + 1;
        nexts[node] = freeHead;
        freeHead = node;
    }

    long deadlineOf(int node) {
        return deadlines[node];
    }

    TimerHandler handlerOf(int node) {
        return handlers[node];
    }

    long idOf(int node) {
        return (long) generations[node] << 32 | node;
    }

    /** @return the node a timer id names while that timer is pending, else {@link #NIL} */
    int nodeOf(long id) {
        int node = (int) id;
        if (id <= 0 || node < 0 || node >= generations.length) {
            return NIL;
        }
        boolean live = handlers[node] != null && generations[node] == (int) (id >>> 32);
        return live ? node : NIL;
    }

    /** @return whether node {@code a}'s timer expires before node {@code b}'s (deadline, then FIFO) */
    boolean before(int a, int b) {
        long da = deadlines[a];
        long db = deadlines[b];
        return da < db || (da == db && sequences[a] < sequences[b]);
    }

    int head(int list) {
        return heads[list];
    }

    int next(int node) {
        return nexts[node];
    }

    boolean isEmpty(int list) {
        return heads[list] == NIL;
    }

    /** @return the list the node is linked into, or {@link #DETACHED} */
    int listOf(int node) {
        return lists[node];
    }

    /** Links a detached node at the tail of a list. */
    void append(int list, int node) {
        int tail = tails[list];
        prevs[node] = tail;
        nexts[node] = NIL;
        if (tail == NIL) {
            heads[list] = node;
        } else {
            nexts[tail] = node;
        }
        tails[list] = node;
        lists[node] = list;
    }

    /** Unlinks a node from its list, leaving it detached. */
    void unlink(int node) {
        int list = lists[node];
        int prev = prevs[node];
        int next = nexts[node];
        if (prev == NIL) {
            heads[list] = next;
        } else {
            nexts[prev] = next;
        }
        if (next == NIL) {
            tails[list] = prev;
        } else {
            prevs[next] = prev;
        }
        nexts[node] = NIL;
        prevs[node] = NIL;
        lists[node] = DETACHED;
    }

    private void grow(int newCapacity) {
        int oldCapacity = nexts.length;
        if (newCapacity <= oldCapacity) {
            throw new IllegalStateException("timer pool cannot grow beyond " + oldCapacity + " nodes");
        }
        deadlines = Arrays.copyOf(deadlines, newCapacity);
        sequences = Arrays.copyOf(sequences, newCapacity);
        handlers = Arrays.copyOf(handlers, newCapacity);
        generations = Arrays.copyOf(generations, newCapacity);
        lists = Arrays.copyOf(lists, newCapacity);
        nexts = Arrays.copyOf(nexts, newCapacity);
        prevs = Arrays.copyOf(prevs, newCapacity);
        for (int node = newCapacity - 1; node >= oldCapacity; node--) {
            generations[node] = 1;
            lists[node] = DETACHED;
            nexts[node] = freeHead;
            freeHead = node;
        }
    }
}
