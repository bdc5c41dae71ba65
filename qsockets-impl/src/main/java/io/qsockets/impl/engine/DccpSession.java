package io.qsockets.impl.engine;

import io.qsockets.ConnectionInfo;
import io.qsockets.DccpStats;
import io.qsockets.PeerFailure;
import io.qsockets.SegmentState;
import io.qsockets.impl.dccp.ConnectionStats;
import io.qsockets.impl.dccp.ConnectionOwner;
import io.qsockets.impl.dccp.ConnectionSettings;
import io.qsockets.impl.dccp.ConnectionState;
import io.qsockets.impl.dccp.DccpConnection;
import io.qsockets.impl.dccp.DccpListener;
import io.qsockets.impl.dccp.wire.DccpHeader;
import io.qsockets.impl.dccp.wire.DccpPacketType;
import io.qsockets.impl.dccp.wire.ParseResult;
import io.qsockets.impl.dccp.wire.ResetCode;
import io.qsockets.impl.rtc.TimerHandler;
import io.qsockets.impl.rtc.TimingWheel;
import io.qsockets.impl.sendqueue.Deduplicator;
import io.qsockets.impl.sendqueue.PayloadHeader;
import io.qsockets.impl.transport.ChannelPort;
import io.qsockets.impl.transport.DatagramPort;
import io.qsockets.impl.transport.DatagramSink;
import io.qsockets.impl.transport.ReceiveQueue;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DCCP side of one socket (RFC 4340, carried over UDP as RFC 6773 says): a connection per
 * peer on the socket's one UDP port, a listener that accepts connections without keeping state
 * for unanswered Requests, and per peer a {@link PeerSender} with selective retransmission. The
 * scheduler releases a datagram; it goes to its peer's sender (a connection is opened if there is
 * none), which transmits as the congestion window opens. Packets that arrive are parsed here;
 * application data, its payload header checked and de-duplicated per peer by (segment id,
 * revision), goes to the socket's {@link ReceiveQueue}, and what a full queue could not take is
 * reported to the peer as dropped. Engine thread only, except the counters.
 */
final class DccpSession implements DatagramSink, ConnectionOwner {
    private static final Logger LOG = LoggerFactory.getLogger(DccpSession.class);
    /** Most connections one socket keeps; datagrams to further peers are dropped and counted. */
    static final int MAX_CONNECTIONS = 4096;
    /**
     * Most connections one IP address may open to a socket: a host (or a NAT with many hosts
     * behind it) cannot take the whole table.
     */
    static final int MAX_CONNECTIONS_PER_ADDRESS = 1024;
    /** Segment ids a peer's de-duplicator remembers. */
    static final int DEDUP_WINDOW = 4096;

    private final DutyCycleEngine engine;
    private final Endpoint endpoint;
    /** The socket's port: what the session sends through, reads the local address of, and closes. */
    private final DatagramPort socket;
    /** The same port where the engine may send natively (an owned channel), else null. */
    private final ChannelPort port;
    private final ReceiveQueue inbox;
    private final ConnectionSettings settings;
    private final TimingWheel timers;
    private final HashMap<InetSocketAddress, Peer> peers = new HashMap<>();
    /** Connections per peer IP address, as {@link #peers} holds them. */
    private final HashMap<java.net.InetAddress, Integer> perAddress = new HashMap<>();
    private final DccpHeader header = new DccpHeader();
    private final PayloadHeader payloadHeader = new PayloadHeader();
    private final PeerSender.Shared senders;
    private final ByteBuffer packet;
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong transmitFailures = new AtomicLong();
    private final AtomicLong refusedPeers = new AtomicLong();
    private final AtomicLong malformedPayloads = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong notDccp = new AtomicLong();
    /** The peers given up most recently, oldest first; engine thread. */
    private final java.util.ArrayDeque<PeerFailure> failures = new java.util.ArrayDeque<>();
    /** Peers already warned about, so that a peer that keeps failing is logged once. */
    private final java.util.Set<InetSocketAddress> warned = recentSet(1024);
    /** Senders of datagrams that were not DCCP (peers on the UDP transport). */
    private final java.util.Set<InetSocketAddress> notDccpPeers = recentSet(256);
    private boolean warnedNotDccp;
    private DccpListener listener;
    private int localPort = -1;
    private boolean closed;

