package io.qsockets.impl.engine;

import io.qsockets.ManualNanoClock;
import io.qsockets.impl.dccp.wire.DccpHeader;
import io.qsockets.impl.dccp.wire.DccpPacketType;
import io.qsockets.impl.dccp.wire.ParseResult;
import io.qsockets.impl.sendqueue.PayloadHeader;
import io.qsockets.linkemu.Direction;
import io.qsockets.linkemu.LinkModel;
import io.qsockets.linkemu.LinkProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.function.Predicate;

/**
 * Test fixture: a link emulator between two real loopback sockets on simulated time. Socket A
 * sends to {@link #forA()} to reach B and B to {@link #forB()} to reach A; each direction goes
 * through its own seeded {@link LinkModel}. The test steps one {@link ManualNanoClock} that the
 * engines share; {@link #runUntil} moves it and lets the engines and the relay work until nothing
 * moves at that instant, so every departure and arrival happens at a known simulated time.
 * Every datagram a side sends is shown to the {@link Observer} before the link decides its fate;
 * a test may also drop chosen datagrams on purpose.
 */
final class SimulatedRelay implements AutoCloseable {
    static final long MS = 1_000_000L;

    /** Sees every datagram a side emits, before the link decides its fate. */
    interface Observer {
        void emitted(long nowNanos, Direction direction, ByteBuffer datagram);
    }

    private final ManualNanoClock clock;
    private final DutyCycleEngine[] engines;
    private final DatagramChannel relayForA;
    /** Where B sees A: replaced by {@link #rebindA()}, as a NAT that gives A's flow a new port. */
    private DatagramChannel relayForB;
    private final InetSocketAddress a;
    private final InetSocketAddress b;
    private final LinkModel aToB;
    private final LinkModel bToA;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
    private Observer observer = (t, d, p) -> { };
    private Predicate<ByteBuffer> dropAToB = p -> false;
    private Predicate<ByteBuffer> dropBToA = p -> false;

    SimulatedRelay(ManualNanoClock clock, InetSocketAddress a, InetSocketAddress b, LinkProfile aToB,
            LinkProfile bToA, DutyCycleEngine... engines) throws IOException {
        this.clock = clock;
        this.engines = engines;
        this.a = a;
        this.b = b;
        this.aToB = new LinkModel(aToB, Direction.A_TO_B, null);
        this.bToA = new LinkModel(bToA, Direction.B_TO_A, null);
        this.relayForA = open();
        this.relayForB = open();
    }

    private static DatagramChannel open() throws IOException {
        DatagramChannel c = DatagramChannel.open();
        c.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
        c.setOption(StandardSocketOptions.SO_SNDBUF, 8 << 20);
        c.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        c.configureBlocking(false);
        return c;
    }

    /** @return where A sends to reach B (and what A sees as B's address) */
    InetSocketAddress forA() {
        return local(relayForA);
    }

    /** @return where B sends to reach A (and what B sees as A's address) */
    InetSocketAddress forB() {
        return local(relayForB);
    }

    private static InetSocketAddress local(DatagramChannel c) {
        try {
            return (InetSocketAddress) c.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A NAT rebinds A's flow: from now on B receives A's datagrams from a new UDP port, and what B
     * sends to the old one is lost (the old mapping is gone).
     */
    void rebindA() throws IOException {
        DatagramChannel old = relayForB;
        relayForB = open();
        old.close();
    }

    void observe(Observer o) {
        observer = o;
    }

    /** Drops, before the link sees them, the datagrams from A that {@code drop} accepts. */
    void dropFromA(Predicate<ByteBuffer> drop) {
        dropAToB = drop;
    }

    /** Drops, before the link sees them, the datagrams from B that {@code drop} accepts. */
    void dropFromB(Predicate<ByteBuffer> drop) {
        dropBToA = drop;
    }

    LinkModel aToB() {
        return aToB;
    }

    LinkModel bToA() {
        return bToA;
    }

    /** Sets the clock to {@code nanos} and works until nothing moves at that instant. */
    void runAt(long nanos) {
        clock.set(nanos);
        int idle = 0;
        while (idle < 3) {
            int work = 0;
            for (DutyCycleEngine e : engines) {
                work += e.doWork();
            }
            work += pump(nanos);
            idle = work == 0 ? idle + 1 : 0;
        }
    }

    /** Steps the clock by {@code stepNanos} up to {@code endNanos}, running {@code eachStep} after every step. */
    void runUntil(long endNanos, long stepNanos, Runnable eachStep) {
        for (long t = clock.nanoTime() + stepNanos; t <= endNanos; t += stepNanos) {
            runAt(t);
            eachStep.run();
        }
    }

    private int pump(long now) {
        int moved = read(relayForA, a, aToB, Direction.A_TO_B, dropAToB, now)
                + read(relayForB, b, bToA, Direction.B_TO_A, dropBToA, now);
        moved += aToB.poll(now, (payload, flow, t) -> send(relayForB, payload, b));
        moved += bToA.poll(now, (payload, flow, t) -> send(relayForA, payload, a));
        return moved;
    }

    private int read(DatagramChannel from, InetSocketAddress expected, LinkModel link, Direction d,
            Predicate<ByteBuffer> drop, long now) {
        int n = 0;
        try {
            while (true) {
                buffer.clear();
                InetSocketAddress source = (InetSocketAddress) from.receive(buffer);
                if (source == null) {
                    return n;
                }
                n++;
                buffer.flip();
                if (!source.equals(expected)) {
                    continue;
                }
                observer.emitted(now, d, buffer.asReadOnlyBuffer());
                if (!drop.test(buffer.asReadOnlyBuffer())) {
                    link.offer(buffer, null, now);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(DatagramChannel c, ByteBuffer payload, InetSocketAddress to) {
        try {
            c.send(payload, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return the segment id in the payload header of a DCCP-Data or DataAck datagram, or -1 for
     *     any other datagram
     */
    static long segmentIdOf(ByteBuffer datagram) {
        PayloadHeader h = payloadHeaderOf(datagram);
        return h == null ? -1 : h.segmentId();
    }

    /** @return the payload header of a DCCP-Data or DataAck datagram, or null */
    static PayloadHeader payloadHeaderOf(ByteBuffer datagram) {
        DccpHeader dccp = new DccpHeader().wrap(datagram, datagram.position(), datagram.remaining());
        if (dccp.validate() != ParseResult.OK
                || dccp.type() != DccpPacketType.DATA && dccp.type() != DccpPacketType.DATA_ACK) {
            return null;
        }
        PayloadHeader h = new PayloadHeader();
        return h.wrapForRead(datagram, dccp.dataOffset(), dccp.dataLength()) == PayloadHeader.OK ? h : null;
    }

    @Override
    public void close() throws IOException {
        relayForA.close();
        relayForB.close();
    }
}
