package io.qsockets.linkemu;

/**
 * How the per-packet delay variation of a {@link LinkProfile} is drawn. Both are bounded by the
 * profile's jitter bound {@code J}: the variation always lies in {@code [-J, +J]}.
 */
public enum JitterDistribution {
    /** Uniform over {@code [-J, +J]}. */
    UNIFORM,
    /** Normal with mean 0 and standard deviation {@code J / 3}, truncated to {@code [-J, +J]}. */
    NORMAL
}
