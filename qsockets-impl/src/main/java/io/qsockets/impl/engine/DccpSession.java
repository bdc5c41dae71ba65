package io.qsockets.impl.engine;

import io.qsockets.ConnectionInfo;
import io.qsockets.DccpStats;
import io.qsockets.SegmentState;
import io.qsockets.impl.dccp.ConnectionStats;
import io.qsockets.impl.dccp.ConnectionOwner;
import io.qsockets.impl.dccp.ConnectionSettings;
import io.qsockets.impl.dccp.ConnectionState;
import io.qsockets.impl.dccp.DccpConnection;
import io.qsockets.impl.dccp.DccpListener;
import io.qsockets.impl.dccp.wire.DccpHeader;
import io.qsockets.impl.dccp.wire.ParseResult;
import io.qsockets.impl.dccp.wire.ResetCode;
import io.qsockets.impl.rtc.TimerHandler;
import io.qsockets.impl.sendqueue.Deduplicator;
import io.qsockets.impl.sendqueue.PayloadHeader;
import io.qsockets.impl.sendqueue.SegmentRecord;
import io.qsockets.impl.sendqueue.SendWindow;
import io.qsockets.impl.sendqueue.SendWindowConfig;
import io.qsockets.impl.rtc.TimingWheel;
import io.qsockets.impl.transport.ChannelPort;
import io.qsockets.impl.transport.DatagramSink;
import io.qsockets.impl.transport.ReceiveQueue;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DCCP side of one socket (RFC 4340, carried over UDP as RFC 6773 says): a connection per
 * peer on the socket's one UDP port, a listener that accepts connections without keeping state
 * for unanswered Requests, and per peer a {@link SendWindow} with selective retransmission. The
 * scheduler releases a datagram; it enters its peer's window (opening a connection if there is
 * none), and the window hands out, as the congestion window opens, the best segment to send:
 * highest priority, then earliest deadline. Each transmission is a DCCP-Data packet on a new
 * sequence number, with a {@link PayloadHeader} before the content, which is read from the
 * application's segment only then (late binding). The Ack Vectors tell the window which
 * transmissions arrived and which were lost; a lost segment is sent again while it can still
 * arrive before its deadline, and otherwise given up. A datagram leaves the send queue (its room
 * goes back to the sender) when its segment settles: ACKED, EXPIRED, CANCELLED or DROPPED.
 * Arriving data is de-duplicated per peer by (segment id, revision) and goes to the socket's
 * {@link ReceiveQueue}. Engine thread only, except the counters.
 */
final class DccpSession implements DatagramSink, ConnectionOwner {
    private static final Logger LOG = LoggerFactory.getLogger(DccpSession.class);
    /** Most connections one socket keeps; datagrams to further peers are dropped and counted. */
    static final int MAX_CONNECTIONS = 4096;
    /** Most segments a peer's send window holds; more wait, in order, for room. */
    static final int MAX_WINDOW = 1024;
    /** Least time a transmission stays unacknowledged before the loss timer presumes it lost. */
    static final long MIN_LOSS_TIMEOUT_NANOS = 20_000_000;
    /** Segment ids a peer's de-duplicator remembers. */
    static final int DEDUP_WINDOW = 4096;
    /**
     * How far ahead of the oldest segment in its window a new one may be: the de-duplicator's
     * reach, less room for ids that application threads drew concurrently and submit out of order.
     */
    static final int DEDUP_REACH = DEDUP_WINDOW - 256;

    private final DutyCycleEngine engine;
    private final Endpoint endpoint;
    private final DatagramChannel channel;
    private final ChannelPort port;
    private final ReceiveQueue inbox;
    private final ConnectionSettings settings;
    private final TimingWheel timers;
    private final HashMap<InetSocketAddress, Peer> peers = new HashMap<>();
    private final DccpHeader header = new DccpHeader();
    private final PayloadHeader payloadHeader = new PayloadHeader();
    private final SendWindowConfig windowConfig;
    private final ByteBuffer packet;
    private final ByteBuffer content = ByteBuffer.allocate(65_536);
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong transmitFailures = new AtomicLong();
    private final AtomicLong refusedPeers = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final AtomicLong retransmitted = new AtomicLong();
    private final AtomicLong malformedPayloads = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong heldForOldSegment = new AtomicLong();
    private DccpListener listener;
    private int localPort = -1;
    private boolean closed;

