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
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One socket as the engine sees it: its stream in the scheduler, the port its datagrams leave
 * through, the send-queue bound and its counters. Application threads submit through it; the
 * engine thread transmits and settles. Thread-safe.
 */
public final class Endpoint {
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
    private volatile boolean closed;
    private volatile Runnable engineCloseHook = () -> { };
    private volatile int streamId = -1;
    /** Engine thread: whether the engine has this endpoint on its list of room to hand back. */
    boolean awaitingFlush;

    Endpoint(DutyCycleEngine engine, DatagramPort port, SocketIdentity identity, QosParams params) {
        this.engine = engine;
        this.port = port;
        this.identity = identity;
        this.params = params;
        this.capacity = params.sendQueueCapacity();
        this.permits = new Semaphore(capacity);
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
        if (!acquire(true, length)) {
            return wantSegment ? SegmentImpl.dropped(segmentIds.incrementAndGet(), engine.now(), length) : null;
        }
        OutboundPacket p = engine.takePacket();
        long now = engine.now();
        SegmentImpl segment = wantSegment ? newSegment(now, length, flags) : null;
        p.fill(this, data, offset, length, target, flags, now, segment);
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
        if (!acquire(blocking, length)) {
            if (!blocking) {
                return null;
            }
            src.position(src.limit());
            return SegmentImpl.dropped(segmentIds.incrementAndGet(), engine.now(), length);
        }
        OutboundPacket p = engine.takePacket();
        long now = engine.now();
        SegmentImpl segment = wantSegment ? newSegment(now, length, flags) : null;
        p.fill(this, src, target, flags, now, segment);
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
            permits.release();
            engine.recyclePacket(p);
            throw new SocketException("Socket is closed");
        }
        engine.submit(p);
        return segment;
    }

    private boolean acquire(boolean blocking, int length) throws IOException {
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        if (permits.tryAcquire()) {
            return true;
        }
        if (params.backPressure() == BackPressure.DROP || !blocking) {
            if (params.backPressure() == BackPressure.DROP) {
                stats.submitted(length);
                stats.droppedOnSubmit(length);
            }
            return false;
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
        return true;
    }

    private static void checkPayload(int length, InetSocketAddress target, DccpSession dccp) throws SocketException {
        if (dccp != null && length > dccp.maxPayload()) {
            throw new SocketException("datagram of " + length + " bytes is larger than the largest DCCP payload: "
                    + dccp.maxPayload() + " bytes");
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
        params = newParams;
    }

    /**
     * Closes the endpoint: later submissions fail, queued datagrams are discarded and counted
     * dropped. A DCCP endpoint's connections are closed (Close or CloseReq sent) and then its
     * channel, by the engine: this call waits up to a second for that where an engine thread runs,
     * and leaves it to the next duty cycle in INVOKER mode.
     *
     * @return true if the caller should close the socket's channel itself (the UDP transport, or
     *     the engine did not answer in time)
     */
    public boolean close() {
        if (closed) {
            return dccp == null;
        }
        closed = true;
        if (dccp == null) {
            port.retire();
        }
        permits.release(capacity);
        if (inbox != null) {
            inbox.close();
        }
        java.util.concurrent.CountDownLatch gone = engine.unregister(this);
        if (dccp == null) {
            return true;
        }
        if (engine.awaitEngine(gone, 1_000) || engine.config().threadingMode() == io.qsockets.ThreadingMode.INVOKER) {
            return false; // the engine closed (or will close) the channel after the connections' Close
        }
        port.retire();
        return true;
    }

    /** @param hook what closes the socket when its engine closes; runs once, on the closing thread */
    public void onEngineClose(Runnable hook) {
        engineCloseHook = hook;
    }

    /** The engine closed: queued datagrams were discarded; close the socket. */
    void engineClosed() {
        if (!closed) {
            closed = true;
            port.retire();
            permits.release(capacity);
            if (inbox != null) {
                inbox.close();
            }
        }
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
        int queued = closed ? 0 : Math.max(0, capacity - permits.availablePermits() - pendingReleases.get());
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
        if (!closed) {
            permits.release(pending);
        }
    }
}
