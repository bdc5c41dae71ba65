package io.qsockets.impl.engine;

import io.qsockets.BackPressure;
import io.qsockets.DccpStats;
import io.qsockets.PacketFlags;
import io.qsockets.QInfo;
import io.qsockets.QosParams;
import io.qsockets.Segment;
import io.qsockets.impl.transport.DatagramPort;
import io.qsockets.impl.transport.ReceiveQueue;
import io.qsockets.spi.SocketIdentity;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socket as the engine sees it: its stream in the scheduler, the port its datagrams leave
 * through, the send-queue bound and its counters. Application threads submit through it; the
 * engine thread transmits and settles. Thread-safe.
 */
public final class Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);
    /** How much longer than the linger {@link #close()} waits for the engine before it closes the socket itself. */
    static final long CLOSE_GRACE_MILLIS = 1_000;
    /** Most room the engine holds back before handing it to senders at once. */
    static final int MAX_RELEASE_BATCH = 256;
    /** Largest UDP payload to an IPv4 destination. */
    public static final int MAX_IPV4_PAYLOAD = 65_507;
    /** Largest UDP payload to an IPv6 destination (without jumbograms). */
    public static final int MAX_IPV6_PAYLOAD = 65_527;

    private final DutyCycleEngine engine;
    private final DatagramPort port;
    /** The DCCP side of the socket, or null on the UDP transport; engine thread. */
    private DccpSession dccp;
    /** Where the transport delivers what arrives, or null when the application reads the socket itself. */
    private ReceiveQueue inbox;
    /** What info() reported of the DCCP transport last, for when the engine cannot answer. */
    private volatile DccpStats lastDccpStats = DccpStats.NONE;
    private final SocketIdentity identity;
    private final Semaphore permits;
    private final int capacity;
    private final SocketStats stats = new SocketStats();
    private final AtomicLong segmentIds = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicInteger pendingReleases = new AtomicInteger();
    private final int releaseBatch;
    private volatile QosParams params;
    /** The maximum queue delay of {@link #params} in nanoseconds, or -1 for none. */
    private volatile long maxQueueDelayNanos;
    /** The flags checked last against the scheduler and transport (a reference compare per send). */
    private PacketFlags checkedFlags;
    private volatile boolean closed;
    private volatile Runnable engineCloseHook = () -> { };
    private volatile int streamId = -1;
    /** Engine thread: whether the engine has this endpoint on its list of room to hand back. */
    boolean awaitingFlush;
    /** Engine thread: datagrams of this socket the engine holds (scheduler, transmitter, transport). */
    int held;
    /** Engine thread: whether the socket is closing, and the linger timer's id (-1 for none). */
    boolean closing;
    long lingerTimer = -1;
    /** Engine thread: whether the engine has finished with the socket. */
    boolean finished;
    /** Engine thread: flushes waiting for {@link #held} to reach zero, or null. */
    private ArrayList<CompletableFuture<Boolean>> flushes;
    /** Permits released beyond the capacity by close(), to wake waiting senders. */
    private volatile int closeBonus;
    private final CompletableFuture<Void> gone = new CompletableFuture<>();
    private final AtomicBoolean socketClosed = new AtomicBoolean();
    private volatile Runnable socketCloser = () -> { };

    Endpoint(DutyCycleEngine engine, DatagramPort port, SocketIdentity identity, QosParams params) {
        this.engine = engine;
        this.port = port;
        this.identity = identity;
        this.params = params;
        this.capacity = params.sendQueueCapacity();
        this.permits = new Semaphore(capacity);
        this.maxQueueDelayNanos = maxQueueDelayNanos(params);
        this.checkedFlags = params.defaultFlags(); // the engine checked them at registration
        this.releaseBatch = Math.max(1, Math.min(MAX_RELEASE_BATCH, capacity / 4));
    }

    /**
     * Submits a datagram from an array.
     *
     * @param wantSegment whether to return a handle (plain sends skip the allocation)
     * @param blocking whether to wait for room under {@link BackPressure#BLOCK}
     * @return the handle, or null if none was asked for; when a non-blocking call finds no room, a
     *     {@link io.qsockets.SegmentState#DROPPED} handle (or null if none was asked for)
     */
    public Segment submit(byte[] data, int offset, int length, InetSocketAddress target, PacketFlags flags,
            boolean wantSegment) throws IOException {
        checkPayload(length, target, dccp);
        check(flags);
        int room = acquire(true, length, flags);
        if (room == DROPPED) {
            return wantSegment ? SegmentImpl.dropped(segmentIds.incrementAndGet(), engine.now(), length) : null;
        }
        OutboundPacket p = engine.takePacket();
        long now = engine.now();
        SegmentImpl segment = wantSegment ? newSegment(now, length, flags) : null;
        p.fill(this, data, offset, length, target, flags, now, segment);
        p.holdsPermit = room == ROOM;
        identify(p, segment);
        return enqueue(p, segment, length);
    }

    /**
     * Submits the remaining bytes of a buffer.
     *
     * @param blocking whether to wait for room; if false and the queue is full, nothing is consumed
     * @return the handle (or a non-null marker when none was asked for), or null if the call did not
     *     block and the queue was full
     */
    public Segment submit(ByteBuffer src, InetSocketAddress target, PacketFlags flags, boolean wantSegment,
            boolean blocking) throws IOException {
        int length = src.remaining();
        checkPayload(length, target, dccp);
        check(flags);
        int room = acquire(blocking, length, flags);
        if (room == FULL) {
            return null;
        }
        if (room == DROPPED) {
            src.position(src.limit());
            return SegmentImpl.dropped(segmentIds.incrementAndGet(), engine.now(), length);
        }
        OutboundPacket p = engine.takePacket();
        long now = engine.now();
        SegmentImpl segment = wantSegment ? newSegment(now, length, flags) : null;
        p.fill(this, src, target, flags, now, segment);
        p.holdsPermit = room == ROOM;
        identify(p, segment);
        Segment s = enqueue(p, segment, length);
        return s != null ? s : NO_HANDLE;
    }

    /** Returned by buffer submissions that asked for no handle, to tell them apart from "full". */
    public static final Segment NO_HANDLE = SegmentImpl.dropped(0, 0, 0);

    private SegmentImpl newSegment(long now, int length, PacketFlags flags) {
        return new SegmentImpl(segmentIds.incrementAndGet(), now, length,
                flags.hasDeadline() ? now + flags.deadlineNanos() : OutboundPacket.NO_DEADLINE);
    }

    /** The id the payload header carries; only the DCCP transport has one (and so needs an id for plain sends). */
    private void identify(OutboundPacket p, SegmentImpl segment) {
        if (segment != null) {
            p.segmentId = segment.id();
        } else if (dccp != null) {
            p.segmentId = segmentIds.incrementAndGet();
        }
    }

    private Segment enqueue(OutboundPacket p, SegmentImpl segment, int length) throws SocketException {
        if (segment != null) {
            segment.attach(p);
        }
        stats.submitted(length);
        if (closed) {
            if (p.holdsPermit) {
                permits.release();
            }
            engine.recyclePacket(p);
            throw new SocketException("Socket is closed");
        }
        engine.submit(p);
        return segment;
    }

    /** {@link #acquire}: a permit was taken. */
    private static final int ROOM = 0;
    /** {@link #acquire}: no room, and a non-blocking call must not wait. */
    private static final int FULL = 1;
    /** {@link #acquire}: no room under {@link BackPressure#DROP}: the datagram was dropped and counted. */
    private static final int DROPPED = 2;
    /**
     * {@link #acquire}: no room under {@link BackPressure#DROP}, but the datagram ranks above
     * others (a drop priority, or non-droppable): the engine decides whether a queued one makes
     * room for it.
     */
    private static final int CONTEND = 3;

    private int acquire(boolean blocking, int length, PacketFlags flags) throws IOException {
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        if (permits.tryAcquire()) {
            return ROOM;
        }
        if (params.backPressure() == BackPressure.DROP) {
            if (flags.nonDroppable() || flags.dropPriority() > 0) {
                return CONTEND;
            }
            stats.submitted(length);
            stats.droppedOnSubmit(length);
            return DROPPED;
        }
        if (!blocking) {
            return FULL;
        }
        try {
            permits.acquire(); // close() releases every waiter
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for room in the send queue");
        }
        if (closed) {
            permits.release();
            throw new SocketException("Socket is closed");
        }
        return ROOM;
    }

    private static void checkPayload(int length, InetSocketAddress target, DccpSession dccp) throws SocketException {
        if (dccp != null && length > dccp.maxPayload()) {
            throw new SocketException("datagram of " + length + " bytes is larger than the largest DCCP payload: "
                    + dccp.maxPayload() + " bytes, with QosParams.maxPacketSize " + dccp.maxPacketSize()
                    + " (a packet that fits the path); raise maxPacketSize for a path that carries more");
        }
        int max = DatagramPort.isIpv6(target) ? MAX_IPV6_PAYLOAD : MAX_IPV4_PAYLOAD;
        if (length > max) {
            throw new SocketException("datagram of " + length + " bytes is larger than the largest UDP payload to "
                    + target + ": " + max + " bytes");
        }
    }

    /** Changes the QoS; the engine applies the attributes to queued datagrams. */
    public void change(QosParams newParams) {
        engine.change(this, newParams);
        maxQueueDelayNanos = maxQueueDelayNanos(newParams);
        params = newParams;
    }

    private static long maxQueueDelayNanos(QosParams p) {
        return p.maxQueueDelay() == null ? -1 : p.maxQueueDelay().toNanos();
    }

    /** @return the engine-clock time after which a datagram submitted at {@code now} is stale */
    long staleAfter(long now) {
        long d = maxQueueDelayNanos;
        return d < 0 ? OutboundPacket.NO_DEADLINE : now + d;
    }

    /**
     * Checks flags a send gives against the scheduler and the transport, once per distinct flags
     * object: applications keep a few constants, so this is a reference compare per send.
     */
    private void check(PacketFlags flags) {
        if (flags != checkedFlags) {
            engine.validate(flags, params.transport());
            checkedFlags = flags;
        }
    }

    /**
     * Closes the endpoint: later submissions fail, senders waiting for room wake with a
     * {@link SocketException}, and receivers waiting on the transport's queue too. What was
     * accepted before leaves (UDP) or settles (DCCP) within the linger of the socket's
     * {@link QosParams}; the engine then discards what is left (counted dropped), closes the
     * socket's connections and the socket itself. Where an engine thread runs, and this is not it,
     * the call waits for that: at most the linger and a second more, after which it closes the
     * socket itself. In INVOKER mode, or on the engine thread, it returns at once and the engine
     * finishes the close as it runs. Idempotent.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeBonus = capacity;
        permits.release(capacity); // wakes every sender waiting for room; each then sees closed
        if (inbox != null) {
            inbox.close();
        }
        long linger = params.linger().toNanos();
        if (!engine.close(this, linger)) {
            closeSocket(); // the engine is gone
            return;
        }
        if (!engine.canAwait()) {
            return;
        }
        try {
            gone.get(TimeUnit.NANOSECONDS.toMillis(linger) + CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            closeSocket(); // the engine did not answer in time: close the socket under it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeSocket();
        }
    }

    /**
     * Waits until nothing of this socket is queued in the engine, or the timeout passes.
     *
     * @param timeoutNanos how long to wait; zero checks the send queue without waiting
     * @return whether the queue drained
     * @throws IllegalStateException on the engine thread, which cannot wait for itself
     */
    public boolean flush(long timeoutNanos) throws InterruptedIOException {
        if (timeoutNanos == 0) {
            return queueLength() == 0;
        }
        if (engine.isEngineThread()) {
            throw new IllegalStateException("flush() cannot wait on the engine's own thread (in a segment's outcome "
                    + "callback, say): the engine would stop; call it from an application thread");
        }
        CompletableFuture<Boolean> drained = new CompletableFuture<>();
        if (!engine.flush(this, drained)) {
            return queueLength() == 0;
        }
        try {
            return drained.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            drained.complete(false); // the engine forgets completed waiters
            return false;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained.complete(false);
            throw new InterruptedIOException("interrupted while waiting for the send queue to drain");
        }
    }

    /**
     * @param closer closes the socket (retiring its port first where the engine sends natively);
     *     the engine runs it once the close has finished, or {@link #close()} does
     */
    public void socketCloser(Runnable closer) {
        socketCloser = closer;
    }

    /** Any thread: closes the socket, once. */
    void closeSocket() {
        if (socketClosed.compareAndSet(false, true)) {
            port.retire();
            try {
                socketCloser.run();
            } catch (RuntimeException e) {
                LOG.debug("closing the socket failed: {}", e.toString());
            }
        }
        gone.complete(null);
    }

    /** @param hook what closes the socket when its engine closes; runs once, on the closing thread */
    public void onEngineClose(Runnable hook) {
        engineCloseHook = hook;
    }

    /** The engine closed: queued datagrams were discarded; close the socket. */
    void engineClosed() {
        if (!closed) {
            closed = true;
            closeBonus = capacity;
            permits.release(capacity);
            if (inbox != null) {
                inbox.close();
            }
        }
        completeFlushes(false);
        closeSocket();
        engineCloseHook.run();
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed;
    }

    /** Counts a datagram the application received. */
    public void countReceived() {
        received.incrementAndGet();
    }

    /** @return the current parameters */
    public QosParams params() {
        return params;
    }

    /** @return the engine */
    public DutyCycleEngine engine() {
        return engine;
    }

    /** @return a snapshot of the counters */
    public QInfo info() {
        QosParams p = params;
        int queued = queueLength();
        QInfo info = stats.snapshot(engine.config().scheduler(), p.transport(), p.attributes(), queued,
                received.get(), engine.schedulerStats(this));
        DccpSession session = dccp;
        if (session == null) {
            return info;
        }
        DccpStats transport = engine.onEngine(session::snapshot, lastDccpStats);
        lastDccpStats = transport;
        return info.withDccp(transport);
    }

    /**
     * @return datagrams accepted and not yet gone: sent (UDP), settled (DCCP) or dropped. Reads
     *     the permits before the room the engine holds back, so that a concurrent hand-back is
     *     never counted twice.
     */
    int queueLength() {
        int available = permits.availablePermits();
        return Math.max(0, capacity + closeBonus - available - pendingReleases.get());
    }

    /** @return where the transport delivers arriving datagrams, or null if the socket is read directly */
    public ReceiveQueue inbox() {
        return inbox;
    }

    /** Set once, before the endpoint is published to other threads. */
    void useDccp(DccpSession session, ReceiveQueue queue) {
        this.dccp = session;
        this.inbox = queue;
    }

    // ---- engine thread ----

    DccpSession dccp() {
        return dccp;
    }

    int streamId() {
        return streamId;
    }

    /** Engine thread: completes {@code drained} once nothing of this socket is held (at once if nothing is). */
    void addFlush(CompletableFuture<Boolean> drained) {
        if (held == 0 || finished) {
            drained.complete(held == 0);
            return;
        }
        if (flushes == null) {
            flushes = new ArrayList<>(2);
        }
        flushes.removeIf(CompletableFuture::isDone); // waiters that gave up
        flushes.add(drained);
    }

    /** Engine thread (or the closing thread once the engine is gone): completes every waiting flush. */
    void completeFlushes(boolean drained) {
        ArrayList<CompletableFuture<Boolean>> waiting = flushes;
        if (waiting != null) {
            flushes = null;
            for (CompletableFuture<Boolean> f : waiting) {
                f.complete(drained);
            }
        }
    }

    /** Engine thread: whether a flush waits. */
    boolean flushWaiting() {
        return flushes != null;
    }

    void streamId(int id) {
        streamId = id;
    }

    DatagramPort port() {
        return port;
    }

    SocketIdentity identity() {
        return identity;
    }

    SocketStats stats() {
        return stats;
    }

    /**
     * Engine thread: a queued datagram left the queue (sent or dropped). Its room is handed back to
     * senders in batches of {@link #releaseBatch}, because each hand-back may wake a parked sender
     * on the other core; the engine flushes the rest whenever it runs out of work.
     *
     * @return true if the endpoint now holds room not yet handed back
     */
    boolean released() {
        int pending = pendingReleases.get() + 1;
        if (pending >= releaseBatch) {
            flushReleases(pending);
            return false;
        }
        pendingReleases.lazySet(pending);
        return true;
    }

    /** Engine thread: hands back all held room. */
    void flushReleases() {
        int pending = pendingReleases.get();
        if (pending > 0) {
            flushReleases(pending);
        }
    }

    private void flushReleases(int pending) {
        pendingReleases.lazySet(0);
        permits.release(pending);
    }
}