    DccpSession(DutyCycleEngine engine, Endpoint endpoint, DatagramChannel channel, ReceiveQueue inbox,
            ConnectionSettings settings) {
        this.engine = engine;
        this.endpoint = endpoint;
        this.channel = channel;
        this.port = endpoint.port() instanceof ChannelPort c ? c : null;
        this.inbox = inbox;
        this.settings = settings;
        this.timers = engine.timers();
        this.packet = ByteBuffer.allocateDirect(settings.maxPacketSize());
        int capacity = Math.min(MAX_WINDOW, endpoint.params().sendQueueCapacity());
        this.windowConfig = SendWindowConfig.builder().capacity(capacity)
                .sequenceRing(Math.max(1024, Integer.highestOneBit(capacity) * 4)).build();
    }

    /** @return the largest datagram a connection carries: its largest payload less the payload header */
    int maxPayload() {
        return settings.maxPayload() - PayloadHeader.LENGTH;
    }

    // ---- sending: the scheduler released a datagram ----

    /** Sends {@code p} on its peer's connection, or holds it until that connection can carry it. */
    void offer(OutboundPacket p, long now) {
        Peer peer = peers.get(p.target);
        if (peer != null && peer.gone) {
            peer.forget(); // a closed connection: open a new one
            peer = null;
        }
        if (peer == null) {
            if (closed || peers.size() >= MAX_CONNECTIONS || !knowsLocalPort()) {
                refusedPeers.incrementAndGet();
                engine.discard(p, SegmentState.DROPPED);
                return;
            }
            peer = new Peer(p.target);
            peers.put(p.target, peer);
            peer.connection = DccpConnection.connect(settings, p.target, localPort, p.target.getPort(), now, this);
        }
        peer.waiting.add(p);
        peer.settle(now);
    }

    /** Engine thread: a segment left a peer's window; its datagram leaves the send queue. */
    private void released(SegmentRecord r) {
        WindowRecord record = (WindowRecord) r;
        OutboundPacket p = record.packet();
        SegmentState outcome = record.state();
        if (outcome == SegmentState.EXPIRED) {
            expired.incrementAndGet();
        }
        if (outcome == SegmentState.DROPPED || outcome == SegmentState.EXPIRED && p.attempts == 0) {
            p.endpoint.stats().dropped(p.length); // as the scheduler counts what it drops
        }
        engine.letGo(p);
    }

    private boolean knowsLocalPort() {
        if (localPort < 0) {
            try {
                InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
                if (local != null) {
                    localPort = local.getPort();
                }
            } catch (IOException e) {
                return false;
            }
        }
        return localPort >= 0;
    }

    // ---- receiving ----

    @Override
    public void onDatagram(ByteBuffer datagram, InetSocketAddress from, long now) {
        // connections are told apart by the peer's UDP address; the DCCP ports are the peer's
        // business (RFC 6773 §3.8: a NAPT between us may have translated the UDP ports)
        if (header.wrap(datagram, datagram.position(), datagram.remaining()).validate() != ParseResult.OK
                || !knowsLocalPort()) {
            malformed.incrementAndGet();
            return;
        }
        Peer peer = peers.get(from);
        if (peer != null) {
            peer.connection.receive(header, now);
            peer.settle(now);
            return;
        }
        if (listener == null) {
            listener = new DccpListener(settings, localPort, this, new SecureRandom());
        }
        DccpConnection accepted = listener.onPacket(header, from, now);
        if (accepted == null) {
            return;
        }
        if (closed || peers.size() >= MAX_CONNECTIONS) {
            refusedPeers.incrementAndGet();
            accepted.reset(ResetCode.TOO_BUSY, now);
            return;
        }
        peer = new Peer(from);
        peer.connection = accepted;
        peers.put(from, peer);
        peer.settle(now);
    }