    DccpSession(DutyCycleEngine engine, Endpoint endpoint, ReceiveQueue inbox, ConnectionSettings settings) {
        this.engine = engine;
        this.endpoint = endpoint;
        this.socket = endpoint.port();
        this.port = socket instanceof ChannelPort c ? c : null;
        this.inbox = inbox;
        this.settings = settings;
        this.timers = engine.timers();
        this.packet = ByteBuffer.allocateDirect(settings.maxPacketSize());
        if (port != null) {
            engine.execute(port::queueErrors); // a Request to a closed port then fails at once
        }
        this.senders = new PeerSender.Shared(engine, endpoint.params().sendQueueCapacity(), settings.ackDelayNanos());
    }

    /** @return the largest UDP payload a packet of this session takes */
    int maxPacketSize() {
        return settings.maxPacketSize();
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
            add(peer);
            peer.connection = DccpConnection.connect(settings, p.target, localPort, p.target.getPort(), now, this);
        }
        peer.sender.add(p);
        peer.settle(now);
    }

    private boolean knowsLocalPort() {
        if (localPort < 0) {
            try {
                InetSocketAddress local = socket.localAddress();
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
        int length = datagram.remaining();
        if (header.wrap(datagram, datagram.position(), length).validate() != ParseResult.OK) {
            malformed.incrementAndGet();
            notDccp(from, length);
            return;
        }
        if (!knowsLocalPort()) {
            malformed.incrementAndGet();
            return;
        }
        Peer peer = peers.get(from);
        if (listener == null) {
            listener = new DccpListener(settings, localPort, this, new SecureRandom());
        }
        if (peer == null && header.type() != DccpPacketType.REQUEST && !peers.isEmpty()) {
            Peer known = reboundPeer(header, from);
            if (known != null) {
                known.heardFrom(from, header, now);
                return;
            }
        }
        DccpConnection accepted;
        if (peer != null && header.type() == DccpPacketType.REQUEST && peer.isOver()) {
            peer.forget(); // a new connection replaces one that ended: TIMEWAIT does not refuse it
            peer = null;
        }
        if (peer != null && !peer.yielded) {
            if (!crossesOurHandshake(peer.connection, header)) {
                peer.connection.receive(header, now);
                peer.settle(now);
                return;
            }
            // both ends opened a connection to the other: the one whose client chose the larger
            // initial sequence number survives, so both ends agree however a NAT names them
            boolean request = header.type() == DccpPacketType.REQUEST;
            accepted = request ? null : listener.accept(header, from, now);
            if (!request && accepted == null) {
                return; // a cookie that does not verify: the listener answered it
            }
            long theirs = request ? header.sequenceNumber() : accepted.isr();
            if (Long.compareUnsigned(peer.connection.iss(), theirs) > 0) {
                return; // the peer gives way to ours
            }
            peer.yield(now);
            if (request) {
                listener.accept(header, from, now); // answers it with a Response
                return;
            }
        } else {
            accepted = listener.accept(header, from, now);
        }
        if (accepted == null) {
            return;
        }
        if (peer != null) {
            peer.adopt(accepted, now); // the connection the peer opened carries what waited for ours
        } else {
            if (closed || peers.size() >= MAX_CONNECTIONS
                    || perAddress.getOrDefault(from.getAddress(), 0) >= MAX_CONNECTIONS_PER_ADDRESS) {
                refusedPeers.incrementAndGet();
                accepted.reset(ResetCode.TOO_BUSY, now);
                return;
            }
            peer = new Peer(from);
            peer.connection = accepted;
            add(peer);
        }
        accepted.receive(header, now); // registered first, so data on the packet that completes the handshake is delivered
        peer.settle(now);
    }

    private void add(Peer peer) {
        peers.put(peer.address, peer);
        perAddress.merge(peer.address.getAddress(), 1, Integer::sum);
    }

    private void remove(Peer peer) {
        if (peers.remove(peer.address, peer)) {
            perAddress.computeIfPresent(peer.address.getAddress(), (a, n) -> n == 1 ? null : n - 1);
        }
    }

    /**
     * A packet from an address no connection has: is it one of ours whose peer a NAT rebound to
     * a new UDP port (or a new address)? It is if its DCCP ports are a connection's and its 48-bit
     * sequence and acknowledgement numbers fall in that connection's windows, which only the peer
     * or its path can know. O(connections), and only for packets from unknown addresses.
     *
     * @return the peer the packet belongs to, or null
     */
    private Peer reboundPeer(DccpHeader p, InetSocketAddress from) {
        if (!p.hasExtendedSeqnos()) {
            return null;
        }
        for (Peer candidate : peers.values()) {
            DccpConnection c = candidate.connection;
            if (!candidate.yielded && c.remotePort() == p.sourcePort() && c.localPort() == p.destinationPort()
                    && c.state().compareTo(ConnectionState.PARTOPEN) >= 0
                    && c.state().compareTo(ConnectionState.TIMEWAIT) < 0 && c.isSequenceValid(p)) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * @return whether {@code p} is the peer's own handshake (its Request, or its Ack with an Init
     *     Cookie) meeting ours, a client connection not yet confirmed by the peer
     */
    private boolean crossesOurHandshake(DccpConnection ours, DccpHeader p) {
        if (ours.isServer()
                || ours.state() != ConnectionState.REQUEST && ours.state() != ConnectionState.PARTOPEN) {
            return false;
        }
        DccpPacketType type = p.type();
        return type == DccpPacketType.REQUEST
                || (type == DccpPacketType.ACK || type == DccpPacketType.DATA_ACK) && p.hasExtendedSeqnos()
                        && listener.carriesCookie(p);
    }

    /** A datagram that is not DCCP arrived: counted, and the first one logged. */
    private void notDccp(InetSocketAddress from, int length) {
        notDccp.incrementAndGet();
        notDccpPeers.add(from);
        if (!warnedNotDccp) {
            warnedNotDccp = true;
            LOG.warn("DCCP socket on port {} received a datagram of {} bytes from {} that is not DCCP: is that peer's "
                    + "socket on the UDP transport? Such datagrams are dropped and counted in "
                    + "info().dccp().notDccpPackets()", localPort, length, from);
        }
    }

    /**
     * The peer's host reported its port unreachable (an ICMP error the reader found on the
     * socket). Acted on only while a connection to it is being opened, and only for one of its
     * Requests, as TCP acts on hard errors only in SYN-SENT (RFC 5927): every datagram waiting for
     * the peer fails at once instead of after the connect timeout.
     *
     * @param quoted the start of the datagram that drew the error, as the error quotes it
     */
    @Override
    public void onUnreachable(InetSocketAddress peerAddress, ByteBuffer quoted, long now) {
        Peer peer = peers.get(peerAddress);
        if (peer == null || peer.opened || peer.connection.state() != ConnectionState.REQUEST
                || header.wrap(quoted, quoted.position(), quoted.remaining()).validate() != ParseResult.OK
                || header.type() != DccpPacketType.REQUEST) {
            return;
        }
        peer.unreachable = true;
        peer.connection.abandon();
        peer.settle(now);
    }

    // ---- closing ----

    /**
     * The socket closes: each connection is closed (Close or CloseReq sent), what waits is
     * dropped, and then the socket is closed.
     */
    void close(long now) {
        if (closed) {
            return;
        }
        closed = true;
        for (Peer peer : new ArrayList<>(peers.values())) {
            peer.connection.close(now);
            peer.sender.dropAll();
            peer.cancelTimer();
        }
        peers.clear();
        perAddress.clear();
        engine.flushStaged(now); // the Close packets leave before the socket does
        if (port != null) {
            port.retire();
        }
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing {} failed: {}", socket, e.toString());
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
            if (!socket.send(bytes, to)) {
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
        if (peer != null && peer.connection == c) {
            peer.sender.onAcked(seqno, engine.now());
        }
    }

    @Override
    public void lost(DccpConnection c, long seqno) {
        Peer peer = peers.get(c.peer());
        if (peer != null && peer.connection == c) {
            peer.sender.onLost(seqno, engine.now()); // sent again on a new sequence number if still useful
        }
    }

    @Override
    public void opened(DccpConnection c) {
        Peer peer = peers.get(c.peer());
        if (peer != null && peer.connection == c) {
            peer.opened = true; // the peer's settle() after the call sends what waits
        }
    }

    @Override
    public void writable(DccpConnection c) {
        // as opened()
    }

    @Override
    public void closed(DccpConnection c, ResetCode reasonOrNull) {
        Peer peer = peers.get(c.peer());
        if (peer != null && peer.connection == c && !peer.yielded) {
            peer.gone = true;
            if (!closed) {
                peer.failure = reason(peer, c, reasonOrNull);
                peer.failureCode = reasonOrNull;
            }
        }
    }

    /** Why the connection to {@code peer} ended, as the datagrams still waiting for it learn. */
    private PeerFailure.Reason reason(Peer peer, DccpConnection c, ResetCode code) {
        if (!peer.opened) {
            if (peer.unreachable) {
                return PeerFailure.Reason.PORT_UNREACHABLE;
            }
            if (c.resetByPeer()) {
                return PeerFailure.Reason.REFUSED;
            }
            return notDccpPeers.contains(peer.address) ? PeerFailure.Reason.TRANSPORT_MISMATCH
                    : PeerFailure.Reason.CONNECT_TIMEOUT;
        }
        if (code == null) {
            return PeerFailure.Reason.CLOSED;
        }
        return c.resetByPeer() ? PeerFailure.Reason.RESET : PeerFailure.Reason.SILENT;
    }

    /** The datagrams that waited for a peer given up failed: recorded for info() and logged once per peer. */
    private void failed(Peer peer, long count) {
        String detail = detail(peer);
        PeerFailure f = new PeerFailure(peer.address, peer.failure, detail, count);
        if (failures.size() == DccpStats.MAX_FAILURES) {
            failures.pollFirst();
        }
        failures.addLast(f);
        if (warned.add(peer.address)) {
            LOG.warn("DCCP socket on port {}: {}; {} datagram{} FAILED", localPort, detail, count, count == 1 ? "" : "s");
        } else {
            LOG.debug("DCCP socket on port {}: {}; {} datagrams FAILED", localPort, detail, count);
        }
    }

    private String detail(Peer peer) {
        InetSocketAddress a = peer.address;
        return switch (peer.failure) {
            case CONNECT_TIMEOUT -> "no answer from " + a + " within the connect timeout of "
                    + java.time.Duration.ofNanos(settings.requestGiveUpNanos())
                    + ": is a QSocket with Transport.DCCP listening there?";
            case PORT_UNREACHABLE -> a + " reported its port unreachable: nothing listens there";
            case TRANSPORT_MISMATCH -> a + " answered with datagrams that are not DCCP: its socket is on the UDP "
                    + "transport; give both ends Transport.DCCP";
            case REFUSED -> a + " refused the connection (" + codeName(peer.failureCode) + ")";
            case RESET -> a + " reset the connection (" + codeName(peer.failureCode) + "): it restarted or aborted";
            case CLOSED -> a + " closed the connection before the datagrams waiting for it were delivered";
            case SILENT -> peer.connection.idledOut()
                    ? a + " sent nothing for the peer idle timeout of "
                            + java.time.Duration.ofNanos(settings.idleTimeoutNanos()) + ": given up"
                    : a + " stopped acknowledging: given up after " + settings.deadPeerTimeouts()
                            + " retransmission timeouts in a row";
        };
    }

    private static String codeName(ResetCode code) {
        return code == null ? "Closed" : code.name();
    }

    private static <T> java.util.Set<T> recentSet(int capacity) {
        return java.util.Collections.newSetFromMap(new java.util.LinkedHashMap<T, Boolean>() {
            @Override
            protected boolean removeEldestEntry(java.util.Map.Entry<T, Boolean> eldest) {
                return size() > capacity;
            }
        });
    }

    /** Engine thread: what {@code info()} reports of the transport. */
    DccpStats snapshot() {
        List<ConnectionInfo> list = new ArrayList<>(peers.size());
        for (Peer p : peers.values()) {
            ConnectionStats c = p.connection.stats();
            list.add(new ConnectionInfo(p.address, c.state().name(), c.cwnd(), c.pipe(), c.srttNanos(), c.rtoNanos(),
                    c.packetsSent(), c.packetsReceived(), c.packetsLost(),
                    lossRate(c.packetsLost(), p.sender.dataSent()), c.droppedTotal()));
        }
        return new DccpStats(list, senders.expired.get(), senders.retransmitted.get(),
                malformed.get() + malformedPayloads.get(), refusedPeers.get(), senders.failed.get(), notDccp.get(),
                new ArrayList<>(failures));
    }

    private static double lossRate(long lost, long sent) {
        return sent == 0 ? 0 : Math.min(1.0, (double) lost / sent);
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
        return senders.heldForOldSegment.get();
    }

    /** @return exact duplicates and stale revisions the de-duplicators kept from the application */
    long duplicates() {
        return duplicates.get();
    }

    /** One peer: its connection, its sending side, its de-duplicator, and its timer. */
    private final class Peer implements TimerHandler {
        /** The peer's UDP address; a NAT may rebind it ({@link #heardFrom}). */
        InetSocketAddress address;
        final PeerSender sender = new PeerSender(senders);
        DccpConnection connection;
        /** Created with the first datagram received. */
        Deduplicator dedup;
        boolean gone;
        /** Whether the connection ever opened (PARTOPEN or OPEN; an accepted one has). */
        boolean opened;
        /** Whether the peer's host reported its port unreachable. */
        boolean unreachable;
        /**
         * Whether our Request lost a simultaneous open: what waits stays here until the listener
         * accepts the peer's connection, or the connect timeout passes.
         */
        boolean yielded;
        long yieldedUntil;
        /** Why the connection ended, while the datagrams waiting for it have not failed yet; or null. */
        PeerFailure.Reason failure;
        ResetCode failureCode;
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

        /** The new address the peer's packets come from, challenged but not yet confirmed; or null. */
        InetSocketAddress moveTo;
        /** The first challenge Sync sent to {@link #moveTo}. */
        long moveChallenge = -1;

        /**
         * A sequence-valid packet of this peer's connection came from {@code from}, a new address:
         * it is processed, and the new address is challenged with a Sync (rate-limited). A SyncAck
         * from there that acknowledges a challenge moves the connection: its packets then go
         * there, and nothing queued or in flight is lost.
         */
        void heardFrom(InetSocketAddress from, DccpHeader p, long now) {
            if (!from.equals(moveTo)) {
                moveTo = from;
                moveChallenge = -1;
            }
            if (p.type() == DccpPacketType.SYNC_ACK && moveChallenge >= 0
                    && io.qsockets.impl.dccp.wire.SequenceNumbers.inWindow(p.ackNumber(), moveChallenge,
                            connection.gss())) {
                remove(this);
                address = from;
                add(this);
                connection.moveTo(from, now);
                moveTo = null;
                moveChallenge = -1;
            } else {
                long challenge = connection.challengePath(from, now);
                if (moveChallenge < 0) {
                    moveChallenge = challenge;
                }
            }
            connection.receive(p, now);
            settle(now);
        }

        /** @return whether the connection has ended (TIMEWAIT or CLOSED) */
        boolean isOver() {
            ConnectionState state = connection.state();
            return !yielded && (state == ConnectionState.TIMEWAIT || state == ConnectionState.CLOSED);
        }

        /** Gives up our connection, which lost a simultaneous open, without a packet. */
        void yield(long now) {
            yielded = true;
            yieldedUntil = now + settings.requestGiveUpNanos();
            connection.abandon();
        }

        /** Takes over {@code accepted}, the connection the peer opened after we yielded. */
        void adopt(DccpConnection accepted, long now) {
            yielded = false;
            connection = accepted;
            sender.newConnection(now);
        }

        /** After anything happened: send what may go, then rearm the timer. */
        void settle(long now) {
            if (yielded) {
                if (now < yieldedUntil) {
                    rearm(yieldedUntil);
                    return;
                }
                yielded = false; // the peer never completed its connection
                gone = true;
                failure = PeerFailure.Reason.CONNECT_TIMEOUT;
            }
            if (gone) {
                if (failure != null) {
                    long n = sender.failAll();
                    if (n > 0) {
                        failed(this, n);
                    }
                    failure = null;
                } else {
                    sender.dropAll();
                }
            }
            long next = sender.run(connection, now);
            if (connection.state() == ConnectionState.CLOSED) {
                forget();
                return;
            }
            rearm(Math.min(next, connection.nextTimerNanos()));
        }

        private void rearm(long next) {
            if (next != timerAt) {
                cancelTimer();
                if (next != Long.MAX_VALUE) {
                    timerAt = next;
                    timerId = timers.schedule(next, this);
                }
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
            sender.dropAll();
            cancelTimer();
            remove(this);
        }
    }
}
