package io.qsockets.impl.rtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qsockets.NanoClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Rtc} on real time. No timing assertions beyond "never before the deadline" and order:
 * deadlines are far enough ahead that every request is queued before the first one is due.
 */
@Timeout(30)
class RtcTest {

    private static final long LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long AWAIT_SECONDS = 10;

    private final NanoClock clock = NanoClock.system();
    private Rtc rtc;

    /** One activation as the RTC thread saw it; only the RTC thread adds, readers await first. */
    private record Fired(long deadline, long firedAt) {
    }

    @AfterEach
    void closeRtc() {
        if (rtc != null) {
            rtc.close();
        }
    }

    @Test
    void activatesInDeadlineOrderNeverEarly() throws InterruptedException {
        rtc = Rtc.start("rtc-order");
        int count = 500;
        List<Fired> fired = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(count);
        RtcActivation record = (deadline, firedAt) -> {
            fired.add(new Fired(deadline, firedAt));
            done.countDown();
        };
        Random random = new Random(1);
        long base = clock.nanoTime() + LEAD_NANOS;
        for (int i = 0; i < count; i++) {
            rtc.schedule(base + random.nextInt(50_000_000), record);
        }

        assertThat(done.await(AWAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(fired).extracting(Fired::deadline).isSorted();
        assertThat(fired).allSatisfy(f -> assertThat(f.firedAt()).isGreaterThanOrEqualTo(f.deadline()));
        assertThat(rtc.activations()).isEqualTo(count);
        assertThat(rtc.failures()).isZero();
    }

    @Test
    void equalDeadlinesActivateInSubmissionOrder() throws InterruptedException {
        rtc = Rtc.start("rtc-ties");
        int count = 100;
        List<Integer> order = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(count);
        long deadline = clock.nanoTime() + LEAD_NANOS;
        for (int i = 0; i < count; i++) {
            int index = i;
            rtc.schedule(deadline, (d, firedAt) -> {
                order.add(index);
                done.countDown();
            });
        }

        assertThat(done.await(AWAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(order).isSorted().hasSize(count);
    }

    @Test
    void cancelPreventsActivation() throws Exception {
        rtc = Rtc.start("rtc-cancel");
        AtomicInteger cancelledRuns = new AtomicInteger();
        CompletableFuture<Long> later = new CompletableFuture<>();
        long now = clock.nanoTime();
        RtcTimer cancelled = rtc.schedule(now + LEAD_NANOS, (d, f) -> cancelledRuns.incrementAndGet());
        RtcTimer kept = rtc.schedule(now + 2 * LEAD_NANOS, (d, f) -> later.complete(f));

        assertThat(cancelled.isPending()).isTrue();
        assertThat(cancelled.cancel()).isTrue();
        assertThat(cancelled.cancel()).isFalse();
        assertThat(cancelled.isPending()).isFalse();

        assertThat(later.get(AWAIT_SECONDS, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(kept.deadlineNanos());
        assertThat(cancelledRuns).hasValue(0);
        assertThat(kept.isPending()).isFalse();
        assertThat(kept.cancel()).as("already activated").isFalse();
        assertThat(rtc.activations()).isEqualTo(1);
    }

    @Test
    void activationCanRescheduleAndCancelFromTheRtcThread() throws Exception {
        rtc = Rtc.start("rtc-periodic");
        long period = TimeUnit.MILLISECONDS.toNanos(2);
        List<Fired> fired = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        RtcTimer victim = rtc.schedule(clock.nanoTime() + TimeUnit.SECONDS.toNanos(5), (d, f) -> fired.add(null));
        RtcActivation periodic = new RtcActivation() {
            @Override
            public void activate(long deadline, long firedAt) {
                fired.add(new Fired(deadline, firedAt));
                if (fired.size() == 1) {
                    assertThat(victim.cancel()).isTrue();
                }
                if (fired.size() < 10) {
                    rtc.schedule(deadline + period, this);
                } else {
                    done.complete(null);
                }
            }
        };
        long first = clock.nanoTime() + period;
        rtc.schedule(first, periodic);

        done.get(AWAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(fired).hasSize(10).doesNotContainNull();
        for (int i = 0; i < fired.size(); i++) {
            assertThat(fired.get(i).deadline()).isEqualTo(first + i * period);
            assertThat(fired.get(i).firedAt()).isGreaterThanOrEqualTo(first + i * period);
        }
        assertThat(rtc.failures()).isZero();
    }

    @Test
    void throwingActivationDoesNotStopLaterOnes() throws Exception {
        rtc = Rtc.start("rtc-failure");
        CompletableFuture<Long> after = new CompletableFuture<>();
        long now = clock.nanoTime();
        rtc.schedule(now + 1_000_000, (d, f) -> {
            throw new IllegalStateException("expected by the test");
        });
        rtc.schedule(now + 2_000_000, (d, f) -> {
            throw new AssertionError("also expected by the test");
        });
        rtc.schedule(now + 3_000_000, (d, f) -> after.complete(f));

        assertThat(after.get(AWAIT_SECONDS, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(now + 3_000_000);
        assertThat(rtc.failures()).isEqualTo(2);
        assertThat(rtc.activations()).isEqualTo(3);
        assertThat(rtc.isRunning()).isTrue();
    }

    @Test
    void acceptsRequestsFromManyThreadsThroughATinyQueue() throws Exception {
        rtc = Rtc.start("rtc-mpsc", clock, Rtc.DEFAULT_SPIN_WINDOW, 4);
        int threads = 4;
        int perThread = 1_000;
        List<Fired> fired = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(threads * perThread);
        RtcActivation record = (deadline, firedAt) -> {
            fired.add(new Fired(deadline, firedAt));
            done.countDown();
        };
        long base = clock.nanoTime() + 2 * LEAD_NANOS;
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> submitters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Random random = new Random(t);
            submitters.add(CompletableFuture.runAsync(() -> {
                awaitUninterruptibly(go);
                for (int i = 0; i < perThread; i++) {
                    rtc.schedule(base + random.nextInt(20_000_000), record);
                }
            }, runnable -> new Thread(runnable, "submitter").start()));
        }
        go.countDown();

        CompletableFuture.allOf(submitters.toArray(CompletableFuture[]::new)).get(AWAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(done.await(AWAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(fired).hasSize(threads * perThread);
        assertThat(fired).extracting(Fired::deadline).isSorted();
        assertThat(fired).allSatisfy(f -> assertThat(f.firedAt()).isGreaterThanOrEqualTo(f.deadline()));
    }

    @Test
    void pastDeadlineIsActivatedPromptly() throws Exception {
        rtc = Rtc.start("rtc-past");
        CompletableFuture<Long> fired = new CompletableFuture<>();
        long deadline = clock.nanoTime() - 1_000_000;

        rtc.schedule(deadline, (d, f) -> fired.complete(d));

        assertThat(fired.get(AWAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(deadline);
    }

    @Test
    void closeStopsTheThreadAndRejectsNewRequests() throws Exception {
        String name = "rtc-close-" + System.identityHashCode(this);
        rtc = Rtc.start(name);
        CompletableFuture<Void> ran = new CompletableFuture<>();
        rtc.schedule(clock.nanoTime(), (d, f) -> ran.complete(null));
        ran.get(AWAIT_SECONDS, TimeUnit.SECONDS);
        RtcTimer pending = rtc.schedule(clock.nanoTime() + TimeUnit.HOURS.toNanos(1), (d, f) -> { });
        assertThat(threadNamed(name)).isNotNull();

        rtc.close();

        assertThat(rtc.isRunning()).isFalse();
        assertThat(threadNamed(name)).as("the RTC thread has ended").isNull();
        assertThat(pending.isPending()).as("never activated").isTrue();
        assertThatThrownBy(() -> rtc.schedule(clock.nanoTime(), (d, f) -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(name)
                .hasMessageContaining("closed");
        rtc.close(); // idempotent
    }

    @Test
    void closeFromAnActivationStopsTheRtc() throws Exception {
        rtc = Rtc.start("rtc-self-close");
        CompletableFuture<Void> closed = new CompletableFuture<>();
        rtc.schedule(clock.nanoTime(), (d, f) -> {
            rtc.close();
            closed.complete(null);
        });

        closed.get(AWAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(rtc.isRunning()).isFalse();
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> Rtc.start("x", clock, Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spinWindow");
        assertThatThrownBy(() -> Rtc.start("x", clock, Duration.ZERO, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queueCapacity")
                .hasMessageContaining("1");
        rtc = Rtc.start("rtc-args");
        assertThatThrownBy(() -> rtc.schedule(0, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("activation");
    }

    private static Thread threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(name) && t.isAlive())
                .findFirst()
                .orElse(null);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
