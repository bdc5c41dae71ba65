package io.qsockets.impl.rtc;

import java.util.Arrays;
import java.util.Objects;

/**
 * A hierarchical timing wheel: O(1) {@link #schedule schedule} and {@link #cancel cancel}, timers
 * fired by {@link #expire expire} in exact deadline order.
 *
 * <p><b>Structure.</b> Time is cut into ticks of {@code tickNanos} (a power of two), and a tick
 * number is read as base-64 digits. Level {@code L} has 64 slots, one per value of digit
 * {@code L}, and one occupancy bitmap (a {@code long}); there are as many levels as a
 * {@code long} has digits, so no deadline is out of range (with the default 1024 ns tick: 9
 * levels; level 0 spans 65 µs, level 3 17 s, level 6 52 days). A timer sits at the level of the
 * highest digit in which its tick differs from the wheel's current tick (a past deadline counts
 * as the current tick), and moves down (cascades) when the wheel reaches its slot; so every timer
 * of a lower level expires before every timer of a higher one, and within a level slots expire
 * in index order. Expiry jumps from occupied slot to occupied slot with
 * {@link Long#numberOfTrailingZeros}, so its cost does not depend on how much time passed
 * between two calls. The timers due in one tick are sorted when it fires, so the order is exact
 * to the nanosecond, ties first scheduled first fired.
 *
 * <p><b>Time</b> comes only from the arguments ({@code startNanos}, deadlines and
 * {@code nowNanos} share one origin, e.g. {@link System#nanoTime()} or a simulated clock);
 * {@code nowNanos} should not decrease from one {@code expire} call to the next.
 *
 * <p><b>Memory.</b> Timer nodes are pooled in parallel arrays linked into intrusive lists: after
 * the pool has grown to the peak number of pending timers, schedule, cancel and expire allocate
 * nothing.
 *
 * <p><b>Thread-safety:</b> none. A wheel is confined to its owner thread (e.g. the engine's duty
 * cycle, or the {@link Rtc} thread); handlers run on that thread.
 */
public final class TimingWheel {

    /** The suggested tick: 1024 ns. */
    public static final long DEFAULT_TICK_NANOS = 1024;

    private static final int SLOT_BITS = 6;
    private static final int SLOTS = 1 << SLOT_BITS;
    private static final int SLOT_MASK = SLOTS - 1;
    private static final int NO_LEVEL = -1;
    private static final int DEFAULT_CAPACITY = 256;
    private static final int NIL = TimerNodes.NIL;

    private final long tickNanos;
    private final int tickShift;
    private final long startNanos;
    private final int levels;
    private final long[] occupied;
    /** The list of timers scheduled by handlers during {@link #expire}: wheel slots come first. */
    private final int deferredList;
    private final TimerNodes nodes;

    /** Ids of the timers detached from a slot because they are due, sorted, being fired. */
    private long[] firing = new long[16];
    private int firingCount;
    private int firingNext;

    /** Unsigned: the tick the wheel has reached; every pending timer's slot is at or after it. */
    private long currentTick;
    private long nextSequence;
    private int size;
    private boolean expiring;
    private long earliestDeadline = Long.MAX_VALUE;
    private boolean earliestKnown = true;

    /**
     * @param tickNanos the tick, a power of two from 1 ns ({@link #DEFAULT_TICK_NANOS} suits
     *     microsecond pacing); a coarser tick means fewer cascades, never a less exact order
     * @param startNanos the current time; the wheel's origin
     * @throws IllegalArgumentException if {@code tickNanos} is not a positive power of two
     */
    public TimingWheel(long tickNanos, long startNanos) {
        this(tickNanos, startNanos, DEFAULT_CAPACITY);
    }

    /**
     * @param tickNanos as {@link #TimingWheel(long, long)}
     * @param startNanos the current time; the wheel's origin
     * @param initialCapacity how many timer nodes to pool up front (the pool doubles when full)
     * @throws IllegalArgumentException if {@code tickNanos} is not a positive power of two or
     *     {@code initialCapacity} is not positive
     */
    public TimingWheel(long tickNanos, long startNanos, int initialCapacity) {
        if (tickNanos <= 0 || Long.bitCount(tickNanos) != 1) {
            throw new IllegalArgumentException(
                    "tickNanos must be a positive power of two (e.g. 1024), got " + tickNanos);
        }
        if (initialCapacity <= 0) {
            throw new IllegalArgumentException("initialCapacity must be positive, got " + initialCapacity);
        }
        this.tickNanos = tickNanos;
        this.tickShift = Long.numberOfTrailingZeros(tickNanos);
        this.startNanos = startNanos;
        this.levels = (Long.SIZE - tickShift + SLOT_BITS - 1) / SLOT_BITS;
        this.occupied = new long[levels];
        this.deferredList = levels * SLOTS;
        this.nodes = new TimerNodes(deferredList + 1, initialCapacity);
    }

    /** @return the tick this wheel was built with, in nanoseconds */
    public long tickNanos() {
        return tickNanos;
    }

