package io.qsockets.linkemu;

import io.qsockets.NanoClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An emulated link in real time: a UDP relay on loopback whose two directions each go through
 * their own {@link LinkModel}.
 *
 * <p><b>Addressing.</b> One emulator is one link, with a side A and a side B. Each
 * {@link Route} (a pair of UDP endpoints {@code a}, {@code b} that talk across the link) gets two
 * relay sockets: {@code a} sends to {@link Route#relayForA()} to reach {@code b}, and {@code b}
 * sends to {@link Route#relayForB()} to reach {@code a}. A datagram from {@code a} arrives at
 * {@code b} from {@code relayForB}, so {@code b} simply answers its source (and vice versa); the
 * endpoints never learn each other's real address. Datagrams from any other source are counted
 * in {@link #strayDatagrams()} and dropped. All routes of one emulator share its two models, so
 * their flows compete for the same rate and queue (a shared bottleneck); independent links are
 * separate emulators. {@link #between} makes an emulator with one route.
 *
 * <p><b>Time.</b> One relay thread does all the work (no thread per packet or per route). A
 * datagram is stamped with the clock when the relay reads it, and is sent when the clock reaches
 * its delivery time: never earlier, and later only by the relay's wake-up latency (it spins through
 * the last {@linkplain Builder#spinWindow(Duration) 100 µs} before a delivery). The clock must advance with real time.
 *
 * <p><b>Threading.</b> Thread-safe. {@link #close()} stops the relay thread, waits for it and
 * closes every socket; packets still in flight are discarded.
 */
public final class UdpLinkEmulator implements AutoCloseable {
    private static final AtomicInteger EMULATORS = new AtomicInteger();
    private static final long JOIN_MILLIS = 5_000;
    private static final Duration DEFAULT_SPIN_WINDOW = Duration.ofNanos(100_000);
    private static final Duration MAX_SPIN_WINDOW = Duration.ofMillis(1);

    private final LinkModel aToB;
    private final LinkModel bToA;
    private final InetAddress bindAddress;
    private final int socketBufferBytes;
    private final Selector selector;
    private final RelayLoop loop;
    private final Thread thread;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private boolean closed;

    private UdpLinkEmulator(Builder b) throws IOException {
        aToB = new LinkModel(b.aToB, Direction.A_TO_B, b.wireTap);
        bToA = new LinkModel(b.bToA, Direction.B_TO_A, b.wireTap);
        bindAddress = b.bindAddress;
        socketBufferBytes = b.socketBufferBytes;
        selector = Selector.open();
        loop = new RelayLoop(selector, b.clock, aToB, bToA, b.spinWindow.toNanos());
        thread = new Thread(loop, "qsockets-link-emulator-" + EMULATORS.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    /** @return a builder for an emulator with perfect links, the system clock and no routes */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts an emulator with one route between {@code a} and {@code b}.
     *
     * @param a the address endpoint A sends from
     * @param b the address endpoint B sends from
     * @param aToB the impairments from A to B
     * @param bToA the impairments from B to A (give it another seed than {@code aToB} for
     *     independent losses)
     * @throws IOException if a socket cannot be opened
     */
    public static UdpLinkEmulator between(InetSocketAddress a, InetSocketAddress b, LinkProfile aToB,
            LinkProfile bToA) throws IOException {
        UdpLinkEmulator emulator = builder().aToB(aToB).bToA(bToA).start();
        try {
            emulator.addRoute(a, b);
        } catch (IOException | RuntimeException e) {
            emulator.close();
            throw e;
        }
        return emulator;
    }

    /**
     * Adds a route through this link: two new relay sockets on the bind address. Datagrams the
     * endpoints send right after this returns are relayed.
     *
     * @param a the address endpoint A sends from: a concrete address (not a wildcard) and port
     * @param b the address endpoint B sends from
     * @throws IOException if a socket cannot be opened
     * @throws IllegalStateException if the emulator is closed
     */
    public synchronized Route addRoute(InetSocketAddress a, InetSocketAddress b) throws IOException {
        checkEndpoint("endpoint A", a);
        checkEndpoint("endpoint B", b);
        if (a.equals(b)) {
            throw new IllegalArgumentException("endpoints A and B are both " + a + ": a route joins two endpoints");
        }
        if (closed) {
            throw new IllegalStateException("the link emulator is closed");
        }
        DatagramChannel channelA = openChannel();
        DatagramChannel channelB;
        try {
            channelB = openChannel();
        } catch (IOException e) {
            channelA.close();
            throw e;
        }
        Route route;
        try {
            route = new Route(a, b, channelA, channelB);
        } catch (IOException e) {
            closeQuietly(channelA);
            closeQuietly(channelB);
            throw e;
        }
        routes.add(route);
        loop.add(route);
        return route;
    }

    /** @return the routes, in the order they were added */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** @return the address endpoint A of the first route sends to, to reach its endpoint B */
    public InetSocketAddress relayForA() {
        return firstRoute().relayForA();
    }

    /** @return the address endpoint B of the first route sends to, to reach its endpoint A */
    public InetSocketAddress relayForB() {
        return firstRoute().relayForB();
    }

    /** @return the counters of one direction, summed over all routes */
    public LinkCounters counters(Direction direction) {
        return model(direction).counters();
    }

    /** @return the profile of one direction */
    public LinkProfile profile(Direction direction) {
        return model(direction).profile();
    }

    /** @return datagrams that came to a relay socket from an address other than its endpoint's */
    public long strayDatagrams() {
        return loop.strayDatagrams();
    }

    /** @return datagrams the relay failed to receive or to send (socket errors, full buffers) */
    public long relayErrors() {
        return loop.relayErrors();
    }

    /**
     * Stops the relay thread, waits for it, and closes every relay socket. Idempotent.
     *
     * @throws IllegalStateException if the relay thread had failed (the cause is its exception)
     *     or did not stop in time; the sockets are closed anyway
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        loop.stop();
        boolean stopped = join();
        for (Route route : routes) {
            closeQuietly(route.channelA);
            closeQuietly(route.channelB);
        }
        closeQuietly(selector);
        if (!stopped) {
            throw new IllegalStateException("the relay thread " + thread.getName() + " did not stop within "
                    + JOIN_MILLIS + " ms");
        }
        if (loop.failure() != null) {
            throw new IllegalStateException("the relay thread " + thread.getName() + " failed", loop.failure());
        }
    }

    Thread relayThread() {
        return thread;
    }

    RelayLoop relayLoop() {
        return loop;
    }

    private boolean join() {
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
        while (thread.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                thread.interrupt();
                break;
            }
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    private Route firstRoute() {
        if (routes.isEmpty()) {
            throw new IllegalStateException("the link emulator has no route yet: call addRoute(a, b)");
        }
        return routes.get(0);
    }

    private LinkModel model(Direction direction) {
        return Objects.requireNonNull(direction, "direction") == Direction.A_TO_B ? aToB : bToA;
    }

    private DatagramChannel openChannel() throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, socketBufferBytes);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, socketBufferBytes);
            channel.bind(new InetSocketAddress(bindAddress, 0));
            channel.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return channel;
    }

    private static void checkEndpoint(String what, InetSocketAddress address) {
        Objects.requireNonNull(address, what);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException(what + " " + address + " is unresolved: allowed a resolved address");
        }
        if (address.getAddress().isAnyLocalAddress() || address.getPort() == 0) {
            throw new IllegalArgumentException(what + " " + address + " is not an address a datagram comes from:"
                    + " allowed a concrete address and port, e.g. new InetSocketAddress(InetAddress.getLoopbackAddress(),"
                    + " socket.getLocalPort())");
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing: nothing left to do with it
        }
    }

    /**
     * A pair of endpoints talking across the link, and the relay addresses each sends to.
     * Identity-based equality.
     */
    public static final class Route {
        private final InetSocketAddress endpointA;
        private final InetSocketAddress endpointB;
        private final InetSocketAddress relayForA;
        private final InetSocketAddress relayForB;
        final DatagramChannel channelA;
        final DatagramChannel channelB;

        Route(InetSocketAddress endpointA, InetSocketAddress endpointB, DatagramChannel channelA,
                DatagramChannel channelB) throws IOException {
            this.endpointA = endpointA;
            this.endpointB = endpointB;
            this.channelA = channelA;
            this.channelB = channelB;
            this.relayForA = (InetSocketAddress) channelA.getLocalAddress();
            this.relayForB = (InetSocketAddress) channelB.getLocalAddress();
        }

        /** @return the address endpoint A sends from */
        public InetSocketAddress endpointA() {
            return endpointA;
        }

        /** @return the address endpoint B sends from */
        public InetSocketAddress endpointB() {
            return endpointB;
        }

        /** @return where endpoint A sends to reach B, and where B's datagrams come to A from */
        public InetSocketAddress relayForA() {
            return relayForA;
        }

        /** @return where endpoint B sends to reach A, and where A's datagrams come to B from */
        public InetSocketAddress relayForB() {
            return relayForB;
        }

        @Override
        public String toString() {
            return "Route[" + endpointA + " -> " + relayForA + " ~ " + relayForB + " -> " + endpointB + "]";
        }
    }

    /** Configures an emulator; {@link #start()} opens it. */
    public static final class Builder {
        private LinkProfile aToB = LinkProfile.perfect();
        private LinkProfile bToA = LinkProfile.perfect();
        private NanoClock clock = NanoClock.system();
        private WireTap wireTap;
        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int socketBufferBytes = 4 << 20;
        private Duration spinWindow = DEFAULT_SPIN_WINDOW;

        private Builder() {
        }

        /** @param profile the impairments from A to B (default: perfect) */
        public Builder aToB(LinkProfile profile) {
            this.aToB = Objects.requireNonNull(profile, "A to B profile");
            return this;
        }

        /** @param profile the impairments from B to A (default: perfect) */
        public Builder bToA(LinkProfile profile) {
            this.bToA = Objects.requireNonNull(profile, "B to A profile");
            return this;
        }

        /** @param clock the clock that stamps and releases datagrams; must follow real time */
        public Builder clock(NanoClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @param tap sees every datagram offered to either direction, with its route as flow */
        public Builder wireTap(WireTap tap) {
            this.wireTap = Objects.requireNonNull(tap, "wire tap");
            return this;
        }

        /** @param address where the relay sockets are bound (default: the loopback address) */
        public Builder bindAddress(InetAddress address) {
            this.bindAddress = Objects.requireNonNull(address, "bind address");
            return this;
        }

        /**
         * @param bytes SO_RCVBUF and SO_SNDBUF of each relay socket, at least 1024 (default 4 MiB;
         *     the kernel may cap it, e.g. at {@code net.core.rmem_max})
         */
        public Builder socketBufferBytes(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException(
                        "socket buffer " + bytes + " bytes is out of range: allowed at least 1024");
            }
            this.socketBufferBytes = bytes;
            return this;
        }

        /**
         * @param window how long before a delivery the relay stops parking and spins, 0 to 1 ms
         *     (default 100 µs: a park wakes 50–60 µs late on Linux); 0 saves CPU on a crowded
         *     machine at the cost of that lateness
         */
        public Builder spinWindow(Duration window) {
            Objects.requireNonNull(window, "spin window");
            if (window.isNegative() || window.compareTo(MAX_SPIN_WINDOW) > 0) {
                throw new IllegalArgumentException(
                        "spin window " + window + " is out of range: allowed 0 to " + MAX_SPIN_WINDOW);
            }
            this.spinWindow = window;
            return this;
        }

        /**
         * Starts the relay thread.
         *
         * @return an emulator without routes; see {@link UdpLinkEmulator#addRoute}
         * @throws IOException if the selector cannot be opened
         */
        public UdpLinkEmulator start() throws IOException {
            return new UdpLinkEmulator(this);
        }
    }
}
