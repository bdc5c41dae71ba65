package io.qsockets.impl.rtc;

import io.qsockets.NanoClock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real-time clock service: one thread that activates timing requests at their deadlines, in
 * deadline order (ties in the order the RTC received them), for stream emulators, pacers and
 * benchmarks. Many streams share it, as they share the one clock in the Q.Sockets RTC subsystem.
 *
 * <p><b>Timing.</b> The RTC thread drives a {@link TimingWheel}. When the next deadline is more
 * than the spin window away it parks until the spin window before it; it spins
 * ({@link Thread#onSpinWait()}) through the last stretch, because {@code parkNanos} wakes some
 * 50-60 µs late on Linux. A wider spin window means punctual activations and a busier core. An
 * activation is never run before its deadline.
 *
 * <p><b>Thread-safety.</b> {@link #schedule} and {@link RtcTimer#cancel} may be called from any
 * thread. Requests from other threads pass through a bounded MPSC queue; a submitter unparks the
 * RTC thread only if it is parked, and waits (yielding) while the queue is full. Requests made
 * from the RTC thread itself, e.g. an activation rescheduling its stream, go straight to the
 * wheel. Activations run on the RTC thread, one at a time; an exception one throws is counted
 * ({@link #failures()}) and logged, and the RTC carries on.
 *
 * <p>The clock must advance at the rate of real time (parking is in real nanoseconds): use
 * {@link NanoClock#system()}. For simulated time drive a {@link TimingWheel} directly.
 */
public final class Rtc implements AutoCloseable {

    /** The spin window {@link #start(String)} uses: 100 µs. */
    public static final Duration DEFAULT_SPIN_WINDOW = Duration.ofNanos(100_000);
    /** The request queue capacity {@link #start(String, NanoClock, Duration)} uses. */
    public static final int DEFAULT_QUEUE_CAPACITY = 1 << 16;

    private static final Logger LOG = LoggerFactory.getLogger(Rtc.class);
    private static final int DRAIN_LIMIT = 4096;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final String name;
    private final NanoClock clock;
    private final long spinWindowNanos;
    private final MpscArrayQueue<Request> requests;
    private final TimingWheel wheel;
    private final MessagePassingQueue.Consumer<Request> applyRequest = this::apply;
    private final AtomicLong activations = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean parked;

    private Rtc(String name, NanoClock clock, long spinWindowNanos, int queueCapacity) {
        this.name = name;
        this.clock = clock;
        this.spinWindowNanos = spinWindowNanos;
        this.requests = new MpscArrayQueue<>(queueCapacity);
        this.wheel = new TimingWheel(TimingWheel.DEFAULT_TICK_NANOS, clock.nanoTime());
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /**
     * Starts an RTC on the system clock with the {@link #DEFAULT_SPIN_WINDOW}.
     *
     * @param name the name of the RTC thread
     * @return the running RTC
     */
    public static Rtc start(String name) {
        return start(name, NanoClock.system(), DEFAULT_SPIN_WINDOW);
    }

    /**
     * Starts an RTC with a request queue of {@link #DEFAULT_QUEUE_CAPACITY}.
     *
     * @param name the name of the RTC thread
     * @param clock the clock deadlines refer to; must advance at the rate of real time
     * @param spinWindow how long before a deadline the RTC thread stops parking and spins; zero
     *     never spins
     * @return the running RTC
     */
    public static Rtc start(String name, NanoClock clock, Duration spinWindow) {
        return start(name, clock, spinWindow, DEFAULT_QUEUE_CAPACITY);
    }

    /**
     * Starts an RTC.
     *
     * @param name the name of the RTC thread (a daemon thread)
     * @param clock the clock deadlines refer to; must advance at the rate of real time
     * @param spinWindow how long before a deadline the RTC thread stops parking and spins; zero
     *     never spins
     * @param queueCapacity the capacity of the request queue from other threads, at least 2
     *     (rounded up to a power of two)
     * @return the running RTC
     * @throws IllegalArgumentException if {@code spinWindow} is negative or {@code queueCapacity}
     *     is below 2
     */
    public static Rtc start(String name, NanoClock clock, Duration spinWindow, int queueCapacity) {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(clock, "clock must not be null");
        Objects.requireNonNull(spinWindow, "spinWindow must not be null");
        if (spinWindow.isNegative()) {
            throw new IllegalArgumentException("spinWindow must not be negative, got " + spinWindow);
        }
        if (queueCapacity < 2) {
            throw new IllegalArgumentException("queueCapacity must be at least 2, got " + queueCapacity);
        }
        long spinWindowNanos = saturatedNanos(spinWindow);
        Rtc rtc = new Rtc(name, clock, spinWindowNanos, queueCapacity);
        rtc.thread.start();
        return rtc;
    }

    /**
     * Asks for an activation at a deadline. A deadline already past is activated as soon as
     * possible. Thread-safe; blocks only while the request queue is full.
     *
     * @param deadlineNanos when to activate, on this RTC's clock
     * @param activation what to run then, on the RTC thread
     * @return the request, which can be cancelled
     * @throws NullPointerException if {@code activation} is null
     * @throws IllegalStateException if the RTC is closed
     */
    public RtcTimer schedule(long deadlineNanos, RtcActivation activation) {
        Objects.requireNonNull(activation, "activation must not be null");
        ensureRunning();
        Request request = new Request(this, deadlineNanos, activation);
        if (Thread.currentThread() == thread) {
            apply(request);
        } else {
            submit(request);
        }
        return request;
    }

    /** @return the clock deadlines refer to */
    public NanoClock clock() {
        return clock;
    }

    /** @return the name of the RTC thread */
    public String name() {
        return name;
    }

    /** @return how many activations have run, including those that threw */
    public long activations() {
        return activations.get();
    }

    /** @return how many activations threw */
    public long failures() {
        return failures.get();
    }

    /** @return true until {@link #close()} is called (or the RTC thread died of an error) */
    public boolean isRunning() {
        return running;
    }

    /**
     * Stops the RTC thread and waits for it to end, at most 5 s (an activation still running
     * delays it). Requests still pending are never activated. Idempotent; may be called from an
     * activation, which then does not wait.
     */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (thread.isAlive()) {
            LOG.warn("RTC thread '{}' did not stop within {}: an activation is still running", name, CLOSE_TIMEOUT);
        }
    }

    @Override
    public String toString() {
        return "Rtc[" + name + (running ? ", running" : ", closed") + ", activations=" + activations()
                + ", failures=" + failures() + "]";
    }

    private void run() {
        try {
            while (running) {
                requests.drain(applyRequest, DRAIN_LIMIT);
                wheel.expire(clock.nanoTime());
                idleUntil(wheel.nextDeadlineNanos());
            }
        } finally {
            running = false;
        }
    }

    /** Parks until the spin window before the deadline, or spins once inside it. */
    private void idleUntil(long deadlineNanos) {
        if (deadlineNanos == Long.MAX_VALUE) {
            park(0);
            return;
        }
        long remaining = saturatedDifference(deadlineNanos, clock.nanoTime());
        if (remaining > spinWindowNanos) {
            park(remaining - spinWindowNanos);
        } else if (remaining > 0) {
            Thread.onSpinWait();
        }
    }

    /** Parks for {@code nanos} (0: until unparked) unless a request or close is pending. */
    private void park(long nanos) {
        parked = true;
        // Dekker with submit(): we publish parked then check the queue; a submitter publishes
        // its request then checks parked. One of the two sees the other.
        if (running && requests.isEmpty()) {
            if (nanos == 0) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, nanos);
            }
        }
        parked = false;
    }

    private void submit(Request request) {
        while (!requests.offer(request)) {
            ensureRunning();
            LockSupport.unpark(thread);
            Thread.yield();
        }
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    /** Asks the RTC thread to drop a cancelled request from the wheel; no wake-up needed. */
    private void remove(Request request) {
        if (Thread.currentThread() == thread) {
            apply(request);
        } else {
            // If the queue is full the cancelled request stays in the wheel until its deadline
            // and is skipped then: cancel never blocks.
            requests.offer(request);
        }
    }

    /** On the RTC thread: a new request enters the wheel, a cancelled one leaves it. */
    private void apply(Request request) {
        if (request.isCancelled()) {
            if (request.wheelId != 0) {
                wheel.cancel(request.wheelId);
                request.wheelId = 0;
            }
        } else if (request.wheelId == 0 && request.isPending()) {
            request.wheelId = wheel.schedule(request.deadlineNanos, request);
        }
    }

    /** On the RTC thread, from the wheel: runs the activation unless it was cancelled. */
    private void activate(Request request) {
        request.wheelId = 0;
        if (!request.markActivated()) {
            return;
        }
        activations.lazySet(activations.get() + 1);
        try {
            request.activation.activate(request.deadlineNanos, clock.nanoTime());
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            long count = failures.get() + 1;
            failures.lazySet(count);
            logFailure(e, count);
        }
    }

    private void logFailure(Throwable e, long count) {
        if (count == 1) {
            LOG.warn("RTC '{}': an activation threw; counted in failures() (later ones are logged at debug)", name, e);
        } else {
            LOG.debug("RTC '{}': activation failure #{}", name, count, e);
        }
    }

    private void ensureRunning() {
        if (!running) {
            throw new IllegalStateException("RTC '" + name + "' is closed");
        }
    }

    private static long saturatedNanos(Duration duration) {
        return duration.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : duration.toNanos();
    }

    /** {@code a - b}, saturated instead of overflowing. */
    private static long saturatedDifference(long a, long b) {
        long difference = a - b;
        if (((a ^ b) & (a ^ difference)) < 0) {
            return a > b ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return difference;
    }

    /** A timing request: the handle given to the caller, the queue message and the wheel handler. */
    private static final class Request implements RtcTimer, TimerHandler {
        private static final int PENDING = 0;
        private static final int ACTIVATED = 1;
        private static final int CANCELLED = 2;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Request.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Rtc rtc;
        private final long deadlineNanos;
        private final RtcActivation activation;
        private volatile int state = PENDING;
        /** The wheel's id for this request while it is in the wheel, else 0; RTC thread only. */
        private long wheelId;

        Request(Rtc rtc, long deadlineNanos, RtcActivation activation) {
            this.rtc = rtc;
            this.deadlineNanos = deadlineNanos;
            this.activation = activation;
        }

        @Override
        public long deadlineNanos() {
            return deadlineNanos;
        }

        @Override
        public boolean cancel() {
            if (!STATE.compareAndSet(this, PENDING, CANCELLED)) {
                return false;
            }
            rtc.remove(this);
            return true;
        }

        @Override
        public boolean isPending() {
            return state == PENDING;
        }

        @Override
        public void onTimer(long timerId, long deadline, long nowNanos) {
            rtc.activate(this);
        }

        boolean isCancelled() {
            return state == CANCELLED;
        }

        boolean markActivated() {
            return STATE.compareAndSet(this, PENDING, ACTIVATED);
        }

        @Override
        public String toString() {
            String[] states = {"pending", "activated", "cancelled"};
            return "RtcTimer[deadline=" + deadlineNanos + ", " + states[state] + "]";
        }
    }
}
