package io.qsockets.linkemu;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * One direction of an emulated link on caller-supplied time: a pure, single-threaded state
 * machine with no threads and no clock of its own. {@link #offer} decides a packet's fate the
 * moment it is offered (see {@link LinkProfile} for the pipeline) and keeps a copy of it;
 * {@link #poll} hands out the packets whose delivery time has come, in delivery-time order
 * (ties in offer order; a duplicate right after its original).
 *
 * <p><b>Determinism.</b> The random fate of the k-th offered packet (loss and burst state,
 * jitter, reordering, duplication) depends only on the profile, its seed and k: each concern
 * draws from its own generator, a fixed number of draws per offered packet, whatever happened to
 * the packets before. Tail drops and serialization depend on the offer times and lengths as well.
 * So two models with equal profiles fed the same offers produce the same deliveries, and a relay
 * loses the same packet indices as a model on simulated time, whatever its real-time timing.
 *
 * <p><b>Threading.</b> One thread owns a model: it calls {@code offer}, {@code poll},
 * {@link #nextDeliveryNanos()} and {@link #inFlight()}. {@link #counters()} may be read from any
 * thread (each value is exact and current; the set is not an atomic snapshot).
 */
public final class LinkModel {
    /** The longest packet a model accepts, in bytes. */
    public static final int MAX_PACKET_LENGTH = 65_535;

    private static final long NO_DELIVERY = Long.MIN_VALUE;

    /**
     * Receives delivered packets from {@link #poll}.
     */
    @FunctionalInterface
    public interface Sink {
        /**
         * @param payload the packet, position 0 to its length; valid only during the call
         * @param flow what was attached to it when offered
         * @param deliveryNanos the delivery time the link computed (at most the poll time)
         */
        void accept(ByteBuffer payload, Object flow, long deliveryNanos);
    }

    private final LinkProfile profile;
    private final Direction direction;
    private final WireTap tap;
    private final RandomFate fate;
    private final Bottleneck bottleneck;
    private final long delayNanos;
    private final long reorderDelayNanos;

    private final PriorityQueue<Pending> pending = new PriorityQueue<>(LinkModel::compare);
    private final ArrayDeque<Pending> pool = new ArrayDeque<>();
    private long sequence;
    private long lastOfferNanos = Long.MIN_VALUE;
    private long lastInOrderDelivery = Long.MIN_VALUE;

    private volatile long offered;
    private volatile long offeredBytes;
    private volatile long delivered;
    private volatile long deliveredBytes;
    private volatile long droppedByLoss;
    private volatile long droppedByQueue;
    private volatile long duplicated;
    private volatile long reordered;

    /** A model of direction {@link Direction#A_TO_B} without a wire tap. */
    public LinkModel(LinkProfile profile) {
        this(profile, Direction.A_TO_B, null);
    }

    /**
     * @param profile the impairments
     * @param direction the direction reported to the tap
     * @param tap sees every offered packet, or {@code null}
     */
    public LinkModel(LinkProfile profile, Direction direction, WireTap tap) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.direction = Objects.requireNonNull(direction, "direction");
        this.tap = tap;
        this.fate = new RandomFate(profile);
        this.bottleneck = new Bottleneck(profile);
        this.delayNanos = profile.delayNanos();
        this.reorderDelayNanos = profile.reorderDelayNanos();
    }

    /** Offers {@code payload[0, length)} with no flow attached; see {@link #offer(ByteBuffer, Object, long)}. */
    public Verdict offer(byte[] payload, int length, long nowNanos) {
        return offer(ByteBuffer.wrap(payload, 0, checkLength(payload, length)), null, nowNanos);
    }

    /**
     * Offers a packet to the link.
     *
     * @param payload the bytes between its position and limit are copied; the buffer is not moved
     * @param flow anything the caller wants back with the packet (e.g. where to send it), or null
     * @param nowNanos the time of the offer, not earlier than the previous offer
     * @return the link's verdict, final: a forwarded packet will be delivered
     * @throws IllegalArgumentException if the packet is longer than {@link #MAX_PACKET_LENGTH} or
     *     the time went backwards
     */
    public Verdict offer(ByteBuffer payload, Object flow, long nowNanos) {
        int length = payload.remaining();
        if (length > MAX_PACKET_LENGTH) {
            throw new IllegalArgumentException(
                    "packet length " + length + " is out of range: allowed 0 to " + MAX_PACKET_LENGTH);
        }
        if (nowNanos < lastOfferNanos) {
            throw new IllegalArgumentException("offer time " + nowNanos + " ns is earlier than the previous offer at "
                    + lastOfferNanos + " ns: time must not go backwards");
        }
        lastOfferNanos = nowNanos;
        offered++;
        offeredBytes += length;
        fate.drawNext();

        long departure = bottleneck.admit(length, nowNanos);
        Verdict verdict;
        long delivery = NO_DELIVERY;
        if (departure == Bottleneck.QUEUE_FULL) {
            droppedByQueue++;
            verdict = Verdict.DROPPED_BY_QUEUE;
        } else if (fate.lost()) {
            droppedByLoss++;
            verdict = Verdict.DROPPED_BY_LOSS;
        } else {
            verdict = Verdict.FORWARDED;
            delivery = departure + delayNanos + fate.jitterNanos();
            if (fate.reordered()) {
                reordered++;
                delivery += reorderDelayNanos;
            } else {
                delivery = Math.max(delivery, lastInOrderDelivery);
                lastInOrderDelivery = delivery;
            }
            hold(payload, flow, delivery);
            if (fate.duplicated()) {
                duplicated++;
                hold(payload, flow, delivery);
            }
        }
        if (tap != null) {
            tap.onPacket(new WireEvent(nowNanos, direction, flow, copyOf(payload), verdict, delivery,
                    verdict.forwarded() && fate.reordered(), verdict.forwarded() && fate.duplicated()));
        }
        return verdict;
    }

    /**
     * Hands every packet whose delivery time is at most {@code nowNanos} to {@code sink}, in
     * delivery order. The sink may offer packets to this model.
     *
     * @return how many packets were handed out
     */
    public int poll(long nowNanos, Sink sink) {
        Objects.requireNonNull(sink, "sink");
        int count = 0;
        while (!pending.isEmpty() && pending.peek().deliveryNanos <= nowNanos) {
            Pending p = pending.poll();
            delivered++;
            deliveredBytes += p.length;
            count++;
            try {
                p.view.clear().limit(p.length);
                sink.accept(p.view, p.flow, p.deliveryNanos);
            } finally {
                p.flow = null;
                pool.addLast(p);
            }
        }
        return count;
    }

    /** @return the delivery time of the next packet, or {@link Long#MAX_VALUE} when none is held */
    public long nextDeliveryNanos() {
        Pending head = pending.peek();
        return head == null ? Long.MAX_VALUE : head.deliveryNanos;
    }

    /** @return packets forwarded and not yet handed out (duplicates count twice) */
    public int inFlight() {
        return pending.size();
    }

    /** @return the counters so far; callable from any thread */
    public LinkCounters counters() {
        return new LinkCounters(offered, offeredBytes, delivered, deliveredBytes, droppedByLoss, droppedByQueue,
                duplicated, reordered);
    }

    /** @return the profile this model applies */
    public LinkProfile profile() {
        return profile;
    }

    /** @return the direction this model reports to its tap */
    public Direction direction() {
        return direction;
    }

    private void hold(ByteBuffer payload, Object flow, long deliveryNanos) {
        int length = payload.remaining();
        Pending p = pool.pollFirst();
        if (p == null || p.data.length < length) {
            p = new Pending(Math.max(length, p == null ? 0 : p.data.length));
        }
        payload.get(payload.position(), p.data, 0, length);
        p.length = length;
        p.flow = flow;
        p.deliveryNanos = deliveryNanos;
        p.sequence = sequence++;
        pending.add(p);
    }

    private static ByteBuffer copyOf(ByteBuffer payload) {
        byte[] copy = new byte[payload.remaining()];
        payload.get(payload.position(), copy, 0, copy.length);
        return ByteBuffer.wrap(copy).asReadOnlyBuffer();
    }

    private static int checkLength(byte[] payload, int length) {
        if (length < 0 || length > payload.length) {
            throw new IllegalArgumentException(
                    "length " + length + " is out of range: allowed 0 to the array length " + payload.length);
        }
        return length;
    }

    private static int compare(Pending a, Pending b) {
        int byTime = Long.compare(a.deliveryNanos, b.deliveryNanos);
        return byTime != 0 ? byTime : Long.compare(a.sequence, b.sequence);
    }

    /** A held copy of a forwarded packet; recycled after delivery. */
    private static final class Pending {
        final byte[] data;
        final ByteBuffer view;
        int length;
        Object flow;
        long deliveryNanos;
        long sequence;

        Pending(int capacity) {
            data = new byte[capacity];
            view = ByteBuffer.wrap(data);
        }
    }
}
