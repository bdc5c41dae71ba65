package io.qsockets.scheduler.dwcs;

import io.qsockets.SchedulerStats;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The streams' counters by stream id, for readers on any thread. The engine thread is the only
 * writer: it stores slots with release semantics and publishes a grown table through a volatile
 * field; readers load with acquire semantics and may see a table one change old, never a torn one.
 */
final class StatsTable {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(StreamCounters[].class);

    private volatile StreamCounters[] table = new StreamCounters[16];

    /** Engine thread: publishes {@code counters} as stream {@code id}'s. */
    void put(int id, StreamCounters counters) {
        StreamCounters[] t = table;
        if (id >= t.length) {
            t = Arrays.copyOf(t, Math.max(id + 1, t.length * 2));
            table = t;
        }
        SLOT.setRelease(t, id, counters);
    }

    /** Engine thread: forgets stream {@code id}. */
    void remove(int id) {
        StreamCounters[] t = table;
        if (id >= 0 && id < t.length) {
            SLOT.setRelease(t, id, (StreamCounters) null);
        }
    }

    /** Any thread. @return stream {@code id}'s statistics, or {@link SchedulerStats#NONE} if unknown */
    SchedulerStats stats(int id) {
        StreamCounters c = counters(id);
        return c == null ? SchedulerStats.NONE : c.snapshot();
    }

    /** Any thread. @return stream {@code id}'s counters, or null */
    StreamCounters counters(int id) {
        StreamCounters[] t = table;
        return id >= 0 && id < t.length ? (StreamCounters) SLOT.getAcquire(t, id) : null;
    }
}
