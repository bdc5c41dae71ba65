package io.qsockets.scheduler.dwcs;

import static io.qsockets.scheduler.dwcs.Harness.attrs;
import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.DwcsAttributes.Flag;
import io.qsockets.spi.DropReason;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The "edf" discipline on a random overloaded schedule, against a reference: the packet that
 * leaves is always the one with the earliest deadline (then the first submitted) among the
 * packets still waiting — of those not yet late (LOSSY) or of all (LOSSLESS).
 *
 * <p>Five sockets without a period; each tick one packet may leave. Arrivals alternate between
 * overload (1.3 packets per tick for 1 000 ticks) and slack (0.5 per tick for 1 000 ticks), each on
 * a random socket with a deadline 1 to 60 ticks away.
 */
@Timeout(60)
class EdfTest {
    private static final int TICKS = 200_000;
    private static final Comparator<TestPacket> EDF_ORDER = Comparator.comparingLong(TestPacket::deadlineNanos)
            .thenComparingLong(TestPacket::sequence);

    private static Harness schedule(boolean lossless, Outcome outcome) {
        Harness h = Harness.edf();
        for (int s = 0; s < 5; s++) {
            h.stream(s, lossless ? attrs(0, 0, 1, Flag.LOSSLESS) : attrs(0, 0, 1));
        }
        SplittableRandom r = new SplittableRandom(3);
        TreeSet<TestPacket> waiting = new TreeSet<>(EDF_ORDER);
        int dropsSeen = 0;
        for (long t = 0; t < TICKS || !waiting.isEmpty() && t < 2 * TICKS; t++) {
            boolean overload = t / 1_000 % 2 == 0;
            int arrivals = t >= TICKS ? 0 : overload ? (r.nextInt(10) < 3 ? 2 : 1) : (r.nextBoolean() ? 1 : 0);
            for (int k = 0; k < arrivals; k++) {
                waiting.add(h.submitDue("p", r.nextInt(5), t, t + 1 + r.nextInt(60)));
            }
            TestPacket p = h.poll(t);
            for (; dropsSeen < h.dropped.size(); dropsSeen++) {
                TestPacket d = h.dropped.get(dropsSeen);
                outcome.dropped(d, h.reasons.get(dropsSeen), h.dropTimes.get(dropsSeen));
                waiting.remove(d);
            }
            if (p != null) {
                TestPacket expected = lossless ? waiting.first()
                        : waiting.tailSet(new TestPacket("probe", 0, 0, t, null, -1), true).first();
                outcome.sent(p, t, expected);
                waiting.remove(p);
            }
        }
        assertThat(waiting).isEmpty();
        return h;
    }

    /** What happened to the packets. */
    interface Outcome {
        void dropped(TestPacket p, DropReason reason, long at);

        void sent(TestPacket p, long at, TestPacket expected);
    }

    @Test
    void lossyEdfNeverSendsAPacketAfterItsDeadline() {
        long[] counts = new long[3];
        Harness h = schedule(false, new Outcome() {
            @Override
            public void dropped(TestPacket p, DropReason reason, long at) {
                assertThat(reason).isEqualTo(DropReason.LATE);
                assertThat(at).isGreaterThan(p.deadlineNanos());
                counts[0]++;
            }

            @Override
            public void sent(TestPacket p, long at, TestPacket expected) {
                assertThat(at).as("sent at %d, due %d", at, p.deadlineNanos()).isLessThanOrEqualTo(p.deadlineNanos());
                assertThat(p).isSameAs(expected);
                counts[1]++;
            }
        });
        // overloaded: there were drops, and every packet was either sent on time or dropped late
        assertThat(counts[0]).isGreaterThan(TICKS / 50);
        long missed = 0;
        long serviced = 0;
        for (int s = 0; s < 5; s++) {
            missed += h.stats(s).missed();
            serviced += h.stats(s).serviced();
            assertThat(h.stats(s).dropped()).isEqualTo(h.stats(s).missed());
        }
        assertThat(missed).isEqualTo(counts[0]);
        assertThat(serviced).isEqualTo(counts[1]);
    }

    @Test
    void losslessEdfSendsLatePacketsAndCountsThemLate() {
        long[] late = new long[2];
        Harness h = schedule(true, new Outcome() {
            @Override
            public void dropped(TestPacket p, DropReason reason, long at) {
                throw new AssertionError("LOSSLESS dropped " + p + ": " + reason);
            }

            @Override
            public void sent(TestPacket p, long at, TestPacket expected) {
                assertThat(p).isSameAs(expected);
                late[at > p.deadlineNanos() ? 0 : 1]++;
            }
        });
        assertThat(late[0]).isGreaterThan(TICKS / 50);
        long missed = 0;
        long lateCount = 0;
        long serviced = 0;
        for (int s = 0; s < 5; s++) {
            missed += h.stats(s).missed();
            serviced += h.stats(s).serviced();
            lateCount += ((DwcsScheduler) h.scheduler).lateCount(s);
            assertThat(h.stats(s).dropped()).isZero();
        }
        assertThat(missed).isEqualTo(late[0]);
        assertThat(lateCount).isEqualTo(late[0]);
        assertThat(serviced).isEqualTo(late[1]);
    }

    @Test
    void dwcsOnPerPacketDeadlinesIsEdfForZeroOverOneStreams() {
        // the "dwcs" discipline with only per-packet deadlines and equal 0/1 windows picks the
        // same packets (its window rules only break ties between equal deadlines)
        Harness edf = Harness.edf();
        Harness dwcs = Harness.dwcs();
        for (int s = 0; s < 3; s++) {
            edf.stream(s, attrs(0, 0, 1));
            dwcs.stream(s, attrs(0, 0, 1));
        }
        // ticks of 100 000 ns; deadlines 1 to 10 ticks away, all distinct (the low digits)
        SplittableRandom r = new SplittableRandom(5);
        long tick = 100_000;
        for (long t = 0; t < 20_000; t++) {
            int stream = r.nextInt(3);
            long due = (t + 1 + r.nextInt(10)) * tick + t % tick;
            edf.submitDue("p" + t, stream, t * tick, due);
            dwcs.submitDue("p" + t, stream, t * tick, due);
            if (r.nextInt(10) < 6) {
                assertThat(dwcs.next(t * tick + 1)).isEqualTo(edf.next(t * tick + 1));
            }
        }
        assertThat(edf.drops).isNotEmpty();
        assertThat(dwcs.drops).isEqualTo(edf.drops);
    }
}