    // ---- closing ----

    /**
     * The socket closes: each connection is closed (Close or CloseReq sent), what waits is
     * dropped, and then the channel is closed.
     */
    void close(long now) {
        if (closed) {
            return;
        }
        closed = true;
        for (Peer peer : new ArrayList<>(peers.values())) {
            peer.connection.close(now);
            peer.dropAll();
            peer.cancelTimer();
        }
        peers.clear();
        engine.flushStaged(now); // the Close packets leave before the socket does
        if (port != null) {
            port.retire();
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing {} failed: {}", channel, e.toString());
        }
    }

    // ---- ConnectionOwner ----

    @Override
    public ByteBuffer packetBuffer() {
        return packet.clear();
    }

    @Override
    public void transmit(ByteBuffer bytes, InetSocketAddress to) {
        if (port != null && engine.stageBuilt(port, bytes, to)) {
            return; // leaves with this cycle's batch
        }
        try {
            if (channel.send(bytes, to) == 0) {
                transmitFailures.incrementAndGet(); // socket buffer full: lost, as on the wire
            }
        } catch (IOException | RuntimeException e) {
            transmitFailures.incrementAndGet();
            LOG.debug("DCCP packet to {} failed: {}", to, e.toString());
        }
    }

    @Override
    public boolean delivered(DccpConnection c, ByteBuffer data, long seqno, long now) {
        Peer peer = peers.get(c.peer());
        if (peer == null || peer.connection != c
                || payloadHeader.wrapForRead(data, data.position(), data.remaining()) != PayloadHeader.OK) {
            malformedPayloads.incrementAndGet();
            return true; // not application data of ours: nothing for the sender to repair
        }
        if (inbox.isFull()) {
            return false; // before the de-duplicator sees it, so the retransmission is delivered
        }
        if (peer.dedup == null) {
            peer.dedup = new Deduplicator(DEDUP_WINDOW);
        }
        Deduplicator.Outcome outcome = peer.dedup.accept(payloadHeader.segmentId(), payloadHeader.revision());
        if (!outcome.deliver()) {
            duplicates.incrementAndGet();
            return true;
        }
        data.position(data.position() + PayloadHeader.LENGTH);
        return inbox.deliver(data, c.peer(), payloadHeader.segmentId(), payloadHeader.revision(),
                outcome == Deduplicator.Outcome.DELIVER_UPDATE, payloadHeader.frameId(), payloadHeader.frameStart(),
                payloadHeader.frameEnd(), payloadHeader.senderTimestampMicros());
    }

    @Override
    public void acked(DccpConnection c, long seqno) {
        Peer peer = peers.get(c.peer());
        if (peer != null && peer.connection == c && peer.window != null) {
            peer.window.onAcked(seqno, engine.now());
        }
    }

    @Override
    public void lost(DccpConnection c, long seqno) {
        Peer peer = peers.get(c.peer());
        if (peer != null && peer.connection == c && peer.window != null) {
            peer.window.onLost(seqno, engine.now()); // sent again on a new sequence number if still useful
        }
    }

    @Override
    public void opened(DccpConnection c) {
        // the peer's settle() after the call sends what waits
    }

    @Override
    public void writable(DccpConnection c) {
        // as opened()
    }

    @Override
    public void closed(DccpConnection c, ResetCode reasonOrNull) {
        Peer peer = peers.get(c.peer());
        if (peer != null && peer.connection == c) {
            peer.gone = true;
        }
    }

