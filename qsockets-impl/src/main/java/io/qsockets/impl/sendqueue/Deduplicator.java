package io.qsockets.impl.sendqueue;

/**
 * Receiver-side de-duplication of one peer's segments by (segment id, revision), so that
 * retransmissions on new sequence numbers reach the application once per revision: an exact
 * duplicate is never delivered twice, a newer revision of a delivered segment is delivered as an
 * update (latest content wins), and a revision older than one already delivered is dropped.
 *
 * <p><b>Bounded memory.</b> The deduplicator remembers the highest revision delivered for the
 * last {@code window} segment ids, counted back from the highest id seen (ids are increasing per
 * sender). A segment whose id is older than that window is dropped as {@link Outcome#TOO_OLD}
 * (it may be a duplicate the deduplicator can no longer recognise; at a typical rate of a few
 * thousand segments per second a window of 8192 ids spans seconds, well past any deadline).
 * Senders of reliable segments must therefore keep fewer than {@code window} ids between the
 * oldest unacknowledged segment and the newest one they send.
 *
 * <p>Single-threaded (engine thread); the counters may be read from any thread. Nothing is
 * allocated after construction.
 */
public final class Deduplicator {
    /** What to do with a received segment. */
    public enum Outcome {
        /** The first revision of this segment to arrive: deliver it. */
        DELIVER(true),
        /** A newer revision of a segment already delivered: deliver it, marked as an update. */
        DELIVER_UPDATE(true),
        /** This revision was delivered already: drop it. */
        DUPLICATE(false),
        /** A newer revision was delivered already: drop it. */
        STALE_REVISION(false),
        /** The id is older than the window: drop it. */
        TOO_OLD(false);

        private final boolean deliver;

        Outcome(boolean deliver) {
            this.deliver = deliver;
        }

        /** @return whether the application receives the segment */
        public boolean deliver() {
            return deliver;
        }
    }

    /** Default window, in segment ids. */
    public static final int DEFAULT_WINDOW = 8192;

    private final long[] ids;
    private final int[] revisions;
    private final int mask;
    private long highest = -1;

    private volatile long delivered;
    private volatile long updates;
    private volatile long duplicates;
    private volatile long staleRevisions;
    private volatile long tooOld;

    /** A deduplicator with the {@link #DEFAULT_WINDOW}. */
    public Deduplicator() {
        this(DEFAULT_WINDOW);
    }

    /** @param window segment ids remembered: a power of two from 16 to 2^24 */
    public Deduplicator(int window) {
        if (window < 16 || window > 1 << 24 || Integer.bitCount(window) != 1) {
            throw new IllegalArgumentException("window " + window + " must be a power of two between 16 and " + (1 << 24));
        }
        ids = new long[window];
        revisions = new int[window];
        mask = window - 1;
        java.util.Arrays.fill(ids, -1);
    }

    /**
     * Decides about one received segment and remembers it.
     *
     * @param segmentId from the payload header, at least 0
     * @param revision from the payload header, at least 0
     * @return the outcome; a negative id or revision is {@link Outcome#TOO_OLD} (malformed)
     */
    public Outcome accept(long segmentId, int revision) {
        if (segmentId < 0 || revision < 0) {
            tooOld++;
            return Outcome.TOO_OLD;
        }
        if (segmentId > highest) {
            advanceTo(segmentId);
        } else if (highest - segmentId > mask) {
            tooOld++;
            return Outcome.TOO_OLD;
        }
        int slot = (int) (segmentId & mask);
        if (ids[slot] != segmentId) {
            ids[slot] = segmentId;
            revisions[slot] = revision;
            delivered++;
            return Outcome.DELIVER;
        }
        int seen = revisions[slot];
        if (revision > seen) {
            revisions[slot] = revision;
            delivered++;
            updates++;
            return Outcome.DELIVER_UPDATE;
        }
        if (revision == seen) {
            duplicates++;
            return Outcome.DUPLICATE;
        }
        staleRevisions++;
        return Outcome.STALE_REVISION;
    }

    /** Forgets the ids that leave the window as {@code id} becomes the highest. */
    private void advanceTo(long id) {
        if (highest >= 0 && id - highest <= mask) {
            for (long k = highest + 1; k < id; k++) {
                ids[(int) (k & mask)] = -1;
            }
        } else {
            java.util.Arrays.fill(ids, -1);
        }
        highest = id;
    }

    /** @return segments delivered, updates included */
    public long delivered() {
        return delivered;
    }

    /** @return deliveries that were updates */
    public long updates() {
        return updates;
    }

    /** @return exact duplicates dropped */
    public long duplicates() {
        return duplicates;
    }

    /** @return revisions dropped because a newer one had been delivered */
    public long staleRevisions() {
        return staleRevisions;
    }

    /** @return segments dropped because their id was older than the window (or malformed) */
    public long tooOld() {
        return tooOld;
    }
}
