package io.qsockets;

import java.time.Duration;

/**
 * Per-socket attributes a packet scheduler works from. Every scheduler understands the
 * {@linkplain #periodNanos() period}; a scheduler may read more from its own subtype (DWCS reads
 * the loss tolerance and flags of {@link DwcsAttributes}, and treats period-only attributes as a
 * lossless stream with no loss tolerance), and rejects what it cannot honour with an
 * {@link IllegalArgumentException} at socket creation or {@code change()}: attributes are applied
 * or refused, never silently ignored. Without a scheduler named in {@link QosParams}, the
 * attributes choose one that honours them ({@link #defaultScheduler()}).
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface SchedulerAttributes {

    /**
     * @return the request period in nanoseconds: the socket's datagrams leave at most one per
     *     period (the paper's inter-packet gap, {@code ipg}); zero means unpaced
     */
    long periodNanos();

    /**
     * @return the scheduler that honours these attributes, used when {@link QosParams} names none
     *     and gives no engine (a {@link DwcsAttributes}'s loss tolerance needs {@code "dwcs"}); null
     *     for the default scheduler, {@value EngineConfig#DEFAULT_SCHEDULER}, which honours a period
     */
    default String defaultScheduler() {
        return null;
    }

    /** @return attributes with no pacing */
    static SchedulerAttributes unpaced() {
        return Paced.UNPACED;
    }

    /**
     * @param period the gap between consecutive datagrams, positive (at most about 292 years)
     * @return attributes pacing the socket to one datagram per {@code period}
     */
    static SchedulerAttributes paced(Duration period) {
        return new Paced(Durations.positiveNanos("period", period, Durations.MAX_NANOS));
    }

    /**
     * @param packetsPerSecond the rate, positive and finite
     * @return attributes pacing the socket to {@code packetsPerSecond}
     */
    static SchedulerAttributes rate(double packetsPerSecond) {
        if (!(packetsPerSecond > 0) || Double.isInfinite(packetsPerSecond)) {
            throw new IllegalArgumentException(
                    "rate " + packetsPerSecond + " packets/s must be positive and finite");
        }
        return new Paced(Math.max(1, Math.round(1e9 / packetsPerSecond)));
    }

    /**
     * Attributes that only pace.
     *
     * @param periodNanos the period in nanoseconds, zero for unpaced
     */
    record Paced(long periodNanos) implements SchedulerAttributes {
        static final Paced UNPACED = new Paced(0);

        /** Validates the period. */
        public Paced {
            if (periodNanos < 0) {
                throw new IllegalArgumentException("period " + periodNanos + " ns must be >= 0");
            }
        }
    }
}
