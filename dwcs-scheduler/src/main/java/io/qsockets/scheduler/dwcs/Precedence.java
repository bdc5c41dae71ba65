package io.qsockets.scheduler.dwcs;

/**
 * The order of backlogged heads with equal deadlines, as tie words of the ready heap (rule 1,
 * earliest deadline first, is its key). Each word is computed once when the head is keyed, so a
 * comparison reads only the heap's arrays; lower words go first.
 *
 * <ul>
 *   <li>{@link #DWCS}: (0) a non-droppable head first (a deviation: see {@code docs/dwcs.md}), then
 *       the lower current window constraint {@code x'/y'} (rule 2); (1) both zero: the higher
 *       {@code y'} plus violations since the last reset (rule 3, the paper's {@code y' + ε} with
 *       {@code ε = 1}); equal and non-zero: the lower {@code x'} (rule 4); (2) the higher packet
 *       priority, then first come, first served (rule 5);
 *   <li>{@link #EDF}: the higher packet priority, then first come, first served.
 * </ul>
 *
 * <p>{@code x'/y'} is compared through the bits of its {@code double}, which order like the
 * values; distinct fractions with denominators up to {@value #MAX_EXACT_DENOMINATOR} differ by
 * more than twice the rounding error, so the order is exact for every window the scheduler
 * accepts ({@link StreamPolicy}).
 */
enum Precedence {
    /** Dynamic window-constrained scheduling. */
    DWCS(3) {
        @Override
        void tie(DeadlineQueue q) {
            long droppable = q.nonDroppable ? 0 : 1L << 62;
            if (q.xc == 0) {
                // a zero constraint is below every positive fraction (whose bits are above 0x3E00…)
                q.tie0 = droppable;
                q.tie1 = -(q.yc + q.boost);
            } else {
                q.tie0 = droppable | Double.doubleToRawLongBits((double) q.xc / q.yc);
                q.tie1 = q.xc;
            }
            q.tie2 = arrival(q);
        }
    },
    /** Earliest deadline first. */
    EDF(1) {
        @Override
        void tie(DeadlineQueue q) {
            q.tie0 = arrival(q);
        }
    };

    /** The largest {@code y} whose windows the order compares exactly: 2^26. */
    static final int MAX_EXACT_DENOMINATOR = 1 << 26;
    private static final long SEQUENCE_MASK = (1L << 55) - 1;

    private final int words;

    Precedence(int words) {
        this.words = words;
    }

    /** @return how many tie words the discipline uses */
    int words() {
        return words;
    }

    /** Sets {@code q}'s tie words from its head's keys. */
    abstract void tie(DeadlineQueue q);

    /** @return higher priority first, then earlier submission, as one word */
    private static long arrival(DeadlineQueue q) {
        return (long) (255 - q.priority) << 55 | q.sequence & SEQUENCE_MASK;
    }
}
