package io.qsockets.scheduler.dwcs;

import io.qsockets.PacketFlags;
import io.qsockets.SchedulerAttributes;
import io.qsockets.SchedulerStats;
import io.qsockets.scheduler.common.IndexedHeap;
import io.qsockets.scheduler.common.LossOrder;
import io.qsockets.scheduler.common.PacketList;
import io.qsockets.spi.DropReason;
import io.qsockets.spi.PacketScheduler;
import io.qsockets.spi.ScheduledPacket;
import io.qsockets.spi.SchedulerContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Dynamic Window-Constrained Scheduling, and EDF, over the streams (sockets) of one engine
 * (DESIGN §6; {@code docs/dwcs.md} has the rules, worked examples and guarantees).
 *
 * <p>Every packet with a deadline — its own, or its stream's when the stream has a period —
 * waits in its stream's deadline queue; the heads of those queues are in one of two heaps:
 * <em>pending</em> (paced heads before the start of their request period, keyed by that start)
 * and <em>ready</em> (keyed by deadline, ties broken by the discipline's {@link Precedence}).
 * Packets without any deadline wait in best-effort queues served in submission order when no
 * deadline-constrained head is eligible. A frame that has started to leave goes on before anything
 * else. Misses are found lazily, at {@link #dequeue}: a ready head whose deadline has passed is
 * dropped (LOSSY and droppable) or kept with its stream's next period (LOSSLESS), and its stream's
 * window adjusted. Each decision costs O(log n) in the number of backlogged streams; queueing
 * allocates nothing.
 *
 * <p>Confined to the engine thread, except {@link #stats}, which reads counters published with
 * release stores.
 */
final class DwcsScheduler implements PacketScheduler {
    private final SchedulerContext context;
    private final String discipline;
    private final Precedence precedence;
    private final IndexedHeap<DeadlineQueue> ready;
    private final IndexedHeap<DeadlineQueue> pending = new IndexedHeap<>(null);
    private final IndexedHeap<BestEffortQueue> bestEffort = new IndexedHeap<>(null);
    private final StatsTable stats = new StatsTable();
    /** Non-droppable packets set aside while the rest of their frame is dropped. */
    private final PacketList kept = new PacketList();
    private final LossOrder losses = new LossOrder();
    private Stream[] streams = new Stream[16];
    /** A deadline queue whose head continues a frame that has started to leave, or null. */
    private DeadlineQueue current;
    private int size;

    /**
     * @param context the engine
     * @param discipline the discipline's name, for messages
     * @param precedence the order of heads with equal deadlines
     */
    DwcsScheduler(SchedulerContext context, String discipline, Precedence precedence) {
        this.context = context;
        this.discipline = discipline;
        this.precedence = precedence;
        this.ready = new IndexedHeap<>(precedence.words(), null);
    }

    // ---- streams ----

    @Override
    public void addStream(int streamId, SchedulerAttributes attributes) {
        if (streamId < 0) {
            throw new IllegalArgumentException("stream id " + streamId + " must be >= 0");
        }
        StreamPolicy policy = StreamPolicy.of(attributes, discipline);
        if (streamId >= streams.length) {
            streams = Arrays.copyOf(streams, Math.max(streamId + 1, streams.length * 2));
        }
        if (streams[streamId] != null) {
            throw new IllegalStateException("stream " + streamId + " already added");
        }
        Stream s = new Stream(streamId, policy);
        streams[streamId] = s;
        stats.put(streamId, s.counters);
    }

    @Override
    public void changeStream(int streamId, SchedulerAttributes attributes) {
        Stream s = stream(streamId);
        StreamPolicy old = s.policy;
        StreamPolicy policy = StreamPolicy.of(attributes, discipline);
        long now = context.clock().nanoTime();
        s.policy = policy;
        if (old.x() != policy.x() || old.y() != policy.y()) {
            s.window.configure(policy.x(), policy.y());
            s.publishWindow();
        }
        if (old.periodNanos() != policy.periodNanos()) {
            s.periodChanged(old.periodNanos(), now);
            if (old.periodic() != policy.periodic()) {
                regroup(s);
            }
        }
        refresh(s.deadlineQueue, now, false);
        refresh(s.bestEffortQueue);
    }

    /** Moves packets between the stream's queues after it gained or lost its period (rare: allocates). */
    private void regroup(Stream s) {
        List<ScheduledPacket> all = new ArrayList<>(s.deadlineQueue.packets.size() + s.bestEffortQueue.packets.size());
        ScheduledPacket p;
        while ((p = s.deadlineQueue.packets.poll()) != null) {
            all.add(p);
        }
        while ((p = s.bestEffortQueue.packets.poll()) != null) {
            all.add(p);
        }
        all.sort(Comparator.comparingLong(ScheduledPacket::sequence));
        for (ScheduledPacket q : all) {
            boolean toDeadlines = q.deadlineNanos() != ScheduledPacket.NO_DEADLINE || s.policy.periodic();
            if (toDeadlines) {
                s.deadlineQueue.packets.addLast(q);
            } else {
                s.bestEffortQueue.packets.addLast(q);
            }
        }
        s.headLate = false;
        s.deadlineFrames.close();
        s.bestEffortFrames.close();
    }

    @Override
    public void removeStream(int streamId) {
        Stream s = stream(streamId);
        unlink(s.deadlineQueue);
        bestEffort.remove(s.bestEffortQueue);
        streams[streamId] = null;
        stats.remove(streamId);
        removeAll(s.deadlineQueue.packets);
        removeAll(s.bestEffortQueue.packets);
    }

    private void removeAll(PacketList packets) {
        ScheduledPacket p;
        while ((p = packets.poll()) != null) {
            size--;
            context.dropped(p, DropReason.STREAM_REMOVED);
        }
    }

    // ---- packets ----

    @Override
    public void enqueue(ScheduledPacket packet, long nowNanos) {
        Stream s = stream(packet.streamId());
        size++;
        if (s.restOfDroppedFrame(packet)) {
            drop(s, packet, DropReason.FRAME_INCOMPLETE);
            return;
        }
        if (s.routesToDeadlines(packet)) {
            DeadlineQueue q = s.deadlineQueue;
            boolean wasEmpty = q.packets.isEmpty();
            if (wasEmpty || s.policy.periodic() || !insertByDeadline(s, q.packets, packet)) {
                q.packets.addLast(packet);
                if (wasEmpty) {
                    refresh(q, nowNanos, true);
                }
            } else if (q.packets.peek() == packet) {
                refresh(q, nowNanos, true);
            }
        } else {
            BestEffortQueue b = s.bestEffortQueue;
            boolean wasEmpty = b.packets.isEmpty();
            b.packets.addLast(packet);
            if (wasEmpty) {
                refresh(b);
            }
        }
    }

    /**
     * Keeps the deadline queue of a stream without a period in deadline order (EDF within the
     * stream as well as across streams): inserts {@code p} before the first unit with a later
     * deadline. Stable; O(1) when deadlines do not decrease, else O(queue length). Frames stay
     * whole and in order, and a head that has already missed its deadline or continues a frame
     * stays the head.
     *
     * @return false if {@code p} belongs at the tail (the caller appends it)
     */
    private static boolean insertByDeadline(Stream s, PacketList packets, ScheduledPacket p) {
        long d = p.deadlineNanos();
        ScheduledPacket tail = packets.peekLast();
        if (p.flags().frameId() != PacketFlags.NO_FRAME || tail.deadlineNanos() <= d) {
            return false;
        }
        ScheduledPacket previous = null;
        ScheduledPacket q = packets.peek();
        if (s.headLate || s.deadlineFrames.continues(q)) {
            previous = q;
            q = q.schedulerNext();
        }
        for (; q != null; previous = q, q = q.schedulerNext()) {
            PacketFlags f = q.flags();
            boolean unitStart = f.frameId() == PacketFlags.NO_FRAME || f.frameStart() || previous == null
                    || previous.flags().frameId() != f.frameId();
            if (unitStart && q.deadlineNanos() > d) {
                packets.insertAfter(previous, p);
                return true;
            }
        }
        return false;
    }

    @Override
    public ScheduledPacket dequeue(long nowNanos) {
        DeadlineQueue q = current;
        if (q != null) {
            if (q.check < nowNanos) {
                late(q, nowNanos);
            }
            if (current == q) {
                return serve(q, nowNanos);
            }
        }
        while (pending.peekKey() <= nowNanos) {
            q = pending.poll();
            q.inPending = false;
            ready.add(q, q.deadline);
        }
        while ((q = ready.peek()) != null) {
            if (q.check < nowNanos) {
                late(q, nowNanos);
            } else {
                return serve(q, nowNanos);
            }
        }
        BestEffortQueue b;
        while ((b = bestEffort.peek()) != null && isStale(b, nowNanos)) {
            dropStale(b);
        }
        return b == null ? null : serve(b);
    }

    private boolean isStale(BestEffortQueue b, long now) {
        ScheduledPacket p = b.packets.peek();
        return now > p.staleNanos() && !b.stream.nonDroppable(p);
    }

    /** Drops the stale head of {@code b}, and the rest of its frame. */
    private void dropStale(BestEffortQueue b) {
        Stream s = b.stream;
        ScheduledPacket p = b.packets.poll();
        PacketFlags f = p.flags();
        boolean continues = s.bestEffortFrames.continues(p);
        drop(s, p, DropReason.STALE);
        if (continues) {
            s.bestEffortFrames.close();
        }
        if (f.frameId() != PacketFlags.NO_FRAME && !f.frameEnd()) {
            boolean ended = false;
            ScheduledPacket q;
            while (!ended && (q = b.packets.peek()) != null) {
                PacketFlags g = q.flags();
                if (g.frameId() != f.frameId() || g.frameStart()) {
                    ended = true;
                    break;
                }
                b.packets.poll();
                ended = g.frameEnd();
                if (s.nonDroppable(q)) {
                    kept.addLast(q);
                } else {
                    drop(s, q, DropReason.FRAME_INCOMPLETE);
                }
            }
            b.packets.prependAll(kept);
            if (!ended) {
                s.dropRestOfFrame(f.frameId());
            }
        }
        refresh(b);
    }

    @Override
    public long nextEligibleNanos(long nowNanos) {
        if (current != null || !ready.isEmpty() || !bestEffort.isEmpty()) {
            return nowNanos;
        }
        return pending.peekKey();
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public SchedulerStats stats(int streamId) {
        return stats.stats(streamId);
    }

    /** Any thread. @return datagrams of the stream sent after a deadline they missed, or -1 if unknown */
    long lateCount(int streamId) {
        StreamCounters c = stats.counters(streamId);
        return c == null ? -1 : c.lateCount();
    }

    /**
     * Makes room for a datagram of higher rank (DESIGN: the lowest drop priority goes first): the
     * stream loses its least valued whole unit, from its deadline queue or its best-effort queue;
     * a unit in a deadline queue counts as a loss against the stream's window.
     */
    @Override
    public int evict(int streamId, int rank, long nowNanos) {
        Stream s = stream(streamId);
        DeadlineQueue q = s.deadlineQueue;
        BestEffortQueue b = s.bestEffortQueue;
        boolean inDeadlines = losses.find(q.packets, continues(s.deadlineFrames, q.packets), rank, s::nonDroppable);
        int deadlineRank = inDeadlines ? losses.rank() : Integer.MAX_VALUE;
        ScheduledPacket head = b.packets.peek();
        // on equal ranks the best-effort unit goes: it costs the stream's window nothing
        int bound = inDeadlines ? Math.min(rank, deadlineRank + 1) : rank;
        if (losses.find(b.packets, continues(s.bestEffortFrames, b.packets), bound, s::nonDroppable)) {
            boolean wasHead = losses.first() == head;
            int n = losses.remove(b.packets, p -> drop(s, p, DropReason.OVERFLOW));
            if (wasHead) {
                refresh(b);
            }
            return n;
        }
        if (!inDeadlines) {
            return 0;
        }
        losses.find(q.packets, continues(s.deadlineFrames, q.packets), rank, s::nonDroppable);
        boolean wasHead = losses.first() == q.packets.peek();
        int n = losses.remove(q.packets, p -> drop(s, p, DropReason.OVERFLOW));
        s.missed(1);
        if (wasHead) {
            s.headLate = false;
            refresh(q, nowNanos, false);
        }
        return n;
    }

    /** @return whether the head of {@code packets} continues the frame {@code frames} has open */
    private static boolean continues(FrameCursor frames, PacketList packets) {
        ScheduledPacket head = packets.peek();
        return head != null && frames.continues(head);
    }

    // ---- service ----

    private ScheduledPacket serve(DeadlineQueue q, long now) {
        Stream s = q.stream;
        ScheduledPacket p = q.packets.poll();
        size--;
        if (s.headLate) {
            s.counters.late();
        } else {
            s.counters.serviced();
        }
        if (q.continuation) {
            s.deadlineFrames.continuationLeft(p);
        } else {
            // a unit with its own deadline that already missed it had its one outcome (a miss);
            // a unit on its stream's periods meets the period it leaves in
            boolean own = p.deadlineNanos() != ScheduledPacket.NO_DEADLINE;
            if (own ? !s.headLate : s.policy.periodic()) {
                s.met();
            }
            if (s.policy.periodic()) {
                s.advanceSlot(1);
            }
            s.deadlineFrames.unitLeft(p, q.deadline, q.sequence, q.priority);
            if (s.deadlineFrames.isOpen()) {
                current = q;
            }
        }
        s.headLate = false;
        refresh(q, now, false);
        return p;
    }

    private ScheduledPacket serve(BestEffortQueue b) {
        Stream s = b.stream;
        ScheduledPacket p = b.packets.poll();
        size--;
        s.counters.serviced();
        if (s.bestEffortFrames.continues(p)) {
            s.bestEffortFrames.continuationLeft(p);
        } else {
            s.bestEffortFrames.unitLeft(p, ScheduledPacket.NO_DEADLINE, b.sequence, b.priority);
        }
        refresh(b);
        return p;
    }

    /** The head of {@code q} is past the deadline it is checked against at {@code now}. */
    private void late(DeadlineQueue q, long now) {
        Stream s = q.stream;
        ScheduledPacket head = q.packets.peek();
        boolean droppable = s.droppable(head);
        boolean stale = now > head.staleNanos() && !s.nonDroppable(head);
        long own = head.deadlineNanos();
        if (!stale && own != ScheduledPacket.NO_DEADLINE && own >= now) {
            refresh(q, now, false); // its deadline was relaxed since it was keyed: not late yet
            return;
        }
        if (stale) {
            // waited longer than its socket allows: a loss, but it never took a request period
            if (!q.continuation) {
                s.missed(1);
            }
            dropHead(q, DropReason.STALE);
            if (q.continuation) {
                s.deadlineFrames.close();
            }
        } else if (q.continuation) {
            // its own deadline passed; the frame's unit was accounted when the frame started
            s.counters.missed(1, 0);
            if (droppable) {
                dropHead(q, DropReason.LATE);
                s.deadlineFrames.close();
            } else {
                s.headLate = true;
            }
        } else if (head.deadlineNanos() != ScheduledPacket.NO_DEADLINE) {
            s.missed(1);
            if (droppable) {
                dropHead(q, DropReason.LATE);
                if (s.policy.periodic()) {
                    s.advanceSlot(1);
                }
            } else {
                s.headLate = true;
            }
        } else if (droppable) {
            // the stream is a period behind and must lose a unit: the one it values least, which
            // is the late head unless a unit behind it has a lower drop priority
            s.missed(1);
            if (losses.find(q.packets, false, LossOrder.rankOf(head, s::nonDroppable), s::nonDroppable)
                    && losses.first() != head) {
                losses.remove(q.packets, p -> drop(s, p, DropReason.LOSS_TOLERANCE));
            } else {
                dropHead(q, DropReason.LATE);
            }
            s.advanceSlot(1);
        } else {
            // kept: every period that passed without it leaving is a missed deadline
            long n = (now - 1 - q.check) / s.policy.periodNanos() + 1;
            s.missed(n);
            s.advanceSlot(n);
            s.headLate = true;
        }
        refresh(q, now, false);
    }

    /** Drops the head of {@code q}, and the rest of its frame if it opens or continues one. */
    private void dropHead(DeadlineQueue q, DropReason reason) {
        Stream s = q.stream;
        ScheduledPacket p = q.packets.poll();
        PacketFlags f = p.flags();
        long frame = f.frameId();
        boolean more = frame != PacketFlags.NO_FRAME && !f.frameEnd();
        s.headLate = false;
        drop(s, p, reason);
        if (more) {
            dropRestOfFrame(q, frame);
        }
    }

    /** Drops the queued packets of {@code frame} (but non-droppable ones) and, if its end is not queued, its later ones. */
    private void dropRestOfFrame(DeadlineQueue q, long frame) {
        Stream s = q.stream;
        ScheduledPacket p;
        boolean ended = false;
        while ((p = q.packets.peek()) != null) {
            PacketFlags f = p.flags();
            if (f.frameId() != frame || f.frameStart()) {
                ended = true;
                break;
            }
            q.packets.poll();
            boolean last = f.frameEnd();
            if (s.nonDroppable(p)) {
                kept.addLast(p);
            } else {
                drop(s, p, DropReason.FRAME_INCOMPLETE);
            }
            if (last) {
                ended = true;
                break;
            }
        }
        q.packets.prependAll(kept);
        if (!ended) {
            s.dropRestOfFrame(frame);
        }
    }

    private void drop(Stream s, ScheduledPacket p, DropReason reason) {
        size--;
        s.counters.dropped();
        context.dropped(p, reason);
    }

    // ---- keys and heaps ----

    /**
     * Recomputes the keys of {@code q}'s head and puts {@code q} where they say: ready, pending,
     * or in no heap if it is empty.
     *
     * @param arrival whether the head was just submitted to an empty queue
     */
    private void refresh(DeadlineQueue q, long now, boolean arrival) {
        ScheduledPacket p = q.packets.peek();
        if (p == null) {
            unlink(q);
            return;
        }
        Stream s = q.stream;
        StreamPolicy policy = s.policy;
        long own = p.deadlineNanos();
        FrameCursor frames = s.deadlineFrames;
        if (frames.continues(p)) {
            q.continuation = true;
            q.deadline = own != ScheduledPacket.NO_DEADLINE ? own : frames.deadline;
            q.check = s.headLate ? ScheduledPacket.NO_DEADLINE : own;
            q.eligible = Long.MIN_VALUE;
            q.sequence = frames.sequence;
            q.priority = frames.priority;
            if (current == null) {
                current = q;
            }
        } else {
            frames.close();
            if (current == q) {
                current = null;
            }
            q.continuation = false;
            if (policy.periodic() && (arrival || !s.slotSet)) {
                s.slotOnArrival(p.submittedNanos());
            }
            if (own != ScheduledPacket.NO_DEADLINE) {
                q.deadline = own;
                q.check = s.headLate ? ScheduledPacket.NO_DEADLINE : own;
            } else if (policy.periodic()) {
                q.deadline = s.slotDeadline;
                q.check = s.slotDeadline;
            } else {
                // a packet without a deadline that came with its frame, in a stream without a period
                q.deadline = ScheduledPacket.NO_DEADLINE;
                q.check = ScheduledPacket.NO_DEADLINE;
            }
            q.eligible = policy.paced() ? s.slotDeadline - policy.periodNanos() : Long.MIN_VALUE;
            q.sequence = p.sequence();
            q.priority = p.flags().priority();
        }
        q.nonDroppable = s.nonDroppable(p);
        long stale = p.staleNanos();
        if (stale < q.check && !q.nonDroppable) {
            q.check = stale; // it is dropped when it has waited too long, whatever its deadline
        }
        WindowConstraint w = s.window;
        q.xc = w.currentX();
        q.yc = w.currentY();
        q.boost = w.boost();
        precedence.tie(q);
        if (q.eligible <= now) {
            if (q.inPending) {
                pending.remove(q);
                q.inPending = false;
            }
            ready.update(q, q.deadline);
        } else {
            if (!q.inPending) {
                ready.remove(q);
                q.inPending = true;
            }
            pending.update(q, q.eligible);
        }
    }

    private void refresh(BestEffortQueue b) {
        ScheduledPacket p = b.packets.peek();
        if (p == null) {
            bestEffort.remove(b);
            return;
        }
        FrameCursor frames = b.stream.bestEffortFrames;
        if (frames.continues(p)) {
            b.sequence = frames.sequence;
            b.priority = frames.priority;
        } else {
            frames.close();
            b.sequence = p.sequence();
            b.priority = p.flags().priority();
        }
        bestEffort.update(b, b.key());
    }

    private void unlink(DeadlineQueue q) {
        if (q.inPending) {
            pending.remove(q);
            q.inPending = false;
        } else {
            ready.remove(q);
        }
        if (current == q) {
            current = null;
        }
    }

    private Stream stream(int streamId) {
        Stream s = streamId >= 0 && streamId < streams.length ? streams[streamId] : null;
        if (s == null) {
            throw new IllegalArgumentException("unknown stream " + streamId);
        }
        return s;
    }

    @Override
    public String toString() {
        return discipline + "[packets=" + size + ", ready=" + ready.size() + ", pending=" + pending.size()
                + ", bestEffort=" + bestEffort.size() + "]";
    }
}
