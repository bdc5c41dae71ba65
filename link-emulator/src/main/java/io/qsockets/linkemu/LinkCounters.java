package io.qsockets.linkemu;

/**
 * What one direction of an emulated link has done so far. A packet that is offered is counted
 * once in {@link #offered()} and, at most, once more as dropped (by loss or by the queue); a
 * forwarded packet is counted in {@link #delivered()} when it is handed out, twice if duplicated.
 * So, once nothing is in flight:
 * {@code delivered = offered - droppedByLoss - droppedByQueue + duplicated}.
 *
 * @param offered packets offered to the link
 * @param offeredBytes their payload bytes (without overhead)
 * @param delivered packets handed out at the far end, duplicates included
 * @param deliveredBytes their payload bytes
 * @param droppedByLoss packets lost on the link (random or burst loss)
 * @param droppedByQueue packets tail-dropped at the full bottleneck queue
 * @param duplicated packets delivered a second time
 * @param reordered packets held back by the reordering delay
 */
public record LinkCounters(long offered, long offeredBytes, long delivered, long deliveredBytes,
        long droppedByLoss, long droppedByQueue, long duplicated, long reordered) {

    /** @return packets dropped for any reason */
    public long dropped() {
        return droppedByLoss + droppedByQueue;
    }
}
