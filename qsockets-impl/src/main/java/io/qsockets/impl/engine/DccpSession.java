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
 * for unanswered Requests, and the datagrams that wait for their connection to open or for its
 * congestion window. The scheduler releases a datagram; this session sends it as a DCCP-Data
 * packet on its peer's connection, opening one if there is none. Packets that arrive are parsed
 * here; application data goes to the socket's {@link ReceiveQueue}. Engine thread only, except
 * the counters.
 */
final class DccpSession implements DatagramSink, ConnectionOwner {
    private static final Logger LOG = LoggerFactory.getLogger(DccpSession.class);
    /** Most connections one socket keeps; datagrams to further peers are dropped and counted. */
    static final int MAX_CONNECTIONS = 4096;

    private final DutyCycleEngine engine;
    private final Endpoint endpoint;
    private final DatagramChannel channel;
    private final ChannelPort port;
    private final ReceiveQueue inbox;
    private final ConnectionSettings settings;
    private final TimingWheel timers;
    private final HashMap<InetSocketAddress, Peer> peers = new HashMap<>();
    private final DccpHeader header = new DccpHeader();
    private final ByteBuffer packet;
    private final ByteBuffer content = ByteBuffer.allocate(65_536);
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong transmitFailures = new AtomicLong();
    private final AtomicLong refusedPeers = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
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
    }

    /** @return the largest datagram a connection carries */
    int maxPayload() {
        return settings.maxPayload();
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
            peer.dropWaiting(SegmentState.DROPPED);
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
    public void delivered(DccpConnection c, ByteBuffer data, long seqno, long now) {
        inbox.deliver(data, c.peer());
    }

    @Override
    public void acked(DccpConnection c, long seqno) {
        // per-segment outcomes follow the Ack Vectors once segments are tracked by sequence number
    }

    @Override
    public void lost(DccpConnection c, long seqno) {
        // DCCP never retransmits; the congestion control has counted the loss
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
        return new DccpStats(list, expired.get(), 0, malformed.get(), refusedPeers.get());
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

    /** One peer: its connection, the datagrams waiting for it, and its timer. */
    private final class Peer implements TimerHandler {
        final InetSocketAddress address;
        final ArrayDeque<OutboundPacket> waiting = new ArrayDeque<>();
        DccpConnection connection;
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

        /** After anything happened: send what may go, expire what is late, rearm the timer. */
        void settle(long now) {
            if (gone) {
                dropWaiting(SegmentState.DROPPED);
            }
            while (!waiting.isEmpty()) {
                OutboundPacket p = waiting.peekFirst();
                if (isLate(p, now)) {
                    waiting.pollFirst();
                    expired.incrementAndGet();
                    engine.discard(p, SegmentState.EXPIRED);
                } else if (connection.canSendData()) {
                    waiting.pollFirst();
                    if (!send(p, now)) {
                        break; // refused: writable() or the next event resumes
                    }
                } else {
                    break;
                }
            }
            if (connection.state() == ConnectionState.CLOSED) {
                forget();
                return;
            }
            long next = connection.nextTimerNanos();
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

        /** @return false if the connection refused the datagram, which waits again at the head */
        private boolean send(OutboundPacket p, long now) {
            content.clear();
            SegmentImpl segment = p.segment;
            if (segment == null) {
                content.put(p.data, 0, p.length);
            } else if (!segment.bindContent(p, content)) {
                engine.letGo(p); // cancelled while it waited
                return true;
            }
            content.flip();
            int length = content.remaining();
            if (connection.sendData(content, now) < 0) {
                waiting.addFirst(p);
                return false;
            }
            dataSent++;
            engine.sent(p, length, now);
            return true;
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
            dropWaiting(SegmentState.DROPPED);
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
