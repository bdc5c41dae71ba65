package io.qsockets.impl.engine;

import io.qsockets.Engine;
import io.qsockets.EngineConfig;
import io.qsockets.NanoClock;
import io.qsockets.QosParams;
import io.qsockets.SchedulerStats;
import io.qsockets.SegmentState;
import io.qsockets.ThreadingMode;
import io.qsockets.impl.dccp.ConnectionSettings;
import io.qsockets.impl.kernel.KernelSession;
import io.qsockets.impl.rtc.TimingWheel;
import io.qsockets.impl.transport.ChannelPort;
import io.qsockets.impl.transport.DatagramPort;
import io.qsockets.impl.transport.DatagramSink;
import io.qsockets.impl.transport.ReceiveQueue;
import io.qsockets.spi.DropReason;
import io.qsockets.spi.PacketScheduler;
import io.qsockets.spi.PacketSchedulerProvider;
import io.qsockets.spi.ScheduledPacket;
import io.qsockets.spi.SchedulerContext;
import io.qsockets.spi.SocketClassifier;
import io.qsockets.spi.SocketIdentity;
import java.io.IOException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MpmcArrayQueue;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine: one scheduler and its sockets driven by one duty cycle (drain submissions, fire
 * timers, transmit what the scheduler and the egress rate allow, idle). In AGENT mode a thread of
 * its own runs the cycle and parks until shortly before its next deadline; in INVOKER mode the
 * caller runs it through {@link #doWork()}.
 *
 * <p>Application threads reach the engine only through {@link Endpoint}s, which post datagrams
 * and commands to a multi-producer queue; everything else is confined to the engine thread.
 */
public final class DutyCycleEngine implements Engine, SchedulerContext {
    private static final Logger LOG = LoggerFactory.getLogger(DutyCycleEngine.class);
    private static final int DRAIN_BATCH = 4096;
    private static final int POOL_CAPACITY = 4096;
    /** Commands posted without a wake-up before one wakes the engine. */
    static final int QUIET_WAKE_EVERY = 64;

    private final EngineConfig config;
    private final NanoClock clock;
    private final PacketSchedulerProvider schedulerProvider;
    private final PacketScheduler scheduler;
    private final SocketClassifier classifier;
    private final MpscUnboundedXaddArrayQueue<Object> inbox = new MpscUnboundedXaddArrayQueue<>(1024, 4);
    private final MpmcArrayQueue<OutboundPacket> pool = new MpmcArrayQueue<>(POOL_CAPACITY);
    private final EgressShaper shaper;
    private final TimingWheel timers;
    private final Transmitter transmitter;
    private final java.util.concurrent.atomic.AtomicInteger quietCommands = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicLong cycleFailures = new AtomicLong();
    private Endpoint[] endpoints = new Endpoint[16];
    private final ArrayList<Endpoint> holdingRoom = new ArrayList<>();
    /** Closing endpoints that drained or whose linger passed, finished at the end of the cycle. */
    private final ArrayList<Endpoint> finishing = new ArrayList<>();
    /** Endpoints registered and not yet finished; any thread reads it (the exit drain). */
    private final java.util.Set<Endpoint> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private long sequence;
    /** Engine thread: the datagram a scheduler's {@code evict} makes room for, while it runs. */
    private OutboundPacket permitHeir;
    private volatile boolean closed;
    private volatile boolean sleeping;
    private volatile Thread agent;
    /** Created with the first reading socket; volatile for {@link #wake()} on application threads. */
    private volatile InboundReader reader;
    /** The kernel path of an engine made with kernel offload, or {@link KernelSession#NONE}. */
    private final KernelSession kernel;

    private DutyCycleEngine(EngineConfig config, PacketSchedulerProvider schedulerProvider,
            SocketClassifier classifier, KernelSession kernel) {
        this.config = config;
        this.kernel = kernel;
        this.clock = config.clock();
        this.schedulerProvider = schedulerProvider;
        this.scheduler = schedulerProvider.create(this);
        this.classifier = classifier;
        this.shaper = new EgressShaper(config.egressRateBitsPerSecond());
        this.timers = new TimingWheel(TimingWheel.DEFAULT_TICK_NANOS, clock.nanoTime());
        this.transmitter = new Transmitter(this, scheduler, shaper);
    }

    /**
     * Creates an engine, and starts its thread in AGENT mode.
     *
     * @param daemon whether the AGENT thread is a daemon (default engines are)
     */
    public static DutyCycleEngine start(EngineConfig config, PacketSchedulerProvider schedulerProvider,
            SocketClassifier classifier, boolean daemon) {
        return start(config, schedulerProvider, classifier, daemon, KernelSession.NONE);
    }

    /**
     * Creates an engine with a kernel path, which it closes after itself so that the device is
     * left as it was found; starts its thread in AGENT mode.
     *
     * @param daemon whether the AGENT thread is a daemon (default engines are)
     */
    public static DutyCycleEngine start(EngineConfig config, PacketSchedulerProvider schedulerProvider,
            SocketClassifier classifier, boolean daemon, KernelSession kernel) {
        DutyCycleEngine engine = new DutyCycleEngine(config, schedulerProvider, classifier, kernel);
        if (config.threadingMode() == ThreadingMode.AGENT) {
            Thread t = new Thread(engine::runAgent, config.name());
            t.setDaemon(daemon);
            engine.agent = t;
            t.start();
        }
        return engine;
    }

    /** @return the engine's kernel path, which hands each socket its hook ({@link KernelSession#NONE} without offload) */
    public KernelSession kernel() {
        return kernel;
    }

    // ---- application-facing ----

    /**
     * Registers a socket with the engine.
     *
     * @throws IllegalArgumentException if the scheduler rejects the attributes
     * @throws IllegalStateException if the engine is closed
     */
    public Endpoint register(DatagramPort port, SocketIdentity identity, QosParams params) {
        validate(params);
        checkOpen();
        Endpoint e = new Endpoint(this, port, identity, params);
        open.add(e);
        executeQuietly(() -> add(e, identity, params)); // the socket's first datagram wakes the engine
        return e;
    }

    /**
     * Checks that the engine can honour {@code params}: its scheduler takes the attributes and the
     * default flags.
     *
     * @throws IllegalArgumentException naming what cannot be honoured and what would honour it
     */
    private void validate(QosParams params) {
        schedulerProvider.validate(params.attributes());
        validate(params.defaultFlags(), params.transport());
    }

    /**
     * Checks per-datagram flags against the engine's scheduler and the socket's transport.
     *
     * @throws IllegalArgumentException naming the flag and what would honour it
     */
    void validate(io.qsockets.PacketFlags flags, io.qsockets.Transport transport) {
        if (transport == io.qsockets.Transport.UDP && (flags.reliable()
                || flags.maxAttempts() != io.qsockets.PacketFlags.UNLIMITED_ATTEMPTS
                || flags.graceNanos() != io.qsockets.PacketFlags.NO_GRACE)) {
            throw new IllegalArgumentException("flags " + flags + " ask for retransmission (reliable, maxAttempts or "
                    + "grace), which only Transport.DCCP does: the UDP transport sends each datagram once");
        }
        schedulerProvider.validate(flags, transport);
    }

    private void add(Endpoint e, SocketIdentity identity, QosParams params) {
        int id = classifier.classify(identity);
        if (id >= endpoints.length) {
            endpoints = Arrays.copyOf(endpoints, Math.max(id + 1, endpoints.length * 2));
        }
        endpoints[id] = e;
        e.streamId(id);
        scheduler.addStream(id, params.attributes());
    }

    /**
     * Registers a socket on the DCCP transport: the engine carries the socket's datagrams on DCCP
     * connections, one per peer, and its receivers take what arrives from {@link Endpoint#inbox()}.
     * The engine reads {@code port}'s channel (switched to non-blocking mode) when it is a
     * {@link ChannelPort}; otherwise the caller hands it what the socket reads, through
     * {@link #feed}.
     *
     * @param settings the connections' settings
     * @throws IllegalArgumentException if the scheduler rejects the attributes
     * @throws IllegalStateException if the engine is closed
     */
    public Endpoint registerDccp(DatagramPort port, SocketIdentity identity, QosParams params,
            ConnectionSettings settings) {
        validate(params);
        checkOpen();
        Endpoint e = new Endpoint(this, port, identity, params);
        ReceiveQueue inbox = new ReceiveQueue(ReceiveQueue.DEFAULT_CAPACITY);
        DccpSession session = new DccpSession(this, e, inbox, settings);
        e.useDccp(session, inbox);
        open.add(e);
        execute(() -> add(e, identity, params));
        if (port instanceof ChannelPort c) {
            startReading(c.channel(), session, c);
        }
        return e;
    }

    /**
     * Any thread: a datagram the socket of DCCP endpoint {@code e} read, for a socket the engine
     * does not read itself (an attached {@code DatagramSocket} without a channel). The engine
     * takes it in order with the commands posted before.
     */
    public void feed(Endpoint e, byte[] datagram, int length, java.net.InetSocketAddress from) {
        execute(() -> {
            DccpSession session = e.dccp();
            if (session != null && isRegistered(e) && !e.finished) {
                session.onDatagram(java.nio.ByteBuffer.wrap(datagram, 0, length), from, clock.nanoTime());
            }
        });
    }

    void change(Endpoint e, QosParams params) {
        validate(params);
        execute(() -> {
            if (isRegistered(e)) {
                scheduler.changeStream(e.streamId(), params.attributes());
            }
        });
    }

    /**
     * Any thread: starts closing {@code e} (see {@link Endpoint#close()}): the engine lets what it
     * holds of it leave or settle for at most {@code lingerNanos}, then discards the rest and
     * finishes it (connections closed, socket closed).
     *
     * @return false if the engine is closed: the caller closes the socket itself
     */
    boolean close(Endpoint e, long lingerNanos) {
        if (closed) {
            return false;
        }
        execute(() -> beginClose(e, lingerNanos));
        return true;
    }

    /**
     * Any thread: completes {@code drained} with true once the engine holds nothing of {@code e}
     * (after the datagrams submitted before this call have reached it).
     *
     * @return false if the engine is closed
     */
    boolean flush(Endpoint e, java.util.concurrent.CompletableFuture<Boolean> drained) {
        if (closed) {
            return false;
        }
        execute(() -> e.addFlush(drained));
        return true;
    }

    /** @return whether the calling thread may wait for the engine: it runs a thread of its own, and this is not it */
    boolean canAwait() {
        Thread t = agent;
        return t != null && t != Thread.currentThread() && !closed;
    }

    /** @return whether the calling thread is the engine's own */
    boolean isEngineThread() {
        return agent == Thread.currentThread();
    }

    /**
     * Any thread: waits until every open socket of the engine has drained, each for at most its
     * linger counted from {@code startNanos} ({@link System#nanoTime()}). For the drain at JVM exit.
     */
    public void awaitDrained(long startNanos) {
        if (!canAwait()) {
            return; // INVOKER: nobody drives it now
        }
        for (Endpoint e : open) {
            long linger = e.params().linger().toNanos();
            long left = startNanos + linger - System.nanoTime();
            if (linger == 0 || left <= 0) {
                continue;
            }
            try {
                e.flush(left);
            } catch (java.io.InterruptedIOException | IllegalStateException ex) {
                return;
            }
        }
    }

    /** Engine thread: {@code e} closes; it finishes now if nothing of it is held, else when it drains or the linger passes. */
    private void beginClose(Endpoint e, long lingerNanos) {
        if (e.finished || e.closing) {
            return;
        }
        if (!isRegistered(e)) {
            finish(e); // never registered (the engine was closing), or already gone
            return;
        }
        e.closing = true;
        if (e.held == 0 || lingerNanos == 0) {
            finish(e);
            return;
        }
        long at = clock.nanoTime() + lingerNanos;
        e.lingerTimer = timers.schedule(at, (id, deadline, now) -> {
            e.lingerTimer = -1;
            finishLater(e); // the linger passed: what is left is discarded
        });
    }

    private void finishLater(Endpoint e) {
        if (!e.finished && !finishing.contains(e)) {
            finishing.add(e);
        }
    }

    /** Engine thread, outside any scheduler or transport call: finishes the endpoints whose close is due. */
    private void finishClosed() {
        for (int i = 0; i < finishing.size(); i++) {
            finish(finishing.get(i));
        }
        finishing.clear();
    }

    /**
     * Engine thread: the socket is done with. What the engine still holds of it is discarded
     * (counted dropped), its stream and connections go (a DCCP socket's connections are sent
     * Close), and the socket is closed, after which {@link Endpoint#close()} returns.
     */
    private void finish(Endpoint e) {
        if (e.finished) {
            return;
        }
        e.finished = true;
        if (e.lingerTimer >= 0) {
            timers.cancel(e.lingerTimer);
            e.lingerTimer = -1;
        }
        if (isRegistered(e)) {
            int id = e.streamId();
            scheduler.removeStream(id);
            endpoints[id] = null;
            classifier.release(e.identity());
        }
        if (e.dccp() != null) {
            e.dccp().close(clock.nanoTime()); // Close to every peer; the channel is closed after them
            InboundReader r = reader;
            if (r != null) {
                r.releaseClosed(); // the port is free when close() returns
            }
        }
        open.remove(e);
        e.completeFlushes(e.held == 0);
        e.closeSocket();
    }

    long now() {
        return clock.nanoTime();
    }

    OutboundPacket takePacket() {
        OutboundPacket p = pool.relaxedPoll();
        return p != null ? p : new OutboundPacket();
    }

    void recyclePacket(OutboundPacket p) {
        p.clear();
        pool.relaxedOffer(p);
    }

    void submit(OutboundPacket p) {
        inbox.offer(p);
        wake();
    }

    /** Runs {@code command} on the engine thread, in order with the datagrams submitted before it. */
    public void execute(Runnable command) {
        if (closed) {
            return;
        }
        inbox.offer(command);
        wake();
    }

    /**
     * Posts a command that may wait until the engine wakes for another reason (a datagram, a
     * timer): registering or removing a UDP socket need not cost a wake-up. Every
     * {@link #QUIET_WAKE_EVERY}-th such command wakes the engine anyway, so that they cannot pile up.
     */
    private void executeQuietly(Runnable command) {
        if (closed) {
            return;
        }
        inbox.offer(command);
        if (quietCommands.incrementAndGet() % QUIET_WAKE_EVERY == 0) {
            wake();
        }
    }

    private void wake() {
        if (sleeping) {
            InboundReader r = reader;
            if (r != null) {
                r.wakeup();
            }
            Thread t = agent;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /**
     * Makes the engine read {@code channel} (switched to non-blocking mode) and hand every datagram
     * that arrives to {@code sink} on the engine thread. Reading stops when the channel is closed.
     * Any thread; takes effect in order with the commands and datagrams submitted before it.
     */
    public void startReading(DatagramChannel channel, DatagramSink sink) {
        startReading(channel, sink, null);
    }

    /** As {@link #startReading(DatagramChannel, DatagramSink)}, natively through {@code port} where it can. */
    void startReading(DatagramChannel channel, DatagramSink sink, ChannelPort port) {
        execute(() -> {
            try {
                InboundReader r = reader;
                if (r == null) {
                    r = new InboundReader();
                    reader = r;
                }
                r.register(channel, sink, port);
            } catch (IOException | RuntimeException e) {
                LOG.warn("engine '{}' cannot read {}: {}", config.name(), channel, e.toString());
            }
        });
    }

    @Override
    public EngineConfig config() {
        return config;
    }

    @Override
    public int doWork() {
        if (config.threadingMode() != ThreadingMode.INVOKER) {
            throw new IllegalStateException("engine '" + config.name()
                    + "' runs its own thread (AGENT mode); doWork() is only for INVOKER engines");
        }
        checkOpen();
        return dutyCycle();
    }

    @Override
    public long nextDeadlineNanos() {
        if (!inbox.isEmpty() || transmitter.hasPending()) {
            return clock.nanoTime();
        }
        long timer = timers.nextDeadlineNanos();
        if (scheduler.size() == 0) {
            return timer;
        }
        return Math.min(timer, Math.max(scheduler.nextEligibleNanos(clock.nanoTime()), shaper.nextFreeNanos()));
    }

    /**
     * The engine's timers (retransmission, acknowledgement delay, deadline expiry of the
     * transports): a timing wheel on the engine's clock, expired in each duty cycle before
     * transmission. Engine thread only.
     */
    public TimingWheel timers() {
        return timers;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Thread t = agent;
        if (t != null && t != Thread.currentThread()) {
            InboundReader r = reader;
            if (r != null) {
                r.wakeup();
            }
            LockSupport.unpark(t);
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (t == null) {
            discardEverything();
        }
        kernel.close();
    }

    /**
     * Engine thread (or an INVOKER's caller, between cycles): the registered endpoint of a DCCP
     * socket bound to {@code localPort}, or null. For tests and diagnostics.
     */
    Endpoint endpointFor(int localPort) {
        for (Endpoint e : endpoints) {
            if (e != null && e.dccp() != null && e.dccp().localPort() == localPort) {
                return e;
            }
        }
        return null;
    }

    /**
     * Any thread: the value of {@code query} computed on the engine thread. In INVOKER mode, on
     * the engine thread, or once the engine is closed it runs in the caller (an INVOKER engine is
     * driven by one thread); otherwise the caller waits up to 200 ms and gets {@code fallback} if
     * the engine did not answer.
     */
    <T> T onEngine(java.util.function.Supplier<T> query, T fallback) {
        Thread t = agent;
        if (t == null || t == Thread.currentThread() || closed) {
            return query.get();
        }
        java.util.concurrent.CompletableFuture<T> answer = new java.util.concurrent.CompletableFuture<>();
        execute(() -> answer.complete(query.get()));
        try {
            return answer.get(200, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return fallback;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback;
        }
    }

    /** Any thread: the scheduler's statistics of {@code e}'s stream. */
    SchedulerStats schedulerStats(Endpoint e) {
        int id = e.streamId();
        return id < 0 || e.isClosed() ? SchedulerStats.NONE : scheduler.stats(id);
    }

    /** @return datagrams that failed in the socket (counted dropped on their sockets) */
    public long sendFailures() {
        return transmitter.sendFailures();
    }

    @Override
    public String toString() {
        return "Engine[" + config + "]";
    }

    // ---- SchedulerContext (engine thread) ----

    @Override
    public NanoClock clock() {
        return clock;
    }

    @Override
    public void dropped(ScheduledPacket packet, DropReason reason) {
        OutboundPacket p = (OutboundPacket) packet;
        OutboundPacket heir = permitHeir;
        if (heir != null && reason == DropReason.OVERFLOW && p.holdsPermit && p.endpoint == heir.endpoint) {
            p.holdsPermit = false; // its room goes to the datagram it made way for
            heir.holdsPermit = true;
            permitHeir = null;
        }
        discard(p, reason == DropReason.LATE ? SegmentState.EXPIRED : SegmentState.DROPPED);
    }

    // ---- the duty cycle (engine thread) ----

    private int dutyCycle() {
        long now = clock.nanoTime();
        int work = drainInbox(now);
        InboundReader r = reader;
        if (r != null) {
            work += r.poll(now);
        }
        work += timers.expire(now);
        int sent = transmitter.transmit(now); // first sends what the read phase staged (acknowledgements)
        if (sent < Transmitter.TRANSMIT_BATCH) {
            flushReleases();
        }
        if (!finishing.isEmpty()) {
            work += finishing.size();
            finishClosed();
            flushReleases();
        }
        return work + sent;
    }

    private int drainInbox(long now) {
        int n = 0;
        Object item;
        while (n < DRAIN_BATCH && (item = inbox.relaxedPoll()) != null) {
            n++;
            if (item instanceof OutboundPacket p) {
                p.sequence = sequence++;
                p.endpoint.held++; // until letGo
                if (isRegistered(p.endpoint) && !p.endpoint.finished) {
                    if (!p.holdsPermit && !contend(p, now)) {
                        continue;
                    }
                    scheduler.enqueue(p, now);
                } else {
                    discard(p, SegmentState.DROPPED);
                }
            } else {
                ((Runnable) item).run();
            }
        }
        return n;
    }

    /**
     * Engine thread: {@code p} found its socket's send queue full under DROP, and ranks above
     * zero: the scheduler may drop a queued unit of lower rank to make room, whose permit {@code p}
     * then takes. Without room, a droppable {@code p} is dropped; a non-droppable one is queued
     * beyond the bound, since back-pressure never drops key data.
     *
     * @return whether {@code p} is to be queued
     */
    private boolean contend(OutboundPacket p, long now) {
        int rank = p.flags.nonDroppable() ? 256 : p.flags.dropPriority();
        permitHeir = p;
        scheduler.evict(p.endpoint.streamId(), rank, now);
        permitHeir = null;
        if (p.holdsPermit || p.flags.nonDroppable()) {
            return true;
        }
        discard(p, SegmentState.DROPPED);
        return false;
    }

    /** Engine thread: {@code p} left the queue without being sent; counts it and settles its handle. */
    void discard(OutboundPacket p, SegmentState outcome) {
        p.endpoint.stats().dropped(p.length);
        if (p.segment != null) {
            p.segment.settle(outcome);
        }
        letGo(p);
    }

    /**
     * Engine thread: sends a packet a transport built, batched with the others of this cycle
     * where the platform allows.
     *
     * @return false if the caller must send it itself
     */
    boolean stageBuilt(ChannelPort port, java.nio.ByteBuffer bytes, java.net.InetSocketAddress target) {
        return transmitter.stageBuilt(port, bytes, target, clock.nanoTime());
    }

    /** Engine thread: sends what is staged for the batch now. */
    void flushStaged(long now) {
        transmitter.flushStaged(now);
    }

    /**
     * Engine thread: a transmission of {@code p} ({@code wireLength} bytes of DCCP payload) left
     * through the DCCP transport; {@code p} stays queued until its segment settles.
     */
    void transmitted(OutboundPacket p, int wireLength, boolean first, long now) {
        transmitter.transmittedElsewhere(p, wireLength, first, now);
    }


    /** Engine thread: {@code p} has left the queue; its room goes back to the sender, it to the pool. */
    void letGo(OutboundPacket p) {
        Endpoint e = p.endpoint;
        if (p.holdsPermit) {
            holdRelease(e);
        }
        recyclePacket(p);
        if (--e.held == 0) {
            if (e.flushWaiting()) {
                e.completeFlushes(true);
            }
            if (e.closing) {
                finishLater(e); // drained: the close finishes at the end of the cycle
            }
        }
    }

    private void holdRelease(Endpoint e) {
        if (e.released() && !e.awaitingFlush) {
            e.awaitingFlush = true;
            holdingRoom.add(e);
        }
    }

    /** Hands all held room back to the senders: the engine has run out of work for now. */
    private void flushReleases() {
        for (int i = 0; i < holdingRoom.size(); i++) {
            Endpoint e = holdingRoom.get(i);
            e.awaitingFlush = false;
            e.flushReleases();
        }
        holdingRoom.clear();
    }

    private boolean isRegistered(Endpoint e) {
        int id = e.streamId();
        return id >= 0 && id < endpoints.length && endpoints[id] == e;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("engine '" + config.name() + "' is closed");
        }
    }

    private void runAgent() {
        long spinWindow = config.idleStrategy().spinWindowNanos();
        while (!closed) {
            int work;
            try {
                work = dutyCycle();
            } catch (RuntimeException | Error e) {
                cycleFailures.incrementAndGet();
                LOG.error("engine '{}' duty cycle failed; continuing", config.name(), e);
                continue;
            }
            if (work > 0) {
                continue;
            }
            long next = nextDeadlineNanos();
            long wait = next == Long.MAX_VALUE ? Long.MAX_VALUE : next - clock.nanoTime();
            if (wait <= spinWindow) {
                Thread.onSpinWait();
                continue;
            }
            sleeping = true;
            if (inbox.isEmpty() && !closed) {
                InboundReader r = reader;
                if (r != null) {
                    r.sleep(wait == Long.MAX_VALUE ? wait : wait - spinWindow);
                } else if (wait == Long.MAX_VALUE) {
                    LockSupport.park(this);
                } else {
                    LockSupport.parkNanos(this, wait - spinWindow);
                }
            }
            sleeping = false;
        }
        discardEverything();
    }

    /** Engine thread (or the closing thread once the engine thread has stopped). */
    private void discardEverything() {
        Object item;
        while ((item = inbox.relaxedPoll()) != null) {
            if (item instanceof OutboundPacket p) {
                discard(p, SegmentState.DROPPED);
            } else {
                ((Runnable) item).run();
            }
        }
        transmitter.discardAll();
        InboundReader r = reader;
        if (r != null) {
            r.close();
        }
        for (int id = 0; id < endpoints.length; id++) {
            Endpoint e = endpoints[id];
            if (e != null) {
                scheduler.removeStream(id);
                endpoints[id] = null;
                if (e.dccp() != null) {
                    e.dccp().close(clock.nanoTime());
                }
                e.finished = true;
                e.engineClosed();
            }
        }
        for (Endpoint e : open) { // registered after the last cycle, or never added
            e.finished = true;
            e.engineClosed();
        }
        open.clear();
    }
}
