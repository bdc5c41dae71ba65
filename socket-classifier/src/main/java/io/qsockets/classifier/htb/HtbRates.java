package io.qsockets.classifier.htb;

import io.qsockets.SchedulerAttributes;

/**
 * How a socket's scheduler attributes become an HTB class's rate. A paced socket (period
 * {@code T}) is guaranteed one packet of the assumed size per period,
 * {@code 8 * packetSize / T} bit/s, at most the link rate; an unpaced one, and the default class,
 * get 1 % of the link (at least {@value #MIN_RATE} bit/s). Every class may borrow up to the link
 * rate.
 */
final class HtbRates {
    /** The smallest rate a class is given, in bit/s. */
    static final long MIN_RATE = 8_000;

    private HtbRates() {
    }

    /** @return the guaranteed rate of a socket with {@code attributes}, in bit/s */
    static long socketRate(SchedulerAttributes attributes, int packetSizeBytes, long linkRate) {
        long period = attributes.periodNanos();
        if (period == 0) {
            return defaultRate(linkRate);
        }
        double bitsPerSecond = Math.ceil(8.0 * packetSizeBytes * 1e9 / period);
        return Math.min(linkRate, Math.max(MIN_RATE, (long) Math.min(bitsPerSecond, Long.MAX_VALUE)));
    }

    /** @return the guaranteed rate of the default class and of unpaced sockets, in bit/s */
    static long defaultRate(long linkRate) {
        return Math.min(linkRate, Math.max(MIN_RATE, linkRate / 100));
    }

    /** @return the bytes a class sends per round when classes share spare rate: one full frame */
    static int quantum(int packetSizeBytes) {
        return packetSizeBytes + 14; // an Ethernet header
    }
}
