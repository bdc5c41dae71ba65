package io.qsockets.examples.stream;

import io.qsockets.impl.rtc.Rtc;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.concurrent.locks.LockSupport;

/**
 * The stream emulator of the DCCP/TP paper (§3.3): plays a stream, recorded or generated, handing
 * each item to a sink at its arrival time. Timing comes from a shared {@link Rtc}: the emulator's
 * thread submits one timing request at a time and waits for its activation, then hands the item
 * over, so the sink may block (a full socket) without holding up the RTC or other streams.
 *
 * <p>An emulator that falls behind (a sink that blocked) hands the late items over at once, in
 * order, and records how late it was. Thread-safe: {@link #close()} and the getters may be called
 * from any thread.
 *
 * @param <T> what the stream is made of
 */
public final class StreamEmulator<T extends Timed> implements AutoCloseable {
    private final Rtc rtc;
    private final Iterator<T> source;
    private final long durationNanos;
    private final Consumer<? super T> sink;
    private final Thread thread;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong emitted = new AtomicLong();
    private final AtomicLong maxLatenessNanos = new AtomicLong();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean fired;
    private volatile Throwable failure;
    private long originNanos;

    private StreamEmulator(String name, Rtc rtc, Iterator<T> source, Duration duration, Consumer<? super T> sink) {
        this.rtc = Objects.requireNonNull(rtc, "rtc must not be null");
        this.source = Objects.requireNonNull(source, "source must not be null");
        this.sink = Objects.requireNonNull(sink, "sink must not be null");
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration " + duration + " must be positive");
        }
        this.durationNanos = duration.toNanos();
        this.thread = new Thread(this::run, Objects.requireNonNull(name, "name must not be null"));
        this.thread.setDaemon(true);
    }

    /**
     * Starts playing {@code source} now: an item with offset {@code o} is handed to {@code sink}
     * at start + {@code o}; items with an offset of {@code duration} or more are not played.
     *
     * @param name the emulator thread's name
     * @param rtc the clock service
     * @param source the stream, in ascending offsets
     * @param duration how long to play
     * @param sink what receives each item, on the emulator's thread
     * @param <T> the item type
     * @return the running emulator
     */
    public static <T extends Timed> StreamEmulator<T> start(String name, Rtc rtc, Iterator<T> source,
            Duration duration, Consumer<? super T> sink) {
        return start(name, rtc, rtc.clock().nanoTime(), source, duration, sink);
    }

    /**
     * Starts playing {@code source} from {@code originNanos} on the RTC's clock (several streams
     * given one origin start together).
     *
     * @see #start(String, Rtc, Iterator, Duration, Consumer)
     */
    public static <T extends Timed> StreamEmulator<T> start(String name, Rtc rtc, long originNanos,
            Iterator<T> source, Duration duration, Consumer<? super T> sink) {
        StreamEmulator<T> e = new StreamEmulator<>(name, rtc, source, duration, sink);
        e.originNanos = originNanos;
        e.thread.start();
        return e;
    }

    private void run() {
        try {
            long previous = -1;
            while (running.get() && source.hasNext()) {
                T item = source.next();
                long offset = item.offsetNanos();
                if (offset < previous) {
                    throw new IllegalStateException("stream offsets must ascend: " + offset + " ns after " + previous);
                }
                previous = offset;
                if (offset >= durationNanos) {
                    break;
                }
                long due = originNanos + offset;
                if (!awaitActivation(due)) {
                    break;
                }
                maxLatenessNanos.accumulateAndGet(rtc.clock().nanoTime() - due, Math::max);
                sink.accept(item);
                emitted.incrementAndGet();
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            running.set(false);
            done.countDown();
        }
    }

    private boolean awaitActivation(long due) {
        if (rtc.clock().nanoTime() >= due) {
            return true;
        }
        fired = false;
        Thread self = Thread.currentThread();
        rtc.schedule(due, (deadline, now) -> {
            fired = true;
            LockSupport.unpark(self);
        });
        while (!fired) {
            if (!running.get()) {
                return false;
            }
            LockSupport.park(this);
        }
        return true;
    }

    /** @return the start of the stream on the RTC's clock */
    public long originNanos() {
        return originNanos;
    }

    /** @return items handed to the sink so far */
    public long emitted() {
        return emitted.get();
    }

    /** @return the most an item was handed over after its arrival time, in nanoseconds */
    public long maxLatenessNanos() {
        return maxLatenessNanos.get();
    }

    /**
     * Waits until the stream has played to its end (or was closed).
     *
     * @param timeout how long to wait at most
     * @return true if it ended in time
     * @throws IllegalStateException if the sink or the source threw (the cause is attached)
     */
    public boolean await(Duration timeout) throws InterruptedException {
        boolean ended = done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        Throwable t = failure;
        if (t != null) {
            throw new IllegalStateException("stream emulator " + thread.getName() + " failed: " + t, t);
        }
        return ended;
    }

    /** Stops the stream; items not yet handed over are not. Waits for the emulator thread. */
    @Override
    public void close() {
        running.set(false);
        LockSupport.unpark(thread);
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