    /**
     * Schedules a timer. A deadline already past fires on the next {@link #expire} call. A timer
     * scheduled by a handler while {@code expire} runs is not fired by that call, even if it is
     * already due: the next call fires it (so a handler that keeps rescheduling at {@code now}
     * cannot make {@code expire} loop forever). O(1).
     *
     * @param deadlineNanos when the timer expires, on the wheel's time origin
     * @param handler what to call when it does
     * @return the timer's id, positive, for {@link #cancel}; ids of fired or cancelled timers do
     *     not resolve any more, even after their pooled node is reused
     * @throws NullPointerException if {@code handler} is null
     */
    public long schedule(long deadlineNanos, TimerHandler handler) {
        Objects.requireNonNull(handler, "handler must not be null");
        int node = nodes.allocate(deadlineNanos, nextSequence++, handler);
        if (expiring) {
            nodes.append(deferredList, node);
        } else {
            place(node);
        }
        size++;
        if (earliestKnown && deadlineNanos < earliestDeadline) {
            earliestDeadline = deadlineNanos;
        }
        return nodes.idOf(node);
    }

    /**
     * Cancels a pending timer, including one a handler cancels while {@code expire} is firing
     * timers due at the same time. O(1).
     *
     * @param timerId an id returned by {@link #schedule}
     * @return true if the timer was pending and now will not fire; false if it already fired,
     *     was already cancelled, or the id is unknown
     */
    public boolean cancel(long timerId) {
        int node = nodes.nodeOf(timerId);
        if (node == NIL) {
            return false;
        }
        if (nodes.listOf(node) != TimerNodes.DETACHED) {
            unlink(node);
        }
        retire(node);
        return true;
    }

    /**
     * Fires every pending timer whose deadline is at or before {@code nowNanos}, in deadline
     * order, ties in the order they were scheduled. Handlers run inside this call and may
     * schedule and cancel timers (see {@link #schedule} for what a handler schedules). If a
     * handler throws, the exception propagates after the wheel is made consistent again: the
     * due timers not fired yet stay pending and fire on the next call.
     *
     * <p>Cost: O(number of timers fired + number of timers cascaded + number of occupied slots
     * passed), plus sorting the timers due within each tick; independent of the time elapsed.
     *
     * @param nowNanos the current time
     * @return how many timers fired
     * @throws IllegalStateException if called from a handler of this wheel
     */
    public int expire(long nowNanos) {
        if (expiring) {
            throw new IllegalStateException("expire must not be called from a timer handler");
        }
        expiring = true;
        try {
            return advanceTo(nowNanos);
        } finally {
            expiring = false;
            requeueUnfired();
            placeDeferred();
        }
    }

    /**
     * The exact earliest deadline among pending timers. O(1) while the earliest timer has not
     * fired or been cancelled since the last call; otherwise one scan of the earliest occupied
     * slot (O(levels + timers in that slot)), then O(1) again.
     *
     * @return that deadline, or {@link Long#MAX_VALUE} if no timer is pending
     */
    public long nextDeadlineNanos() {
        if (!earliestKnown) {
            earliestDeadline = findEarliestDeadline();
            earliestKnown = true;
        }
        return earliestDeadline;
    }

    /** @return how many timers are pending */
    public int size() {
        return size;
    }

    private int advanceTo(long nowNanos) {
        long nowTick = maxUnsigned(tickOf(nowNanos), currentTick);
        int fired = 0;
        for (int level = lowestOccupiedLevel(); level != NO_LEVEL; level = lowestOccupiedLevel()) {
            int slot = Long.numberOfTrailingZeros(occupied[level]);
            long slotTick = slotStartTick(level, slot);
            if (Long.compareUnsigned(slotTick, nowTick) > 0) {
                break;
            }
            currentTick = slotTick;
            int list = listIndex(level, slot);
            if (level > 0) {
                cascade(list);
                continue;
            }
            fired += fireDue(list, nowNanos);
            if (!nodes.isEmpty(list)) {
                return fired; // what is left of this tick expires after nowNanos
            }
        }
        currentTick = nowTick;
        return fired;
    }

    /** Moves every timer of a higher-level slot the wheel has reached down to a lower level. */
    private void cascade(int list) {
        clearOccupied(list);
        for (int node = nodes.head(list); node != NIL; node = nodes.head(list)) {
            nodes.unlink(node);
            place(node);
        }
    }

    private int fireDue(int list, long nowNanos) {
        collectDue(list, nowNanos);
        sortFiring();
        int fired = 0;
        while (firingNext < firingCount) {
            long id = firing[firingNext++];
            int node = nodes.nodeOf(id);
            if (node == NIL) {
                continue; // cancelled by a handler that fired before it
            }
            long deadline = nodes.deadlineOf(node);
            TimerHandler handler = nodes.handlerOf(node);
            retire(node);
            fired++;
            handler.onTimer(id, deadline, nowNanos);
        }
        firingCount = 0;
        firingNext = 0;
        return fired;
    }

