package io.qsockets.impl.dccp;

import io.qsockets.impl.dccp.wire.DccpHeader;
import io.qsockets.impl.dccp.wire.DccpPacketType;
import io.qsockets.linkemu.LinkModel;
import io.qsockets.linkemu.LinkProfile;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiPredicate;

/**
 * Two endpoints wired back to back on simulated time, each direction through a {@link LinkModel};
 * every transmitted packet is recorded and may be dropped by a filter.
 */
final class Net {

    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;

    /** A packet seen on the wire. */
    record Sent(Endpoint from, byte[] bytes, long at, boolean dropped) {
        DccpHeader header() {
            DccpHeader h = new DccpHeader();
            h.wrap(ByteBuffer.wrap(bytes), 0, bytes.length);
            h.validate();
            return h;
        }

        DccpPacketType type() {
            return header().type();
        }
    }

    long now = 1_000 * S;
    final Endpoint client;
    final Endpoint server;
    final LinkModel toServer;
    final LinkModel toClient;
    final List<Sent> wire = new ArrayList<>();
    /** Returns true to drop a packet (from, type). */
    BiPredicate<Endpoint, Sent> dropFilter = (e, p) -> false;

    Net(LinkProfile profile) {
        client = new Endpoint(this, "client", new InetSocketAddress("10.0.0.1", 5001), 5001);
        server = new Endpoint(this, "server", new InetSocketAddress("10.0.0.2", 6001), 6001);
        client.peerEndpoint = server;
        server.peerEndpoint = client;
        toServer = new LinkModel(profile);
        toClient = new LinkModel(profile.toBuilder().seed(profile.seed() + 1).build());
    }

    Net() {
        this(LinkProfile.builder().delay(java.time.Duration.ofMillis(10)).build());
    }

    void listen(ConnectionSettings s) {
        server.listener = new DccpListener(s, server.port, server, new SplittableRandom(7));
    }

    void connect(ConnectionSettings s) {
        client.connection = DccpConnection.connect(s, server.address, client.port, server.port, now, client,
                new SplittableRandom(3));
    }

    void transmit(Endpoint from, ByteBuffer packet) {
        byte[] b = new byte[packet.remaining()];
        packet.get(packet.position(), b);
        Sent s = new Sent(from, b, now, false);
        boolean drop = dropFilter.test(from, s);
        wire.add(drop ? new Sent(from, b, now, true) : s);
        if (!drop) {
            (from == client ? toServer : toClient).offer(ByteBuffer.wrap(b), null, now);
        }
    }

    /** Injects raw bytes as if {@code to} received them now. */
    void inject(Endpoint to, ByteBuffer packet) {
        to.onDatagram(packet);
    }

    /** Runs events (deliveries, then timers) until {@code until}. */
    void runUntil(long until) {
        while (true) {
            long next = Math.min(Math.min(toServer.nextDeliveryNanos(), toClient.nextDeliveryNanos()),
                    Math.min(timer(client), timer(server)));
            if (next > until) {
                now = Math.max(now, until);
                return;
            }
            now = Math.max(now, next);
            toServer.poll(now, (p, f, t) -> server.onDatagram(copy(p)));
            toClient.poll(now, (p, f, t) -> client.onDatagram(copy(p)));
            fire(client);
            fire(server);
        }
    }

    void runFor(long nanos) {
        runUntil(now + nanos);
    }

    private static ByteBuffer copy(ByteBuffer p) {
        ByteBuffer b = ByteBuffer.allocate(p.remaining());
        b.put(p).flip();
        return b;
    }

    private long timer(Endpoint e) {
        return e.connection == null ? Long.MAX_VALUE : e.connection.nextTimerNanos();
    }

    private void fire(Endpoint e) {
        if (e.connection != null && e.connection.nextTimerNanos() <= now) {
            e.connection.onTimers(now);
        }
    }

    List<Sent> sentBy(Endpoint e, DccpPacketType type) {
        List<Sent> out = new ArrayList<>();
        for (Sent s : wire) {
            if (s.from() == e && s.type() == type) {
                out.add(s);
            }
        }
        return out;
    }

    Sent last(Endpoint e) {
        for (int i = wire.size() - 1; i >= 0; i--) {
            if (wire.get(i).from() == e) {
                return wire.get(i);
            }
        }
        return null;
    }
}
