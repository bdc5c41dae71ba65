package io.qsockets.linkemu;

/** What a {@link LinkModel} decided for an offered packet, at the moment it was offered. */
public enum Verdict {
    /** The packet will be delivered (perhaps reordered, perhaps twice). */
    FORWARDED,
    /** The packet crossed the bottleneck and was then lost on the link (random or burst loss). */
    DROPPED_BY_LOSS,
    /** The bottleneck queue was full: tail drop. */
    DROPPED_BY_QUEUE;

    /** @return whether the packet will reach the other end */
    public boolean forwarded() {
        return this == FORWARDED;
    }
}