    /** Engine thread: what {@code info()} reports of the transport. */
    DccpStats snapshot() {
        List<ConnectionInfo> list = new ArrayList<>(peers.size());
        for (Peer p : peers.values()) {
            ConnectionStats c = p.connection.stats();
            list.add(new ConnectionInfo(p.address, c.state().name(), c.cwnd(), c.pipe(), c.srttNanos(), c.rtoNanos(),
                    c.packetsSent(), c.packetsReceived(), c.packetsLost(),
                    p.dataSent == 0 ? 0 : Math.min(1.0, (double) c.packetsLost() / p.dataSent), c.droppedTotal()));
        }
        return new DccpStats(list, expired.get(), retransmitted.get(), malformed.get() + malformedPayloads.get(),
                refusedPeers.get());
    }

    /** @return snapshots of the connections, for {@code info()}; engine thread */
    List<DccpConnection> connections() {
        List<DccpConnection> list = new ArrayList<>(peers.size());
        for (Peer p : peers.values()) {
            list.add(p.connection);
        }
        return list;
    }

    /** @return the socket's UDP (and DCCP) port, or -1 before it is known */
    int localPort() {
        knowsLocalPort();
        return localPort;
    }

    /** @return the listener, or null before the first packet from an unknown peer */
    DccpListener listener() {
        return listener;
    }

    long malformed() {
        return malformed.get();
    }

    long transmitFailures() {
        return transmitFailures.get();
    }

    long refusedPeers() {
        return refusedPeers.get();
    }

    /** @return admissions to a send window held back because an old segment was still in it */
    long heldForOldSegment() {
        return heldForOldSegment.get();
    }

    /** @return exact duplicates and stale revisions the de-duplicators kept from the application */
    long duplicates() {
        return duplicates.get();
    }

    /**
     * One peer: its connection, its send window, the datagrams waiting for room in that window,
     * its de-duplicator, and its timer.
     */
    private final class Peer implements TimerHandler {
        final InetSocketAddress address;
        final ArrayDeque<OutboundPacket> waiting = new ArrayDeque<>();
        DccpConnection connection;
        /** Created with the first datagram to send, so a peer that only sends to us costs none. */
        SendWindow window;
        /** Created with the first datagram received. */
        Deduplicator dedup;
        /** At most the smallest segment id in the window (refreshed when it holds a segment back). */
        long oldestIdBound;
        boolean gone;
        long dataSent;
        long timerId = -1;
        long timerAt = Long.MAX_VALUE;

        Peer(InetSocketAddress address) {
            this.address = address;
        }

        @Override
        public void onTimer(long id, long deadline, long now) {
            timerId = -1;
            timerAt = Long.MAX_VALUE;
            connection.onTimers(now);
            settle(now);
        }

        /** After anything happened: admit, give up and send what may go, then rearm the timer. */
        void settle(long now) {
            if (gone) {
                dropAll();
            }
            admit(now);
            long lossAt = Long.MAX_VALUE;
            if (window != null) {
                window.smoothedRtt(connection.srttNanos());
                window.expire(now);
                window.lossTimeout(now, lossTimeoutNanos());
                while (connection.canSendData()) {
                    SegmentRecord r = window.poll(now);
                    if (r == null) {
                        if (waiting.isEmpty() || !admit(now)) {
                            break;
                        }
                        continue;
                    }
                    if (!transmit((WindowRecord) r, now)) {
                        break; // refused: writable() or the next event resumes
                    }
                }
                lossAt = window.lossTimeout(now, lossTimeoutNanos());
            }
            if (connection.state() == ConnectionState.CLOSED) {
                forget();
                return;
            }
            long next = connection.nextTimerNanos();
            if (window != null) {
                next = Math.min(next, Math.min(window.nextExpiryNanos(), lossAt));
            }
            OutboundPacket head = waiting.peekFirst();
            if (head != null && droppable(head) && deadline(head) != OutboundPacket.NO_DEADLINE) {
                next = Math.min(next, deadline(head) + 1);
            }
            if (next != timerAt) {
                cancelTimer();
                if (next != Long.MAX_VALUE) {
                    timerAt = next;
                    timerId = timers.schedule(next, this);
                }
            }
        }

