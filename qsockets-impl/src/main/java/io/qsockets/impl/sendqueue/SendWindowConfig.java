package io.qsockets.impl.sendqueue;

import java.time.Duration;

/**
 * Configuration of a {@link SendWindow}. Immutable; built and validated once by
 * {@link Builder#build()}.
 */
public final class SendWindowConfig {
    /** Default number of segments a window holds. */
    public static final int DEFAULT_CAPACITY = 1024;
    /** Default number of sequence numbers whose segment the window remembers. */
    public static final int DEFAULT_SEQUENCE_RING = 4096;
    /** Default safety margin added to the one-way delay estimate: 5 ms. */
    public static final Duration DEFAULT_DELIVERY_MARGIN = Duration.ofMillis(5);

    private final int capacity;
    private final int sequenceRing;
    private final long deliveryMarginNanos;

    private SendWindowConfig(Builder b) {
        this.capacity = b.capacity;
        this.sequenceRing = b.sequenceRing;
        this.deliveryMarginNanos = b.deliveryMarginNanos;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the configuration with every default */
    public static SendWindowConfig defaults() {
        return builder().build();
    }

    /** @return the most segments the window holds at once (pending or in flight) */
    public int capacity() {
        return capacity;
    }

    /**
     * @return how many recent sequence numbers map back to their segment (a power of two); a
     *     transmission still unresolved when its slot is reused counts as lost
     */
    public int sequenceRing() {
        return sequenceRing;
    }

    /** @return added to half the smoothed RTT to estimate when a transmission arrives */
    public long deliveryMarginNanos() {
        return deliveryMarginNanos;
    }

    /** Builds {@link SendWindowConfig}; not thread-safe. */
    public static final class Builder {
        private int capacity = DEFAULT_CAPACITY;
        private int sequenceRing = DEFAULT_SEQUENCE_RING;
        private long deliveryMarginNanos = DEFAULT_DELIVERY_MARGIN.toNanos();

        private Builder() {
        }

        /** @param segments 1 to 2^20 */
        public Builder capacity(int segments) {
            if (segments < 1 || segments > 1 << 20) {
                throw new IllegalArgumentException("capacity " + segments + " must be between 1 and " + (1 << 20));
            }
            capacity = segments;
            return this;
        }

        /** @param sequenceNumbers a power of two from 16 to 2^22 */
        public Builder sequenceRing(int sequenceNumbers) {
            if (sequenceNumbers < 16 || sequenceNumbers > 1 << 22 || Integer.bitCount(sequenceNumbers) != 1) {
                throw new IllegalArgumentException("sequence ring " + sequenceNumbers
                        + " must be a power of two between 16 and " + (1 << 22));
            }
            sequenceRing = sequenceNumbers;
            return this;
        }

        /** @param margin zero or positive */
        public Builder deliveryMargin(Duration margin) {
            if (margin == null || margin.isNegative()) {
                throw new IllegalArgumentException("delivery margin " + margin + " must be zero or positive");
            }
            deliveryMarginNanos = margin.toNanos();
            return this;
        }

        /** @return the configuration */
        public SendWindowConfig build() {
            return new SendWindowConfig(this);
        }
    }
}
