package io.qsockets;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-datagram hints to the scheduler: a deadline, drop precedence, frame membership and
 * priority (the paper's {@code packet_flags}), and, on a transport that retransmits (DCCP), how
 * hard to try: {@linkplain #reliable() reliable} (the relaxed deadline: retransmitted until
 * acknowledged), a {@linkplain #maxAttempts() maximum number of transmissions}, and a
 * {@linkplain #graceNanos() grace period} after which a datagram not yet delivered is given up.
 * Without any of them a datagram with a deadline is retransmitted while it can still arrive
 * before the deadline, and one without a deadline is retransmitted until acknowledged.
 *
 * <p>Immutable and reusable: keep a few constants and pass them with every send; nothing is
 * allocated per datagram for them. The deadline is relative to the moment of the send.
 */
public final class PacketFlags {
    /** No deadline. */
    public static final long NO_DEADLINE = -1;
    /** Not part of a frame. */
    public static final long NO_FRAME = -1;
    /** No grace period. */
    public static final long NO_GRACE = -1;
    /** No limit on the number of transmissions. */
    public static final int UNLIMITED_ATTEMPTS = 0;
    /** The largest {@link #maxAttempts()} a builder accepts. */
    public static final int MAX_ATTEMPTS = 255;
    /**
     * The longest deadline or grace period accepted: 36 500 days (100 years), beyond any use, so
     * that a deadline added to an engine clock's reading stays within a {@code long}.
     */
    public static final Duration MAX_DEADLINE = Duration.ofDays(36_500);
    /** Default flags: no deadline, droppable, no frame, priority 0. */
    public static final PacketFlags NONE = builder().build();

    private final long deadlineNanos;
    private final boolean nonDroppable;
    private final int dropPriority;
    private final long frameId;
    private final boolean frameStart;
    private final boolean frameEnd;
    private final int priority;
    private final boolean reliable;
    private final int maxAttempts;
    private final long graceNanos;

    private PacketFlags(Builder b) {
        this.deadlineNanos = b.deadlineNanos;
        this.nonDroppable = b.nonDroppable;
        this.dropPriority = b.dropPriority;
        this.frameId = b.frameId;
        this.frameStart = b.frameStart;
        this.frameEnd = b.frameEnd;
        this.priority = b.priority;
        this.reliable = b.reliable;
        this.maxAttempts = b.maxAttempts;
        this.graceNanos = b.graceNanos;
    }

    /** @return a builder with the defaults of {@link #NONE} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder starting from these flags */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.deadlineNanos = deadlineNanos;
        b.nonDroppable = nonDroppable;
        b.dropPriority = dropPriority;
        b.frameId = frameId;
        b.frameStart = frameStart;
        b.frameEnd = frameEnd;
        b.priority = priority;
        b.reliable = reliable;
        b.maxAttempts = maxAttempts;
        b.graceNanos = graceNanos;
        return b;
    }

    /** @return these flags with a deadline {@code deadline} after the send */
    public PacketFlags withDeadline(Duration deadline) {
        return toBuilder().deadline(deadline).build();
    }

    /** @return these flags marking a datagram of frame {@code frameId} */
    public PacketFlags withFrame(long frameId, boolean first, boolean last) {
        return toBuilder().frame(frameId, first, last).build();
    }

    /** @return the deadline relative to the send, in nanoseconds, or {@link #NO_DEADLINE} */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    /** @return whether a deadline is set */
    public boolean hasDeadline() {
        return deadlineNanos != NO_DEADLINE;
    }

    /** @return whether the scheduler must never drop the datagram (an I-frame, say) */
    public boolean nonDroppable() {
        return nonDroppable;
    }

    /** @return the drop priority, 0–255: lower values are dropped first */
    public int dropPriority() {
        return dropPriority;
    }

    /** @return the frame id, or {@link #NO_FRAME} */
    public long frameId() {
        return frameId;
    }

    /** @return whether the datagram opens its frame */
    public boolean frameStart() {
        return frameStart;
    }

    /** @return whether the datagram closes its frame */
    public boolean frameEnd() {
        return frameEnd;
    }

    /** @return the priority, 0–255: higher values are served first where a scheduler supports it */
    public int priority() {
        return priority;
    }

    /**
     * @return whether the datagram is retransmitted until acknowledged or cancelled, its deadline
     *     notwithstanding (the deadline still orders it in the scheduler); only on a transport
     *     that retransmits
     */
    public boolean reliable() {
        return reliable;
    }

    /**
     * @return the most transmissions (the first one included) the transport makes, or
     *     {@link #UNLIMITED_ATTEMPTS}
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * @return how long after the send a transmission may still be attempted, in nanoseconds, or
     *     {@link #NO_GRACE}; after it the datagram is given up
     */
    public long graceNanos() {
        return graceNanos;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PacketFlags f && f.deadlineNanos == deadlineNanos && f.nonDroppable == nonDroppable
                && f.dropPriority == dropPriority && f.frameId == frameId && f.frameStart == frameStart
                && f.frameEnd == frameEnd && f.priority == priority && f.reliable == reliable
                && f.maxAttempts == maxAttempts && f.graceNanos == graceNanos;
    }

    @Override
    public int hashCode() {
        return Objects.hash(deadlineNanos, nonDroppable, dropPriority, frameId, frameStart, frameEnd, priority,
                reliable, maxAttempts, graceNanos);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("PacketFlags[");
        if (hasDeadline()) {
            s.append("deadline=").append(Duration.ofNanos(deadlineNanos)).append(' ');
        }
        if (nonDroppable) {
            s.append("nonDroppable ");
        }
        if (frameId != NO_FRAME) {
            s.append("frame=").append(frameId).append(frameStart ? " first" : "").append(frameEnd ? " last" : "")
                    .append(' ');
        }
        if (reliable) {
            s.append("reliable ");
        }
        if (maxAttempts != UNLIMITED_ATTEMPTS) {
            s.append("maxAttempts=").append(maxAttempts).append(' ');
        }
        if (graceNanos != NO_GRACE) {
            s.append("grace=").append(Duration.ofNanos(graceNanos)).append(' ');
        }
        return s.append("dropPriority=").append(dropPriority).append(" priority=").append(priority).append(']')
                .toString();
    }

    /** Builds {@link PacketFlags}; not thread-safe. */
    public static final class Builder {
        private long deadlineNanos = NO_DEADLINE;
        private boolean nonDroppable;
        private int dropPriority;
        private long frameId = NO_FRAME;
        private boolean frameStart;
        private boolean frameEnd;
        private int priority;
        private boolean reliable;
        private int maxAttempts = UNLIMITED_ATTEMPTS;
        private long graceNanos = NO_GRACE;

        private Builder() {
        }

        /**
         * @param deadline how long after the send the datagram is useful; positive and at most
         *     {@link #MAX_DEADLINE}, or null for none
         */
        public Builder deadline(Duration deadline) {
            deadlineNanos = deadline == null ? NO_DEADLINE : Durations.positiveNanos("deadline", deadline, MAX_DEADLINE);
            return this;
        }

        /** @param value whether the datagram must never be dropped */
        public Builder nonDroppable(boolean value) {
            nonDroppable = value;
            return this;
        }

        /** @param value 0–255; lower values are dropped first */
        public Builder dropPriority(int value) {
            if (value < 0 || value > 255) {
                throw new IllegalArgumentException("drop priority " + value + " must be between 0 and 255");
            }
            dropPriority = value;
            return this;
        }

        /**
         * @param id the frame id, at least 0
         * @param first whether this datagram opens the frame
         * @param last whether this datagram closes the frame
         */
        public Builder frame(long id, boolean first, boolean last) {
            if (id < 0) {
                throw new IllegalArgumentException("frame id " + id + " must be >= 0");
            }
            frameId = id;
            frameStart = first;
            frameEnd = last;
            return this;
        }

        /** @param value 0–255; higher values are served first */
        public Builder priority(int value) {
            if (value < 0 || value > 255) {
                throw new IllegalArgumentException("priority " + value + " must be between 0 and 255");
            }
            priority = value;
            return this;
        }

        /**
         * @param value whether to retransmit until acknowledged (the relaxed deadline); excludes a
         *     maximum number of attempts and a grace period
         */
        public Builder reliable(boolean value) {
            reliable = value;
            return this;
        }

        /**
         * @param value the most transmissions, 1 to {@link #MAX_ATTEMPTS} ({@code 1}: never
         *     retransmitted), or {@link #UNLIMITED_ATTEMPTS}
         */
        public Builder maxAttempts(int value) {
            if (value < 0 || value > MAX_ATTEMPTS) {
                throw new IllegalArgumentException("max attempts " + value + " must be between 1 and " + MAX_ATTEMPTS
                        + ", or " + UNLIMITED_ATTEMPTS + " for no limit");
            }
            maxAttempts = value;
            return this;
        }

        /**
         * @param grace how long after the send a transmission may be attempted; positive and at most
         *     {@link #MAX_DEADLINE}, or null for none
         */
        public Builder grace(Duration grace) {
            graceNanos = grace == null ? NO_GRACE : Durations.positiveNanos("grace period", grace, MAX_DEADLINE);
            return this;
        }

        /**
         * @return the flags
         * @throws IllegalStateException if {@code reliable} is combined with a maximum number of
         *     attempts or a grace period, which would both give the datagram up
         */
        public PacketFlags build() {
            if (reliable && maxAttempts != UNLIMITED_ATTEMPTS) {
                throw new IllegalStateException("reliable flags cannot limit attempts (maxAttempts " + maxAttempts
                        + "): a reliable datagram is retransmitted until acknowledged");
            }
            if (reliable && graceNanos != NO_GRACE) {
                throw new IllegalStateException("reliable flags cannot have a grace period (" + Duration.ofNanos(graceNanos)
                        + "): a reliable datagram is retransmitted until acknowledged");
            }
            return new PacketFlags(this);
        }
    }
}
