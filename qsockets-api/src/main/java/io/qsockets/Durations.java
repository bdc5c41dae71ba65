package io.qsockets;

import java.time.Duration;

/**
 * Converts the durations given to the API into nanoseconds, rejecting what does not fit with an
 * {@link IllegalArgumentException} that names the parameter, the value and the allowed range
 * ({@link Duration#toNanos()} would throw an {@link ArithmeticException} beyond about 292 years).
 */
final class Durations {
    /** The longest duration a {@code long} of nanoseconds holds: about 292 years. */
    static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);

    private Durations() {
    }

    /**
     * @param what the parameter, for the message
     * @return {@code value} in nanoseconds
     * @throws IllegalArgumentException if {@code value} is null, zero, negative or above {@code max}
     */
    static long positiveNanos(String what, Duration value, Duration max) {
        if (value == null || value.isZero() || value.isNegative() || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(what + " " + value + " must be a positive duration, at most "
                    + describe(max));
        }
        return value.toNanos();
    }

    /**
     * @param what the parameter, for the message
     * @return {@code value} in nanoseconds
     * @throws IllegalArgumentException if {@code value} is null, negative or above {@link #MAX_NANOS}
     */
    static long nonNegativeNanos(String what, Duration value) {
        if (value == null || value.isNegative() || value.compareTo(MAX_NANOS) > 0) {
            throw new IllegalArgumentException(what + " " + value + " must be a non-negative duration, at most "
                    + describe(MAX_NANOS));
        }
        return value.toNanos();
    }

    private static String describe(Duration max) {
        return max.toDays() < 365 ? max.toString() : max + " (" + max.toDays() / 365 + " years)";
    }
}
