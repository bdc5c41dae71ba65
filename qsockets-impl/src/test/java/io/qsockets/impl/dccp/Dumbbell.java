package io.qsockets.impl.dccp;

import io.qsockets.impl.dccp.ccid2.Ccid2Config;
import io.qsockets.impl.dccp.ccid2.Ccid2Control;
import io.qsockets.impl.dccp.ccid2.Ccid2Sender;
import io.qsockets.impl.dccp.wire.DccpHeader;
import io.qsockets.impl.dccp.wire.ParseResult;
import io.qsockets.impl.dccp.wire.ResetCode;
import io.qsockets.linkemu.LinkModel;
import io.qsockets.linkemu.LinkProfile;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;

/**
 * Several DCCP client/server pairs on simulated time sharing one {@link LinkModel} per direction
 * (clients to servers carries the data, servers to clients the acknowledgements). Each client is a
 * bulk sender: whenever its connection may send data, it does. Every connection runs CCID 2; the
 * test reaches each side's {@link Ccid2Control} through {@link Side#control}.
 */
final class Dumbbell {

    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    /** One endpoint: a client (bulk sender) or a server (listener, then sink). */
    final class Side implements ConnectionOwner {
        final String name;
        final InetSocketAddress address;
        final int port;
        Side peer;
        DccpListener listener;
        DccpConnection connection;
        /** The connection's congestion control, captured when the connection created it. */
        Ccid2Control control;
        boolean bulk;
        long bulkFrom = Long.MAX_VALUE;
        long deliveredPackets;
        long deliveredBytes;
        long lost;
        int opened;
        int closed;
        int malformed;
        int unmatched;
        private final ByteBuffer scratch = ByteBuffer.allocate(2048);
        private final DccpHeader header = new DccpHeader();

        Side(String name, InetSocketAddress address, int port) {
            this.name = name;
            this.address = address;
            this.port = port;
        }

        ConnectionSettings settings() {
            return base.apply(ConnectionSettings.builder())
                    .congestionControl(l -> control = (Ccid2Control) Ccid2Control.factory(config).create(l))
                    .build();
        }

        void onDatagram(ByteBuffer packet) {
            header.wrap(packet, 0, packet.limit());
            if (header.validate() != ParseResult.OK) {
                malformed++;
                return;
            }
            if (connection != null && connection.state() != ConnectionState.CLOSED) {
                connection.receive(header, now);
            } else if (listener != null) {
                DccpConnection c = listener.onPacket(header, peer.address, now);
                if (c != null) {
                    connection = c;
                }
            } else {
                unmatched++;
            }
        }

        /** Sends while the connection lets it, if this side is a bulk sender whose start time has come. */
        void pump() {
            if (!bulk || connection == null || now < bulkFrom) {
                return;
            }
            while (connection.canSendData()) {
                if (connection.sendData(payload.duplicate(), now) < 0) {
                    throw new AssertionError(name + ": canSendData() was true but sendData refused");
                }
            }
        }

        @Override
        public ByteBuffer packetBuffer() {
            return scratch.clear();
        }

        @Override
        public void transmit(ByteBuffer packet, InetSocketAddress to) {
            Dumbbell.this.transmit(this, packet);
        }

        @Override
        public boolean delivered(DccpConnection c, ByteBuffer data, long seqno, long at) {
            deliveredPackets++;
            deliveredBytes += data.remaining();
            return true;
        }

        @Override
        public void acked(DccpConnection c, long seqno) {
        }

        @Override
        public void lost(DccpConnection c, long seqno) {
            lost++;
        }

        @Override
        public void opened(DccpConnection c) {
            opened++;
        }

        @Override
        public void writable(DccpConnection c) {
        }

        @Override
        public void closed(DccpConnection c, ResetCode reasonOrNull) {
            closed++;
        }

