package io.qsockets.impl.engine;

/**
 * The egress rate all sockets of an engine share: after each datagram the link is busy for its
 * wire size (payload plus IP and UDP headers) at the configured rate. A backlog served by a
 * late wake-up keeps the link's schedule (up to {@link #MAX_CATCH_UP_NANOS} behind), so lateness
 * does not lower the rate; after an idle link the schedule restarts at the current time, so idling
 * earns no burst. Engine thread only.
 */
final class EgressShaper {
    static final long MAX_CATCH_UP_NANOS = 1_000_000;
    private static final int IPV4_UDP_HEADERS = 28;
    private static final int IPV6_UDP_HEADERS = 48;

    private final long bitsPerSecond;
    private long nextFreeNanos = Long.MIN_VALUE;

    EgressShaper(long bitsPerSecond) {
        this.bitsPerSecond = bitsPerSecond;
    }

    /** @return the earliest time the next datagram may leave */
    long nextFreeNanos() {
        return nextFreeNanos;
    }

    /** Accounts for a datagram of {@code payloadBytes} that left at {@code now}. */
    void consumed(long now, int payloadBytes, boolean ipv6) {
        if (bitsPerSecond == 0) {
            return;
        }
        long wireBits = 8L * (payloadBytes + (ipv6 ? IPV6_UDP_HEADERS : IPV4_UDP_HEADERS));
        long start = nextFreeNanos >= now - MAX_CATCH_UP_NANOS ? nextFreeNanos : now;
        nextFreeNanos = start + wireBits * 1_000_000_000L / bitsPerSecond;
    }
}
