package io.qsockets.linkemu;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives a {@link LinkModel} on simulated time: packets carry their index in their first eight
 * bytes, and every delivery is recorded with its delivery time, polled exactly at that time.
 */
final class Sim {
    record Delivery(long index, long deliveryNanos, int length) {
    }

    final LinkModel model;
    final List<Delivery> deliveries = new ArrayList<>();
    final List<WireEvent> tapped = new ArrayList<>();
    private final LinkModel.Sink sink = (payload, flow, due) ->
            deliveries.add(new Delivery(payload.getLong(0), due, payload.remaining()));

    Sim(LinkProfile profile) {
        model = new LinkModel(profile, Direction.A_TO_B, tapped::add);
    }

    static ByteBuffer packet(long index, int length) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(length, Long.BYTES));
        b.putLong(0, index);
        return b.limit(length);
    }

    /** Offers packet {@code index} of {@code length} bytes (at least 8) at {@code nanos}. */
    Verdict offer(long index, int length, long nanos) {
        runUntil(nanos);
        return model.offer(packet(index, length), null, nanos);
    }

    /** Offers {@code count} packets numbered from 0, one every {@code spacing} ns from 0. */
    Sim offerEvery(int count, int length, long spacing) {
        for (int i = 0; i < count; i++) {
            offer(i, length, i * spacing);
        }
        return this;
    }

    /** Delivers everything due up to {@code nanos}, each packet polled at its own delivery time. */
    Sim runUntil(long nanos) {
        long next;
        while ((next = model.nextDeliveryNanos()) <= nanos) {
            model.poll(next, sink);
        }
        return this;
    }

    /** Delivers everything. */
    Sim drain() {
        return runUntil(Long.MAX_VALUE - 1);
    }

    List<Long> indices() {
        return deliveries.stream().map(Delivery::index).toList();
    }
}
