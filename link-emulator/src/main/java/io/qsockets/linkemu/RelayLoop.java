package io.qsockets.linkemu;

import io.qsockets.NanoClock;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The duty cycle of the relay thread of a {@link UdpLinkEmulator}: receive every datagram that
 * is ready and offer it to the model of its direction, hand out the packets that are due, then
 * wait for the earlier of the next delivery and the next datagram. Far from a delivery it waits
 * in {@link Selector#select(long)} (millisecond resolution); within {@link #SELECT_HORIZON_NANOS}
 * it polls the sockets and parks in short slices; within the spin window it spins, because a park
 * on Linux wakes some 50–60 µs late.
 */
final class RelayLoop implements Runnable {
    static final long SELECT_HORIZON_NANOS = 2_000_000;
    private static final long PARK_SLICE_NANOS = 200_000;
    private static final long NANOS_PER_MILLI = 1_000_000;
    private static final int RECEIVE_BATCH = 16;

    private final Selector selector;
    private final NanoClock clock;
    private final LinkModel aToB;
    private final LinkModel bToA;
    private final long spinNanos;
    private final Queue<UdpLinkEmulator.Route> newRoutes = new ConcurrentLinkedQueue<>();
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(LinkModel.MAX_PACKET_LENGTH + 1);
    private final LinkModel.Sink toB = (payload, flow, due) ->
            forward(payload, (UdpLinkEmulator.Route) flow, Direction.A_TO_B, due);
    private final LinkModel.Sink toA = (payload, flow, due) ->
            forward(payload, (UdpLinkEmulator.Route) flow, Direction.B_TO_A, due);

    private volatile boolean running = true;
    private volatile long strayDatagrams;
    private volatile long relayErrors;
    private volatile Throwable failure;
    private volatile long releases;
    private volatile long totalLatenessNanos;
    private volatile long maxLatenessNanos;
    private volatile long releasesLateBy50Micros;

    RelayLoop(Selector selector, NanoClock clock, LinkModel aToB, LinkModel bToA, long spinNanos) {
        this.selector = selector;
        this.spinNanos = spinNanos;
        this.clock = clock;
        this.aToB = aToB;
        this.bToA = bToA;
    }

    /** Hands a route's channels to the relay thread, which registers them. Any thread. */
    void add(UdpLinkEmulator.Route route) {
        newRoutes.add(route);
        selector.wakeup();
    }

    /** Asks the loop to end. Any thread. */
    void stop() {
        running = false;
        selector.wakeup();
    }

    long strayDatagrams() {
        return strayDatagrams;
    }

    long relayErrors() {
        return relayErrors;
    }

    Throwable failure() {
        return failure;
    }

    /**
     * @return how precise the relay is: packets sent, the sum and the maximum of how late they
     *     left, and how many left more than 50 µs late
     */
    long[] lateness() {
        return new long[] {releases, totalLatenessNanos, maxLatenessNanos, releasesLateBy50Micros};
    }

    @Override
    public void run() {
        try {
            while (running) {
                registerNewRoutes();
                aToB.poll(clock.nanoTime(), toB);
                bToA.poll(clock.nanoTime(), toA);
                if (waitForWork() > 0) {
                    receiveReady();
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** @return the number of ready channels */
    private int waitForWork() throws IOException {
        long next = Math.min(aToB.nextDeliveryNanos(), bToA.nextDeliveryNanos());
        if (next == Long.MAX_VALUE) {
            return selector.select();
        }
        long wait = next - clock.nanoTime();
        if (wait > SELECT_HORIZON_NANOS) {
            return selector.select((wait - NANOS_PER_MILLI) / NANOS_PER_MILLI);
        }
        int ready = selector.selectNow();
        if (ready == 0 && wait > spinNanos) {
            LockSupport.parkNanos(Math.min(wait - spinNanos, PARK_SLICE_NANOS));
        } else if (ready == 0 && wait > 0) {
            Thread.onSpinWait();
        }
        return ready;
    }

    private void registerNewRoutes() throws ClosedChannelException {
        UdpLinkEmulator.Route route;
        while ((route = newRoutes.poll()) != null) {
            route.channelA.register(selector, SelectionKey.OP_READ, new Ingress(route, Direction.A_TO_B));
            route.channelB.register(selector, SelectionKey.OP_READ, new Ingress(route, Direction.B_TO_A));
        }
    }

    private void receiveReady() {
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
            SelectionKey key = keys.next();
            keys.remove();
            Ingress ingress = (Ingress) key.attachment();
            DatagramChannel channel = (DatagramChannel) key.channel();
            for (int i = 0; i < RECEIVE_BATCH; i++) {
                if (!receiveOne(channel, ingress)) {
                    break;
                }
            }
        }
    }

    private boolean receiveOne(DatagramChannel channel, Ingress ingress) {
        receiveBuffer.clear();
        SocketAddress source;
        try {
            source = channel.receive(receiveBuffer);
        } catch (IOException e) {
            relayErrors++;
            return false;
        }
        if (source == null) {
            return false;
        }
        long now = clock.nanoTime();
        receiveBuffer.flip();
        if (!source.equals(ingress.expectedSource())) {
            strayDatagrams++;
        } else if (receiveBuffer.remaining() > LinkModel.MAX_PACKET_LENGTH) {
            relayErrors++;
        } else {
            LinkModel model = ingress.direction() == Direction.A_TO_B ? aToB : bToA;
            model.offer(receiveBuffer, ingress.route(), now);
        }
        return true;
    }

    private void forward(ByteBuffer payload, UdpLinkEmulator.Route route, Direction direction, long due) {
        long late = clock.nanoTime() - due;
        releases++;
        totalLatenessNanos += late;
        maxLatenessNanos = Math.max(maxLatenessNanos, late);
        if (late > 50_000) {
            releasesLateBy50Micros++;
        }
        boolean toB = direction == Direction.A_TO_B;
        DatagramChannel out = toB ? route.channelB : route.channelA;
        try {
            if (out.send(payload, toB ? route.endpointB() : route.endpointA()) == 0) {
                relayErrors++;
            }
        } catch (IOException e) {
            relayErrors++;
        }
    }

    /** What a selection key stands for: the side of a route a datagram arrives on. */
    private record Ingress(UdpLinkEmulator.Route route, Direction direction) {
        SocketAddress expectedSource() {
            return direction == Direction.A_TO_B ? route.endpointA() : route.endpointB();
        }
    }
}
