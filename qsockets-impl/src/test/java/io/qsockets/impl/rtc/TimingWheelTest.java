package io.qsockets.impl.rtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link TimingWheel} on simulated time. */
@Timeout(30)
class TimingWheelTest {

    private static final long TICK = TimingWheel.DEFAULT_TICK_NANOS;
    private static final long START = 1_000_000_000L;

    private final List<String> fired = new ArrayList<>();
    private final TimingWheel wheel = new TimingWheel(TICK, START);

    private TimerHandler record(String name) {
        return (id, deadline, now) -> {
            assertThat(now).isGreaterThanOrEqualTo(deadline);
            fired.add(name);
        };
    }

    private long at(long offsetNanos, String name) {
        return wheel.schedule(START + offsetNanos, record(name));
    }

    @Test
    void firesInDeadlineOrderWithTiesFirstScheduledFirst() {
        at(5_000, "e");
        at(1_000, "b1");
        at(300, "a");
        at(1_000, "b2");
        at(2_000_000, "f");
        at(1_000, "b3");
        at(4_999, "d");

        assertThat(wheel.expire(START + 10_000_000)).isEqualTo(7);

        assertThat(fired).containsExactly("a", "b1", "b2", "b3", "d", "e", "f");
        assertThat(wheel.size()).isZero();
    }

    @Test
    void ordersDeadlinesWithinOneTickByNanos() {
        at(TICK * 3 + 900, "late");
        at(TICK * 3 + 10, "early");
        at(TICK * 3 + 500, "middle");

        assertThat(wheel.expire(START + TICK * 3 + 500)).isEqualTo(2);
        assertThat(fired).containsExactly("early", "middle");
        assertThat(wheel.nextDeadlineNanos()).isEqualTo(START + TICK * 3 + 900);

        assertThat(wheel.expire(START + TICK * 3 + 899)).isZero();
        assertThat(wheel.expire(START + TICK * 3 + 900)).isEqualTo(1);
        assertThat(fired).containsExactly("early", "middle", "late");
    }

    @Test
    void doesNotFireBeforeTheDeadline() {
        at(1_000_000, "t");

        assertThat(wheel.expire(START + 999_999)).isZero();
        assertThat(fired).isEmpty();
        assertThat(wheel.expire(START + 1_000_000)).isEqualTo(1);
        assertThat(fired).containsExactly("t");
    }

    @Test
    void handlerReceivesItsIdDeadlineAndNow() {
        long[] seen = new long[3];
        long id = wheel.schedule(START + 7_777, (timerId, deadline, now) -> {
            seen[0] = timerId;
            seen[1] = deadline;
            seen[2] = now;
        });

        wheel.expire(START + 9_000);

        assertThat(id).isPositive();
        assertThat(seen).containsExactly(id, START + 7_777, START + 9_000);
    }

