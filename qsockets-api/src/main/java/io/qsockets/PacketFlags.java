package io.qsockets;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-datagram hints to the scheduler: a deadline, drop precedence, frame membership and
 * priority (the paper's {@code packet_flags}).
 *
 * <p>Immutable and reusable: keep a few constants and pass them with every send; nothing is
 * allocated per datagram for them. The deadline is relative to the moment of the send.
 */
public final class PacketFlags {
    /** No deadline. */
    public static final long NO_DEADLINE = -1;
    /** Not part of a frame. */
    public static final long NO_FRAME = -1;
    /** Default flags: no deadline, droppable, no frame, priority 0. */
    public static final PacketFlags NONE = builder().build();

    private final long deadlineNanos;
    private final boolean nonDroppable;
    private final int dropPriority;
    private final long frameId;
    private final boolean frameStart;
    private final boolean frameEnd;
    private final int priority;

    private PacketFlags(Builder b) {
        this.deadlineNanos = b.deadlineNanos;
        this.nonDroppable = b.nonDroppable;
        this.dropPriority = b.dropPriority;
        this.frameId = b.frameId;
        this.frameStart = b.frameStart;
        this.frameEnd = b.frameEnd;
        this.priority = b.priority;
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

    @Override
    public boolean equals(Object o) {
        return o instanceof PacketFlags f && f.deadlineNanos == deadlineNanos && f.nonDroppable == nonDroppable
                && f.dropPriority == dropPriority && f.frameId == frameId && f.frameStart == frameStart
                && f.frameEnd == frameEnd && f.priority == priority;
    }

    @Override
    public int hashCode() {
        return Objects.hash(deadlineNanos, nonDroppable, dropPriority, frameId, frameStart, frameEnd, priority);
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

        private Builder() {
        }

        /** @param deadline how long after the send the datagram is useful; positive, or null for none */
        public Builder deadline(Duration deadline) {
            if (deadline == null) {
                deadlineNanos = NO_DEADLINE;
                return this;
            }
            if (deadline.isZero() || deadline.isNegative()) {
                throw new IllegalArgumentException("deadline " + deadline + " must be a positive duration");
            }
            deadlineNanos = deadline.toNanos();
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

        /** @return the flags */
        public PacketFlags build() {
            return new PacketFlags(this);
        }
    }
}