        /**
         * Moves waiting datagrams into the window while it has room; those already late are
         * given up on the way.
         *
         * @return whether any entered the window
         */
        private boolean admit(long now) {
            boolean admitted = false;
            OutboundPacket p;
            while ((p = waiting.peekFirst()) != null) {
                if (isLate(p, now)) {
                    waiting.pollFirst();
                    expired.incrementAndGet();
                    engine.discard(p, SegmentState.EXPIRED);
                    continue;
                }
                if (window == null) {
                    window = new SendWindow(windowConfig, DccpSession.this::released);
                }
                if (beyondDedupWindow(p.segmentId) || !window.submit(p.windowRecord(), now)) {
                    break;
                }
                waiting.pollFirst();
                admitted = true;
            }
            return admitted;
        }

        /**
         * @return how long a transmission may stay unacknowledged before it is presumed lost: two
         *     round trips and the receiver's acknowledgement delay
         */
        private long lossTimeoutNanos() {
            return Math.max(MIN_LOSS_TIMEOUT_NANOS, 2 * connection.srttNanos() + settings.ackDelayNanos());
        }

        /**
         * Whether {@code id} is too far ahead of the oldest segment still in the window: the
         * peer's de-duplicator remembers {@link #DEDUP_WINDOW} ids back from the newest, and would
         * drop a retransmission of that old segment as too old once this one arrived. It then
         * waits, in order, until the old one settles.
         */
        private boolean beyondDedupWindow(long id) {
            if (id - oldestIdBound < DEDUP_REACH) {
                return false;
            }
            long oldest = window.oldestId(); // the cached bound is stale-low: walk the window again
            oldestIdBound = oldest == Long.MAX_VALUE ? id : oldest;
            if (id - oldestIdBound < DEDUP_REACH) {
                return false;
            }
            heldForOldSegment.incrementAndGet();
            return true;
        }

        /** @return false if the connection refused the packet; the segment stays pending */
        private boolean transmit(WindowRecord r, long now) {
            OutboundPacket p = r.packet();
            content.clear().position(PayloadHeader.LENGTH);
            int revision = r.bindContent(content);
            if (revision == SegmentRecord.NOT_BOUND) {
                window.unsent(); // cancelled meanwhile: it leaves the window
                return true;
            }
            content.flip();
            io.qsockets.PacketFlags f = p.flags;
            payloadHeader.write(content, 0, p.segmentId, revision, r.reliable(), f.frameId(), f.frameStart(),
                    f.frameEnd(), now, r.deadlineNanos());
            int length = content.remaining();
            long seqno = connection.sendData(content, now);
            if (seqno < 0) {
                window.unsent();
                return false;
            }
            window.sent(seqno, revision, now);
            dataSent++;
            if (p.attempts++ > 0) {
                retransmitted.incrementAndGet();
            }
            engine.transmitted(p, length, p.attempts == 1, now);
            return true;
        }

        /** Every segment of this peer is dropped: the window's and those waiting for it. */
        void dropAll() {
            if (window != null) {
                window.settleAll(SegmentState.DROPPED);
            }
            dropWaiting(SegmentState.DROPPED);
        }

        void dropWaiting(SegmentState outcome) {
            OutboundPacket p;
            while ((p = waiting.pollFirst()) != null) {
                engine.discard(p, outcome);
            }
        }

        void cancelTimer() {
            if (timerId >= 0) {
                timers.cancel(timerId);
                timerId = -1;
                timerAt = Long.MAX_VALUE;
            }
        }

        void forget() {
            dropAll();
            cancelTimer();
            peers.remove(address, this);
        }
    }

    private static boolean droppable(OutboundPacket p) {
        return !p.flags.nonDroppable();
    }

    private static long deadline(OutboundPacket p) {
        return p.segment != null ? p.segment.deadlineNanos() : p.deadlineNanos;
    }

    private static boolean isLate(OutboundPacket p, long now) {
        long d = deadline(p);
        return d != OutboundPacket.NO_DEADLINE && now > d && droppable(p);
    }
}