    @Test
    void cancelsPendingTimersOnly() {
        long a = at(1_000, "a");
        long b = at(2_000, "b");

        assertThat(wheel.cancel(a)).isTrue();
        assertThat(wheel.cancel(a)).isFalse();
        assertThat(wheel.size()).isEqualTo(1);
        assertThat(wheel.nextDeadlineNanos()).isEqualTo(START + 2_000);

        wheel.expire(START + 5_000);

        assertThat(fired).containsExactly("b");
        assertThat(wheel.cancel(b)).as("already fired").isFalse();
        assertThat(wheel.cancel(0)).isFalse();
        assertThat(wheel.cancel(-1)).isFalse();
        assertThat(wheel.cancel(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void staleIdDoesNotCancelTheTimerThatReusedItsNode() {
        long stale = at(1_000, "old");
        assertThat(wheel.cancel(stale)).isTrue();
        long reused = at(1_000, "new");

        assertThat((int) reused).as("same pooled node").isEqualTo((int) stale);
        assertThat(reused).isNotEqualTo(stale);
        assertThat(wheel.cancel(stale)).isFalse();
        wheel.expire(START + 1_000);
        assertThat(fired).containsExactly("new");
        assertThat(wheel.cancel(stale)).isFalse();
    }

    @Test
    void timerScheduledByHandlerFiresOnTheNextExpireEvenIfDue() {
        long now = START + 10_000;
        wheel.schedule(START + 1_000, (id, deadline, n) -> {
            fired.add("first");
            wheel.schedule(n, record("again"));
            wheel.schedule(n - 5_000, record("past"));
        });

        assertThat(wheel.expire(now)).isEqualTo(1);
        assertThat(fired).containsExactly("first");
        assertThat(wheel.nextDeadlineNanos()).isEqualTo(now - 5_000);

        assertThat(wheel.expire(now)).isEqualTo(2);
        assertThat(fired).containsExactly("first", "past", "again");
    }

    @Test
    void handlerReschedulingAtNowDoesNotLoopForever() {
        long now = START + 1_000;
        TimerHandler[] self = new TimerHandler[1];
        self[0] = (id, deadline, n) -> wheel.schedule(n, self[0]);
        wheel.schedule(now, self[0]);

        for (int call = 0; call < 5; call++) {
            assertThat(wheel.expire(now)).isEqualTo(1);
        }
        assertThat(wheel.size()).isEqualTo(1);
    }

    @Test
    void handlerCancelsTimersDueInTheSameCallAndLater() {
        long[] ids = new long[3];
        wheel.schedule(START + 100, (id, deadline, now) -> {
            fired.add("canceller");
            assertThat(wheel.cancel(ids[0])).isTrue();
            assertThat(wheel.cancel(ids[1])).isTrue();
            assertThat(wheel.cancel(ids[2])).isTrue();
            assertThat(wheel.size()).isEqualTo(1);
        });
        ids[0] = at(100, "same deadline, scheduled later");
        ids[1] = at(500, "same tick");
        ids[2] = at(50_000_000, "far");
        at(600, "survivor");

        assertThat(wheel.expire(START + 60_000_000)).isEqualTo(2);
        assertThat(fired).containsExactly("canceller", "survivor");
        assertThat(wheel.size()).isZero();
    }

    @Test
    void handlerCanCancelATimerItScheduledInTheSameCall() {
        wheel.schedule(START + 100, (id, deadline, now) -> {
            long mine = wheel.schedule(now, record("never"));
            assertThat(wheel.nextDeadlineNanos()).isEqualTo(now);
            assertThat(wheel.cancel(mine)).isTrue();
            assertThat(wheel.cancel(id)).as("a fired timer's own id").isFalse();
        });

        wheel.expire(START + 1_000);
        wheel.expire(START + 2_000);

        assertThat(fired).isEmpty();
        assertThat(wheel.size()).isZero();
        assertThat(wheel.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void pastDeadlinesFireOnTheNextExpireInDeadlineOrder() {
        wheel.expire(START + 10_000_000);
        at(9_000_000, "recent past");
        at(-START, "long ago");
        wheel.schedule(Long.MIN_VALUE, record("dawn of time"));
        at(10_000_000, "now");

        assertThat(wheel.nextDeadlineNanos()).isEqualTo(Long.MIN_VALUE);
        assertThat(wheel.expire(START + 10_000_000)).isEqualTo(4);
        assertThat(fired).containsExactly("dawn of time", "long ago", "recent past", "now");
    }

    @Test
    void farFutureDeadlinesFireExactlyWhenDue() {
        long hour = TimeUnit.HOURS.toNanos(1);
        long day = TimeUnit.DAYS.toNanos(1);
        at(3 * hour + 17, "3 h");
        at(40 * day + 5, "40 days");
        at(400 * day, "400 days");
        wheel.schedule(Long.MAX_VALUE, record("end of time"));
        at(1_000, "soon");

        assertThat(wheel.expire(START + 1_000)).isEqualTo(1);
        expectFiresExactlyAt(START + 3 * hour + 17, "3 h");
        expectFiresExactlyAt(START + 40 * day + 5, "40 days");
        expectFiresExactlyAt(START + 400 * day, "400 days");
        expectFiresExactlyAt(Long.MAX_VALUE, "end of time");
        assertThat(wheel.size()).isZero();
    }

    private void expectFiresExactlyAt(long deadline, String name) {
        assertThat(wheel.nextDeadlineNanos()).isEqualTo(deadline);
        assertThat(wheel.expire(deadline - 1)).isZero();
        assertThat(wheel.expire(deadline)).isEqualTo(1);
        assertThat(fired).last().isEqualTo(name);
    }

    @Test
    void farFutureDeadlineSurvivesManySmallSteps() {
        long deadline = START + TimeUnit.SECONDS.toNanos(20) + 3;
        at(deadline - START, "t");
        Random random = new Random(7);

        long now = START;
        while (now < deadline - 1) {
            now = Math.min(deadline - 1, now + random.nextInt(50_000_000));
            assertThat(wheel.expire(now)).isZero();
            assertThat(wheel.nextDeadlineNanos()).isEqualTo(deadline);
        }
        assertThat(wheel.expire(deadline)).isEqualTo(1);
    }

    @Test
    void nextDeadlineIsExactAtEveryStep() {
        assertThat(wheel.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
        long a = at(70_000, "a");
        assertThat(wheel.nextDeadlineNanos()).isEqualTo(START + 70_000);
        at(5_000_123, "b");
        assertThat(wheel.nextDeadlineNanos()).isEqualTo(START + 70_000);
        at(69_999, "c");
        assertThat(wheel.nextDeadlineNanos()).isEqualTo(START + 69_999);
        wheel.expire(START + 69_999);
        assertThat(wheel.nextDeadlineNanos()).isEqualTo(START + 70_000);
        wheel.cancel(a);
        assertThat(wheel.nextDeadlineNanos()).isEqualTo(START + 5_000_123);
        wheel.expire(START + 5_000_123);
        assertThat(wheel.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(fired).containsExactly("c", "b");
    }

    @Test
    void throwingHandlerLeavesTheRestPending() {
        at(100, "a");
        wheel.schedule(START + 200, (id, deadline, now) -> {
            throw new IllegalStateException("boom");
        });
        at(300, "c");
        at(5_000_000, "d");

        assertThatThrownBy(() -> wheel.expire(START + 10_000_000)).hasMessage("boom");
        assertThat(fired).containsExactly("a");
        assertThat(wheel.size()).isEqualTo(2);
        assertThat(wheel.nextDeadlineNanos()).isEqualTo(START + 300);

        assertThat(wheel.expire(START + 10_000_000)).isEqualTo(2);
        assertThat(fired).containsExactly("a", "c", "d");
    }

    @Test
    void expireFromAHandlerIsRejected() {
        wheel.schedule(START, (id, deadline, now) -> wheel.expire(now));

        assertThatThrownBy(() -> wheel.expire(START))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("handler");
    }

    @Test
    void rejectsBadArguments() {
        for (long bad : new long[] {0, -1024, 3, 1000, Long.MIN_VALUE}) {
            assertThatThrownBy(() -> new TimingWheel(bad, 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("power of two")
                    .hasMessageContaining(Long.toString(bad));
        }
        assertThatThrownBy(() -> wheel.schedule(START, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("handler");
    }

    @Test
    void worksWithOneNanosecondTicksAndNegativeOrigins() {
        TimingWheel w = new TimingWheel(1, Long.MIN_VALUE + 10);
        List<Long> deadlines = new ArrayList<>();
        TimerHandler recordDeadline = (id, deadline, now) -> deadlines.add(deadline);
        long[] scheduled = {Long.MAX_VALUE, -5, 0, Long.MIN_VALUE + 11, 1L << 62, -(1L << 62), 12345};
        for (long d : scheduled) {
            w.schedule(d, recordDeadline);
        }

        w.expire(0);
        assertThat(deadlines).containsExactly(Long.MIN_VALUE + 11, -(1L << 62), -5L, 0L);
        assertThat(w.nextDeadlineNanos()).isEqualTo(12345);
        w.expire(Long.MAX_VALUE);
        assertThat(deadlines).endsWith(12345L, 1L << 62, Long.MAX_VALUE);
    }

    // ---- property test against a PriorityQueue reference model ----

    private record Expected(long id, long deadline, long sequence) {
    }

    private static final Comparator<Expected> EXPIRY_ORDER =
            Comparator.comparingLong(Expected::deadline).thenComparingLong(Expected::sequence);

    @ParameterizedTest(name = "seed {0}, tick {1}, start {2}")
    @CsvSource({
        "1, 1024, 0",
        "2, 1024, -4611686018427387904",
        "3, 1, 1000",
        "4, 64, 123456789",
        "5, 1048576, 0",
        "6, 4611686018427387904, -7",
    })
    void matchesAPriorityQueueOnRandomOperations(long seed, long tick, long start) {
        Random random = new Random(seed);
        TimingWheel w = new TimingWheel(tick, start, 4);
        PriorityQueue<Expected> model = new PriorityQueue<>(EXPIRY_ORDER);
        Map<Long, Expected> pending = new HashMap<>();
        List<Long> dead = new ArrayList<>();
        List<Long> firedIds = new ArrayList<>();
        TimerHandler handler = (id, deadline, now) -> firedIds.add(id);
        long now = start;
        long sequence = 0;

        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            if (op < 5) {
                long deadline = now + randomOffset(random);
                long id = w.schedule(deadline, handler);
                Expected e = new Expected(id, deadline, sequence++);
                model.add(e);
                assertThat(pending.put(id, e)).as("fresh id").isNull();
            } else if (op < 7 && !pending.isEmpty()) {
                boolean stale = random.nextInt(4) == 0 && !dead.isEmpty();
                long id = stale ? dead.get(random.nextInt(dead.size())) : anyKey(pending, random);
                Expected e = pending.remove(id);
                assertThat(w.cancel(id)).isEqualTo(e != null);
                if (e != null) {
                    model.remove(e);
                    dead.add(id);
                }
            } else {
                now = advance(now, random);
                firedIds.clear();
                int count = w.expire(now);
                List<Long> expected = new ArrayList<>();
                while (!model.isEmpty() && model.peek().deadline() <= now) {
                    Expected e = model.poll();
                    pending.remove(e.id());
                    dead.add(e.id());
                    expected.add(e.id());
                }
                assertThat(firedIds).as("step %d", step).isEqualTo(expected);
                assertThat(count).isEqualTo(expected.size());
            }
            assertThat(w.size()).isEqualTo(model.size());
            long expectedNext = model.isEmpty() ? Long.MAX_VALUE : model.peek().deadline();
            assertThat(w.nextDeadlineNanos()).as("step %d", step).isEqualTo(expectedNext);
        }
    }

    private static long randomOffset(Random random) {
        switch (random.nextInt(6)) {
            case 0:
                return -random.nextInt(100_000); // past
            case 1:
                return random.nextInt(2_000); // within a tick or two
            case 2:
                return random.nextInt(1_000_000);
            case 3:
                return random.nextInt(1_000_000_000);
            case 4:
                return random.nextLong() & ((1L << 50) - 1); // up to 13 days
            default:
                return random.nextInt(5) * 1_000L; // many equal deadlines
        }
    }

    private static long advance(long now, Random random) {
        switch (random.nextInt(4)) {
            case 0:
                return now;
            case 1:
                return now + random.nextInt(3_000);
            case 2:
                return now + random.nextInt(5_000_000);
            default:
                return now + (random.nextLong() & ((1L << 40) - 1));
        }
    }

    private static long anyKey(Map<Long, Expected> map, Random random) {
        int skip = random.nextInt(Math.min(map.size(), 8));
        var it = map.keySet().iterator();
        for (int i = 0; i < skip; i++) {
            it.next();
        }
        return it.next();
    }

    // ---- volume ----

    @Test
    void firesAMillionTimersInDeadlineOrder() {
        int count = 1_000_000;
        Random random = new Random(42);
        long[] lastDeadline = {Long.MIN_VALUE};
        int[] inOrder = {0};
        TimerHandler check = (id, deadline, now) -> {
            if (deadline >= lastDeadline[0]) {
                inOrder[0]++;
            }
            lastDeadline[0] = deadline;
        };
        for (int i = 0; i < count; i++) {
            wheel.schedule(START + random.nextInt(2_000_000_000), check);
        }
        assertThat(wheel.size()).isEqualTo(count);

        int firedTotal = 0;
        for (long now = START; now <= START + 2_000_000_000L; now += 1_000_000) {
            firedTotal += wheel.expire(now);
        }

        assertThat(firedTotal).isEqualTo(count);
        assertThat(inOrder[0]).isEqualTo(count);
        assertThat(wheel.size()).isZero();
        assertThat(wheel.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void schedulesAndCancelsAMillionTimers() {
        int count = 1_000_000;
        long[] ids = new long[count];
        TimerHandler never = (id, deadline, now) -> fired.add("unexpected");
        for (int i = 0; i < count; i++) {
            ids[i] = wheel.schedule(START + (i * 7919L) % 3_000_000_000L, never);
        }
        int cancelled = 0;
        for (int i = count - 1; i >= 0; i--) {
            cancelled += wheel.cancel(ids[i]) ? 1 : 0;
        }

        assertThat(cancelled).isEqualTo(count);

        assertThat(wheel.size()).isZero();
        assertThat(wheel.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(wheel.expire(START + 3_000_000_000L)).isZero();
        assertThat(fired).isEmpty();
    }
}
