package io.qsockets.scheduler.common;

import io.qsockets.PacketFlags;
import io.qsockets.spi.ScheduledPacket;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Which queued unit a stream loses first when it must lose one: the whole unit (a datagram outside
 * any frame, or every queued datagram of one frame) with the lowest rank, the oldest among equals.
 * A datagram's rank is its drop priority, or {@link #NON_DROPPABLE} if it must never be dropped;
 * a frame ranks as its highest-ranked datagram. A frame that has started to leave, or whose last
 * datagram has not arrived yet, is not a whole unit and is never chosen: losing part of a frame
 * wastes the rest. Scans the queue: O(queue length). Not thread-safe.
 */
public final class LossOrder {
    /** The rank of a datagram that must never be dropped: above every drop priority. */
    public static final int NON_DROPPABLE = 256;

    /** The unit chosen by {@link #find}. */
    private ScheduledPacket before;
    private ScheduledPacket first;
    private int count;
    private int rank;

    /**
     * Finds the unit to lose first among {@code queue}'s whole units ranked below {@code below}.
     *
     * @param headContinues whether the head continues a frame that has started to leave
     * @param nonDroppable which datagrams must never be dropped (the stream's policy and the flag)
     * @return whether one was found; {@link #first()} and {@link #rank()} then describe it
     */
    public boolean find(PacketList queue, boolean headContinues, int below, Predicate<ScheduledPacket> nonDroppable) {
        first = null;
        ScheduledPacket previous = null;
        ScheduledPacket p = queue.peek();
        boolean partial = headContinues;
        while (p != null) {
            // one unit: p and the datagrams of its frame that follow it
            long frame = p.flags().frameId();
            ScheduledPacket unitFirst = p;
            ScheduledPacket unitBefore = previous;
            int unitRank = rankOf(p, nonDroppable);
            int unitCount = 1;
            boolean ended = frame == PacketFlags.NO_FRAME || p.flags().frameEnd();
            previous = p;
            p = p.schedulerNext();
            while (!ended && p != null && p.flags().frameId() == frame && !p.flags().frameStart()) {
                unitRank = Math.max(unitRank, rankOf(p, nonDroppable));
                unitCount++;
                ended = p.flags().frameEnd();
                previous = p;
                p = p.schedulerNext();
            }
            boolean whole = !partial && (ended || p != null); // an unended frame at the tail may still grow
            partial = false;
            if (whole && unitRank < below && (first == null || unitRank < rank)) {
                first = unitFirst;
                before = unitBefore;
                count = unitCount;
                rank = unitRank;
            }
        }
        return first != null;
    }

    /** @return the first datagram of the unit found */
    public ScheduledPacket first() {
        return first;
    }

    /** @return the rank of the unit found */
    public int rank() {
        return rank;
    }

    /**
     * Unlinks the unit found from {@code queue} and hands each of its datagrams to {@code dropped}.
     *
     * @return how many datagrams it held
     */
    public int remove(PacketList queue, Consumer<ScheduledPacket> dropped) {
        int n = count;
        for (int i = 0; i < n; i++) {
            dropped.accept(queue.removeAfter(before));
        }
        first = null;
        return n;
    }

    /** @return the rank of {@code p}: its drop priority, or {@link #NON_DROPPABLE} */
    public static int rankOf(ScheduledPacket p, Predicate<ScheduledPacket> nonDroppable) {
        return nonDroppable.test(p) ? NON_DROPPABLE : p.flags().dropPriority();
    }
}