    /** Detaches the timers of a level-0 slot whose deadline is at or before now into firing. */
    private void collectDue(int list, long nowNanos) {
        int node = nodes.head(list);
        while (node != NIL) {
            int next = nodes.next(node);
            if (nodes.deadlineOf(node) <= nowNanos) {
                nodes.unlink(node);
                addFiring(nodes.idOf(node));
            }
            node = next;
        }
        if (nodes.isEmpty(list)) {
            clearOccupied(list);
        }
    }

    private void addFiring(long id) {
        if (firingCount == firing.length) {
            firing = Arrays.copyOf(firing, firingCount * 2);
        }
        firing[firingCount++] = id;
    }

    /** Heapsort of the firing ids by (deadline, sequence): in place, no allocation. */
    private void sortFiring() {
        for (int i = firingCount / 2 - 1; i >= 0; i--) {
            siftDown(i, firingCount);
        }
        for (int end = firingCount - 1; end > 0; end--) {
            swapFiring(0, end);
            siftDown(0, end);
        }
    }

    private void siftDown(int root, int end) {
        for (int child = 2 * root + 1; child < end; child = 2 * root + 1) {
            if (child + 1 < end && firesBefore(firing[child], firing[child + 1])) {
                child++;
            }
            if (!firesBefore(firing[root], firing[child])) {
                return;
            }
            swapFiring(root, child);
            root = child;
        }
    }

    private boolean firesBefore(long idA, long idB) {
        return nodes.before((int) idA, (int) idB);
    }

    private void swapFiring(int i, int j) {
        long id = firing[i];
        firing[i] = firing[j];
        firing[j] = id;
    }

    /** After a handler threw: due timers not fired yet go back to the wheel. */
    private void requeueUnfired() {
        while (firingNext < firingCount) {
            int node = nodes.nodeOf(firing[firingNext++]);
            if (node != NIL) {
                place(node);
            }
        }
        firingCount = 0;
        firingNext = 0;
    }

    private void placeDeferred() {
        for (int node = nodes.head(deferredList); node != NIL; node = nodes.head(deferredList)) {
            nodes.unlink(node);
            place(node);
        }
    }

    /** Links a detached node into the slot of its deadline relative to the current tick. */
    private void place(int node) {
        long tick = maxUnsigned(tickOf(nodes.deadlineOf(node)), currentTick);
        int level = levelOf(tick ^ currentTick);
        int slot = (int) (tick >>> (level * SLOT_BITS)) & SLOT_MASK;
        nodes.append(listIndex(level, slot), node);
        occupied[level] |= 1L << slot;
    }

    private void unlink(int node) {
        int list = nodes.listOf(node);
        nodes.unlink(node);
        if (list != deferredList && nodes.isEmpty(list)) {
            clearOccupied(list);
        }
    }

    /** Releases a pending, detached node: it no longer counts, its id no longer resolves. */
    private void retire(int node) {
        if (nodes.deadlineOf(node) == earliestDeadline) {
            earliestKnown = false;
        }
        nodes.release(node);
        size--;
    }

    private long findEarliestDeadline() {
        long earliest = Long.MAX_VALUE;
        int level = lowestOccupiedLevel();
        if (level != NO_LEVEL) {
            earliest = earliestIn(listIndex(level, Long.numberOfTrailingZeros(occupied[level])));
        }
        earliest = Math.min(earliest, earliestIn(deferredList));
        for (int i = firingNext; i < firingCount; i++) {
            int node = nodes.nodeOf(firing[i]);
            if (node != NIL) {
                earliest = Math.min(earliest, nodes.deadlineOf(node));
            }
        }
        return earliest;
    }

    private long earliestIn(int list) {
        long earliest = Long.MAX_VALUE;
        for (int node = nodes.head(list); node != NIL; node = nodes.next(node)) {
            earliest = Math.min(earliest, nodes.deadlineOf(node));
        }
        return earliest;
    }

    private int lowestOccupiedLevel() {
        for (int level = 0; level < levels; level++) {
            if (occupied[level] != 0) {
                return level;
            }
        }
        return NO_LEVEL;
    }

    /** Unsigned: the first tick of a slot, which shares the current tick's higher-level digits. */
    private long slotStartTick(int level, int slot) {
        int shift = level * SLOT_BITS;
        int higherShift = shift + SLOT_BITS;
        long higher = higherShift >= Long.SIZE ? 0 : currentTick & (-1L << higherShift);
        return higher | (long) slot << shift;
    }

    /** Unsigned: the tick of a time, 0 for any time before the wheel's start. */
    private long tickOf(long nanos) {
        return nanos <= startNanos ? 0 : (nanos - startNanos) >>> tickShift;
    }

    private void clearOccupied(int list) {
        occupied[list / SLOTS] &= ~(1L << (list % SLOTS));
    }

    private static int listIndex(int level, int slot) {
        return level * SLOTS + slot;
    }

    /** The level of a timer whose tick differs from the current tick in the given bits. */
    private static int levelOf(long differingBits) {
        return differingBits == 0 ? 0 : (Long.SIZE - 1 - Long.numberOfLeadingZeros(differingBits)) / SLOT_BITS;
    }

    private static long maxUnsigned(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }
}
