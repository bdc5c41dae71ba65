package io.qsockets;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Dynamic Window-Constrained Scheduling attributes of a socket: a request period {@code T}
 * (the paper's {@code ipg}) and a loss tolerance {@code x/y} ({@code oln/old}): at most
 * {@code x} of every {@code y} consecutive datagrams may be lost or late. A socket given these
 * attributes without a scheduler named runs on {@code "dwcs"}; {@code "edf"} takes them too when
 * the tolerance is all or nothing ({@code x = 0} or {@code x = y}), and {@code "fifo"} refuses them.
 *
 * <p>Immutable and thread-safe.
 *
 * @param periodNanos the request period in nanoseconds, zero for none
 * @param lossNumerator {@code x}, from 0 to {@code lossDenominator}
 * @param lossDenominator {@code y}, at least 1
 * @param flags the stream flags; null or empty for none
 */
public record DwcsAttributes(long periodNanos, int lossNumerator, int lossDenominator, Set<Flag> flags)
        implements SchedulerAttributes {

    /** Stream flags. */
    public enum Flag {
        /** No datagram of the stream is ever dropped; requires {@code x = 0}. */
        NON_DROPPABLE,
        /** Late datagrams are still sent (and counted late) rather than dropped. */
        LOSSLESS,
        /** The stream is served whenever the link is free rather than paced to its period. */
        WORK_CONSERVING
    }

    /** Validates the attributes and copies the flags. */
    public DwcsAttributes {
        if (periodNanos < 0) {
            throw new IllegalArgumentException("period " + periodNanos + " ns must be >= 0");
        }
        if (lossDenominator < 1) {
            throw new IllegalArgumentException("loss denominator y = " + lossDenominator + " must be >= 1");
        }
        if (lossNumerator < 0 || lossNumerator > lossDenominator) {
            throw new IllegalArgumentException("loss numerator x = " + lossNumerator
                    + " must be between 0 and y = " + lossDenominator);
        }
        if (flags != null && flags.stream().anyMatch(Objects::isNull)) {
            throw new NullPointerException("flags " + flags + " must not contain null");
        }
        flags = flags == null || flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
        if (flags.contains(Flag.NON_DROPPABLE) && lossNumerator != 0) {
            throw new IllegalArgumentException("a NON_DROPPABLE stream tolerates no loss, but x = "
                    + lossNumerator + "; use x = 0");
        }
    }

    /**
     * @param period the request period, zero or more (at most about 292 years)
     * @param x the loss numerator
     * @param y the loss denominator
     * @param flags stream flags
     * @return the attributes
     */
    public static DwcsAttributes of(Duration period, int x, int y, Flag... flags) {
        Objects.requireNonNull(flags, "flags must not be null");
        return new DwcsAttributes(Durations.nonNegativeNanos("period", period), x, y, new HashSet<>(Arrays.asList(flags)));
    }

    /** @return {@code "dwcs"}: the scheduler that honours a loss tolerance */
    @Override
    public String defaultScheduler() {
        return "dwcs";
    }

    /** @return whether {@code flag} is set */
    public boolean has(Flag flag) {
        return flags.contains(Objects.requireNonNull(flag, "flag must not be null"));
    }
}
