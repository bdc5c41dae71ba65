package io.qsockets.scheduler.dwcs;

import io.qsockets.DwcsAttributes;
import io.qsockets.ManualNanoClock;
import io.qsockets.NanoClock;
import io.qsockets.PacketFlags;
import io.qsockets.SchedulerAttributes;
import io.qsockets.SchedulerStats;
import io.qsockets.spi.DropReason;
import io.qsockets.spi.PacketScheduler;
import io.qsockets.spi.PacketSchedulerProvider;
import io.qsockets.spi.ScheduledPacket;
import io.qsockets.spi.SchedulerContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * A scheduler on simulated time for tests: submits named packets, dequeues at given instants and
 * records what was dropped and why. Time is in plain nanoseconds; the tests use small numbers.
 */
final class Harness implements SchedulerContext {
    final ManualNanoClock clock = new ManualNanoClock();
    final PacketScheduler scheduler;
    final List<String> drops = new ArrayList<>();
    final List<TestPacket> dropped = new ArrayList<>();
    final List<DropReason> reasons = new ArrayList<>();
    final List<Long> dropTimes = new ArrayList<>();
    private long sequence;

    Harness(PacketSchedulerProvider provider) {
        scheduler = provider.create(this);
    }

    static Harness dwcs() {
        return new Harness(new DwcsSchedulerProvider());
    }

    static Harness edf() {
        return new Harness(new EdfSchedulerProvider());
    }

    static DwcsAttributes attrs(long period, int x, int y, DwcsAttributes.Flag... flags) {
        EnumSet<DwcsAttributes.Flag> set = EnumSet.noneOf(DwcsAttributes.Flag.class);
        set.addAll(List.of(flags));
        return new DwcsAttributes(period, x, y, set);
    }

    Harness stream(int id, SchedulerAttributes attributes) {
        scheduler.addStream(id, attributes);
        return this;
    }

    /** Submits a packet at {@code at} with {@code flags} (a relative deadline in the flags becomes absolute). */
    TestPacket submit(String name, int stream, long at, PacketFlags flags) {
        long deadline = flags.hasDeadline() ? at + flags.deadlineNanos() : ScheduledPacket.NO_DEADLINE;
        TestPacket p = new TestPacket(name, stream, at, deadline, flags, sequence++);
        clock.set(Math.max(clock.nanoTime(), at));
        scheduler.enqueue(p, at);
        return p;
    }

    TestPacket submit(String name, int stream, long at) {
        return submit(name, stream, at, PacketFlags.NONE);
    }

    /** Submits a packet with an absolute deadline. */
    TestPacket submitDue(String name, int stream, long at, long deadline) {
        return submit(name, stream, at, PacketFlags.NONE.withDeadline(Duration.ofNanos(deadline - at)));
    }

    /** @return the packet dequeued at {@code at}, or null */
    TestPacket poll(long at) {
        clock.set(at);
        return (TestPacket) scheduler.dequeue(at);
    }

    /** @return the name of the packet dequeued at {@code at}, or "-" if none */
    String next(long at) {
        clock.set(at);
        ScheduledPacket p = scheduler.dequeue(at);
        return p == null ? "-" : ((TestPacket) p).name;
    }

    /** Dequeues once at each of {@code times}. @return what left, "-" where nothing did */
    List<String> run(long... times) {
        List<String> out = new ArrayList<>();
        for (long t : times) {
            out.add(next(t));
        }
        return out;
    }

    /** Dequeues at {@code from}, {@code from + step}, … while {@code < to}. */
    List<String> runEvery(long from, long to, long step) {
        List<String> out = new ArrayList<>();
        for (long t = from; t < to; t += step) {
            out.add(next(t));
        }
        return out;
    }

    SchedulerStats stats(int stream) {
        return scheduler.stats(stream);
    }

    /** @return "x'/y'" of the stream */
    String window(int stream) {
        SchedulerStats s = stats(stream);
        return s.currentLossNumerator() + "/" + s.currentLossDenominator();
    }

    @Override
    public NanoClock clock() {
        return clock;
    }

    @Override
    public void dropped(ScheduledPacket packet, DropReason reason) {
        TestPacket p = (TestPacket) packet;
        drops.add(p.name + ":" + reason);
        dropped.add(p);
        reasons.add(reason);
        dropTimes.add(clock.nanoTime());
    }
}
