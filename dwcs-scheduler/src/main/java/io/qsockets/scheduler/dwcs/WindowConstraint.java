package io.qsockets.scheduler.dwcs;

/**
 * A stream's window constraint: the original loss tolerance {@code x/y} (at most {@code x} of
 * each window of {@code y} consecutive deadlines missed) and the current {@code x'/y'} of the
 * window in progress, with the DWCS adjustments (DESIGN §6):
 *
 * <ul>
 *   <li>deadline met: if {@code y' > x'} then {@code y' -= 1}, else if {@code y' == x' > 0} then
 *       both {@code -= 1}; then, at {@code 0/0} or if tagged, reset to {@code x/y} and untag;
 *   <li>deadline missed: if {@code x' > 0} then both {@code -= 1} (reset to {@code x/y} at
 *       {@code 0/0}); else a <em>violation</em>: the stream is tagged, {@code x'/y'} stay, and
 *       the stream gains precedence over other zero-constraint streams with the same {@code y'}
 *       (the paper's {@code y' + ε}, kept apart as a count so that {@code x'/y'} stay a window).
 * </ul>
 *
 * Every adjustment but a violation takes one deadline off {@code y'}, so without violations the
 * windows are the consecutive, non-overlapping blocks of {@code y} deadlines.
 *
 * <p>Not thread-safe (engine thread).
 */
final class WindowConstraint {
    private int x;
    private int y;
    private int xc;
    private int yc;
    /** Violations since the last reset: the paper's ε increments of {@code y'}. */
    private long boost;

    /** Starts a window of {@code x/y}. */
    WindowConstraint(int x, int y) {
        configure(x, y);
    }

    /** Sets the tolerance to {@code x/y} and starts a new window. */
    void configure(int x, int y) {
        if (y < 1 || x < 0 || x > y) {
            throw new IllegalArgumentException("window constraint " + x + "/" + y + " needs 0 <= x <= y and y >= 1");
        }
        this.x = x;
        this.y = y;
        reset();
    }

    private void reset() {
        xc = x;
        yc = y;
        boost = 0;
    }

    /** A deadline was met. */
    void serviced() {
        if (yc > xc) {
            yc--;
        } else if (yc == xc && xc > 0) {
            xc--;
            yc--;
        }
        if (xc == 0 && yc == 0 || boost > 0) {
            reset();
        }
    }

    /** @return whether the miss of one deadline was a violation */
    boolean missed() {
        return missed(1) == 1;
    }

    /**
     * {@code n} consecutive deadlines were missed; the same as {@code n} calls of the one-miss
     * rule, in O(1).
     *
     * @return how many of them were violations
     */
    long missed(long n) {
        long violations = 0;
        while (n > 0) {
            if (xc == 0) {
                violations += n;
                boost = boost + n < 0 || boost + n > Integer.MAX_VALUE ? Integer.MAX_VALUE : boost + n;
                return violations;
            }
            if (xc < yc) {
                // x' misses fit in the window; after them x' is 0 and y' is still positive
                long k = Math.min(n, xc);
                xc -= (int) k;
                yc -= (int) k;
                n -= k;
            } else if (n < xc) {
                xc -= (int) n;
                yc -= (int) n;
                n = 0;
            } else {
                // x' == y': the window ends at 0/0 and starts again
                n -= xc;
                reset();
                if (x == y) {
                    n %= x;
                }
            }
        }
        return violations;
    }

    /** @return violations since the last reset */
    long boost() {
        return boost;
    }

    /** @return {@code x'} */
    int currentX() {
        return xc;
    }

    /** @return {@code y'} */
    int currentY() {
        return yc;
    }

    /** @return whether the stream violated its constraint in the window in progress */
    boolean tagged() {
        return boost > 0;
    }

    @Override
    public String toString() {
        return xc + "/" + yc + " of " + x + "/" + y + (boost > 0 ? " tagged(" + boost + ")" : "");
    }
}