        /** @return the CCID 2 sender of this side's half-connection */
        Ccid2Sender sender() {
            return control.sender();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A client (bulk sender) and the server it connects to. */
    record Pair(Side client, Side server) {
    }

    long now = 1_000 * S;
    final LinkModel toServers;
    final LinkModel toClients;
    final List<Pair> pairs = new ArrayList<>();
    /** Settings common to every connection; the congestion control is set per side. */
    final UnaryOperator<ConnectionSettings.Builder> base;
    final Ccid2Config config;
    final ByteBuffer payload;
    /** Returns true to drop a packet (sender, its parsed header) before it reaches the link. */
    BiPredicate<Side, DccpHeader> dropFilter = (s, h) -> false;
    /** Packets the filter dropped. */
    long filtered;
    /** Called after every packet delivered and every timer run, once the senders filled their windows. */
    Runnable probe = () -> { };
    private final DccpHeader filterView = new DccpHeader();
    private final LinkModel.Sink deliver = (b, flow, t) -> {
        ((Side) flow).onDatagram(b);
        afterEvent();
    };

    /**
     * @param forward the data direction's link (shared by every pair)
     * @param payloadBytes the size of each data packet's payload
     */
    Dumbbell(LinkProfile forward, LinkProfile reverse, UnaryOperator<ConnectionSettings.Builder> base, Ccid2Config config, int payloadBytes) {
        this.toServers = new LinkModel(forward);
        this.toClients = new LinkModel(reverse);
        this.base = base;
        this.config = config;
        this.payload = ByteBuffer.allocate(payloadBytes);
    }

    /** Adds a pair: the server listens now, the client connects at {@code startNanos} and then always has data. */
    Pair addPair(long startNanos) {
        int i = pairs.size() + 1;
        Side client = new Side("client" + i, new InetSocketAddress("10.0.1." + i, 5000 + i), 5000 + i);
        Side server = new Side("server" + i, new InetSocketAddress("10.0.2." + i, 6000 + i), 6000 + i);
        client.peer = server;
        server.peer = client;
        server.listener = new DccpListener(server.settings(), server.port, server, new SplittableRandom(7 + i));
        client.bulk = true;
        client.bulkFrom = startNanos;
        Pair p = new Pair(client, server);
        pairs.add(p);
        return p;
    }

    void transmit(Side from, ByteBuffer packet) {
        filterView.wrap(packet, packet.position(), packet.remaining());
        filterView.validate();
        if (dropFilter.test(from, filterView)) {
            filtered++;
            return;
        }
        (from.port < 6000 ? toServers : toClients).offer(packet, from.peer, now);
    }

    /** Runs events until {@code until}: connections open when due, deliveries, timers, bulk sending. */
    void runUntil(long until) {
        while (true) {
            for (Pair p : pairs) {
                if (p.client.connection == null && now >= p.client.bulkFrom) {
                    p.client.connection = DccpConnection.connect(p.client.settings(), p.server.address, p.client.port,
                            p.server.port, now, p.client, new SplittableRandom(3 + pairs.indexOf(p)));
                }
            }
            afterEvent();
            long next = Math.min(toServers.nextDeliveryNanos(), toClients.nextDeliveryNanos());
            for (Pair p : pairs) {
                next = Math.min(next, Math.min(timer(p.client), timer(p.server)));
                if (p.client.connection == null) {
                    next = Math.min(next, p.client.bulkFrom);
                }
            }
            if (next > until) {
                now = Math.max(now, until);
                return;
            }
            now = Math.max(now, next);
            toServers.poll(now, deliver);
            toClients.poll(now, deliver);
            for (Pair p : pairs) {
                fire(p.client);
                fire(p.server);
            }
        }
    }

    /** After each packet delivered and each timer run: the senders fill their windows, then the probe looks. */
    private void afterEvent() {
        for (Pair p : pairs) {
            p.client.pump();
        }
        probe.run();
    }

    void runFor(long nanos) {
        runUntil(now + nanos);
    }

    private static long timer(Side s) {
        return s.connection == null ? Long.MAX_VALUE : s.connection.nextTimerNanos();
    }

    private void fire(Side s) {
        if (s.connection != null && s.connection.nextTimerNanos() <= now) {
            s.connection.onTimers(now);
            afterEvent();
        }
    }
}
