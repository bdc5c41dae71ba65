package io.qsockets.scheduler.dwcs;

import io.qsockets.DwcsAttributes;
import io.qsockets.NanoClock;
import io.qsockets.PacketFlags;
import io.qsockets.spi.DropReason;
import io.qsockets.spi.PacketScheduler;
import io.qsockets.spi.PacketSchedulerProvider;
import io.qsockets.spi.ScheduledPacket;
import io.qsockets.spi.SchedulerContext;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A slotted link on simulated time: each slot lasts {@link #SLOT} ns and carries one unit packet.
 * Stream {@code i} submits one packet at the start of every {@code period_i}-th slot; the link
 * asks the scheduler for one packet 1 ns into every slot, so a packet whose request period is
 * {@code [kT, (k+1)T]} can leave in exactly the {@code T} slots of that period (a decision at
 * {@code (k+1)T + 1} is past its deadline). Records, per stream and per deadline, whether the
 * packet met it.
 */
final class SlotSimulation implements SchedulerContext {
    static final long SLOT = 1_000;

    /** One stream: period in slots, loss tolerance, flags. */
    record Spec(int periodSlots, int x, int y, DwcsAttributes.Flag... flags) {
        double minimumShare() {
            return (1.0 - (double) x / y) / periodSlots;
        }

        double share() {
            return 1.0 / periodSlots;
        }
    }

    private final List<Spec> specs;
    private final PacketScheduler scheduler;
    private final BitSet[] missed;
    private final int[] submitted;
    private final long[] sent;
    private final long[] late;
    private final long[] droppedCount;
    private final SplittableRandom order;
    private final int[] submitOrder;
    private final int[] consecutive;
    private final int[] worstRun;
    private long now;
    private long sequence;

    SlotSimulation(PacketSchedulerProvider provider, List<Spec> specs) {
        this(provider, specs, null);
    }

    /**
     * @param order shuffles the order in which the streams submit within each slot (and so the
     *     first-come-first-served ties), or null for stream order
     */
    SlotSimulation(PacketSchedulerProvider provider, List<Spec> specs, SplittableRandom order) {
        this.specs = specs;
        this.order = order;
        this.scheduler = provider.create(this);
        int n = specs.size();
        missed = new BitSet[n];
        submitted = new int[n];
        sent = new long[n];
        late = new long[n];
        droppedCount = new long[n];
        submitOrder = new int[n];
        consecutive = new int[n];
        worstRun = new int[n];
        for (int i = 0; i < n; i++) {
            submitOrder[i] = i;
            Spec s = specs.get(i);
            missed[i] = new BitSet();
            scheduler.addStream(i, Harness.attrs(s.periodSlots() * SLOT, s.x(), s.y(), s.flags()));
        }
    }

    /** Runs {@code slots} slots. */
    void run(long slots) {
        for (long slot = 0; slot < slots; slot++) {
            now = slot * SLOT;
            if (order != null) {
                for (int k = submitOrder.length - 1; k > 0; k--) {
                    int j = order.nextInt(k + 1);
                    int t = submitOrder[k];
                    submitOrder[k] = submitOrder[j];
                    submitOrder[j] = t;
                }
            }
            for (int i : submitOrder) {
                if (slot % specs.get(i).periodSlots() == 0) {
                    long deadline = now + specs.get(i).periodSlots() * SLOT;
                    scheduler.enqueue(new Packet(i, submitted[i]++, now, deadline, sequence++), now);
                }
            }
            now += 1;
            ScheduledPacket p = scheduler.dequeue(now);
            if (p != null) {
                Packet q = (Packet) p;
                sent[q.stream]++;
                if (now > q.periodDeadline) {
                    late[q.stream]++;
                    missed[q.stream].set(q.index);
                    run(q.stream, true);
                } else {
                    run(q.stream, false);
                }
            }
        }
    }

    private void run(int stream, boolean miss) {
        consecutive[stream] = miss ? consecutive[stream] + 1 : 0;
        worstRun[stream] = Math.max(worstRun[stream], consecutive[stream]);
    }

    /** @return the longest run of consecutive deadlines stream {@code i} missed */
    int longestMissRun(int i) {
        return worstRun[i];
    }

    /** @return the fraction of its deadlines stream {@code i} met, over the fraction it asks for, {@code 1 - x/y} */
    double serviceRatio(int i) {
        Spec s = specs.get(i);
        double met = 1.0 - (double) misses(i) / decided(i);
        return met / (1.0 - (double) s.x() / s.y());
    }

    /** @return packets submitted in all */
    long packets() {
        long total = 0;
        for (int s : submitted) {
            total += s;
        }
        return total;
    }

    /** @return deadlines of stream {@code i} decided so far (sent or dropped) */
    int decided(int i) {
        return (int) (sent[i] + droppedCount[i]);
    }

    /** @return whether deadline {@code k} of stream {@code i} was missed (dropped, or sent after its period) */
    boolean missed(int i, int k) {
        return missed[i].get(k);
    }

    /** @return deadlines of stream {@code i} missed among the first {@code decided(i)} */
    int misses(int i) {
        return missed[i].cardinality();
    }

    long sent(int i) {
        return sent[i];
    }

    long late(int i) {
        return late[i];
    }

    long dropped(int i) {
        return droppedCount[i];
    }

    PacketScheduler scheduler() {
        return scheduler;
    }

    /** @return the most misses in any non-overlapping window {@code [jy, (j+1)y)} of stream {@code i}'s deadlines */
    int worstAlignedWindow(int i) {
        int y = specs.get(i).y();
        int worst = 0;
        int n = decided(i) / y * y;
        for (int start = 0; start < n; start += y) {
            worst = Math.max(worst, missed[i].get(start, start + y).cardinality());
        }
        return worst;
    }

    /** @return the most misses in any y consecutive deadlines of stream {@code i} */
    int worstSlidingWindow(int i) {
        int y = specs.get(i).y();
        int n = decided(i);
        int count = 0;
        int worst = 0;
        for (int k = 0; k < n; k++) {
            if (missed[i].get(k)) {
                count++;
            }
            if (k >= y && missed[i].get(k - y)) {
                count--;
            }
            worst = Math.max(worst, count);
        }
        return worst;
    }

    /** @return a description of the specs */
    static String describe(List<Spec> specs) {
        List<String> out = new ArrayList<>();
        for (Spec s : specs) {
            out.add("T=" + s.periodSlots() + " " + s.x() + "/" + s.y()
                    + (s.flags().length == 0 ? "" : " " + List.of(s.flags())));
        }
        return out.toString();
    }

    @Override
    public NanoClock clock() {
        return () -> now;
    }

    @Override
    public void dropped(ScheduledPacket packet, DropReason reason) {
        Packet q = (Packet) packet;
        droppedCount[q.stream]++;
        missed[q.stream].set(q.index);
        run(q.stream, true);
    }

    /** A unit packet: its stream, its index in the stream and the end of its request period. */
    private static final class Packet implements ScheduledPacket {
        final int stream;
        final int index;
        final long submitted;
        final long periodDeadline;
        final long sequence;
        ScheduledPacket next;

        Packet(int stream, int index, long submitted, long periodDeadline, long sequence) {
            this.stream = stream;
            this.index = index;
            this.submitted = submitted;
            this.periodDeadline = periodDeadline;
            this.sequence = sequence;
        }

        @Override
        public int streamId() {
            return stream;
        }

        @Override
        public int length() {
            return 1;
        }

        @Override
        public long submittedNanos() {
            return submitted;
        }

        @Override
        public long deadlineNanos() {
            return NO_DEADLINE;
        }

        @Override
        public PacketFlags flags() {
            return PacketFlags.NONE;
        }

        @Override
        public long sequence() {
            return sequence;
        }

        @Override
        public ScheduledPacket schedulerNext() {
            return next;
        }

        @Override
        public void schedulerNext(ScheduledPacket next) {
            this.next = next;
        }
    }
}
