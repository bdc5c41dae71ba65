package io.qsockets.impl.dccp.ccid2;

import io.qsockets.impl.dccp.ackvec.AckVectorRecorder;
import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of a CCID 2 half-connection (RFC 4341), for both its {@link Ccid2Sender} and its
 * {@link Ccid2Receiver}. Immutable; built and validated once by {@link Builder#build()}.
 *
 * <p>The defaults follow the RFCs: initial window from the packet size per RFC 3390, initial and
 * minimum transmit timeout 1 s and maximum 60 s per RFC 6298, delayed-ack bound 200 ms per
 * RFC 4340 §11.3. RFC 4341 §5 notes that DCCP, which never retransmits, does not need TCP's 1 s
 * minimum timeout: {@link Builder#minRto} lowers it for paths with short, stable round trips, at
 * the risk of spurious timeouts (each one resets cwnd to one packet).
 */
public final class Ccid2Config {

    /** Default packet size (bytes) that sets the initial window: 1400, so 3 packets. */
    public static final int DEFAULT_MAX_PACKET_SIZE = 1400;
    /** Default and largest allowed congestion window, in packets. */
    public static final int DEFAULT_MAX_CWND = 2048;
    /** Default number of sent packets the sender remembers. */
    public static final int DEFAULT_HISTORY_CAPACITY = 4096;

    private final int maxPacketSize;
    private final long initialRtoNanos;
    private final long minRtoNanos;
    private final long maxRtoNanos;
    private final int maxCwnd;
    private final int historyCapacity;
    private final boolean cwndValidation;
    private final int ackVectorCells;
    private final int ackRecords;
    private final long delayedAckNanos;

    private Ccid2Config(Builder b) {
        this.maxPacketSize = b.maxPacketSize;
        this.initialRtoNanos = b.initialRtoNanos;
        this.minRtoNanos = b.minRtoNanos;
        this.maxRtoNanos = b.maxRtoNanos;
        this.maxCwnd = b.maxCwnd;
        this.historyCapacity = b.historyCapacity;
        this.cwndValidation = b.cwndValidation;
        this.ackVectorCells = b.ackVectorCells;
        this.ackRecords = b.ackRecords;
        this.delayedAckNanos = b.delayedAckNanos;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the configuration with every default */
    public static Ccid2Config defaults() {
        return builder().build();
    }

    /** @return the largest packet the connection sends, in bytes */
    public int maxPacketSize() {
        return maxPacketSize;
    }

    /**
     * @return the initial congestion window: {@code min(4, max(2, 4380 / maxPacketSize))} packets
     *     (RFC 3390), never above {@link #maxCwnd()}
     */
    public int initialCwnd() {
        return Math.min(maxCwnd, Math.min(4, Math.max(2, 4380 / maxPacketSize)));
    }

    /** @return the transmit timeout before any round-trip sample */
    public long initialRtoNanos() {
        return initialRtoNanos;
    }

    /** @return the smallest transmit timeout */
    public long minRtoNanos() {
        return minRtoNanos;
    }

    /** @return the largest transmit timeout, also the cap of exponential backoff */
    public long maxRtoNanos() {
        return maxRtoNanos;
    }

    /** @return the largest congestion window, in packets */
    public int maxCwnd() {
        return maxCwnd;
    }

    /** @return how many of its latest sent packets the sender remembers (a power of two) */
    public int historyCapacity() {
        return historyCapacity;
    }

    /** @return whether cwnd decays after idle periods and stops growing while not used (RFC 2861) */
    public boolean cwndValidation() {
        return cwndValidation;
    }

    /** @return the receiver's Ack Vector buffer, in cells */
    public int ackVectorCells() {
        return ackVectorCells;
    }

    /** @return how many Ack Vectors sent the receiver remembers until they are acknowledged */
    public int ackRecords() {
        return ackRecords;
    }

    /** @return the most a receiver delays the acknowledgement of a data packet */
    public long delayedAckNanos() {
        return delayedAckNanos;
    }

    @Override
    public String toString() {
        return "Ccid2Config[maxPacketSize=" + maxPacketSize + ", initialCwnd=" + initialCwnd() + ", rto=" + minRtoNanos
                + ".." + maxRtoNanos + " ns (initial " + initialRtoNanos + "), maxCwnd=" + maxCwnd + ", history="
                + historyCapacity + ", cwndValidation=" + cwndValidation + ", ackVectorCells=" + ackVectorCells
                + ", ackRecords=" + ackRecords + ", delayedAck=" + delayedAckNanos + " ns]";
    }

    /** Builds a {@link Ccid2Config}; not thread-safe. */
    public static final class Builder {
        private int maxPacketSize = DEFAULT_MAX_PACKET_SIZE;
        private long initialRtoNanos = Duration.ofSeconds(1).toNanos();
        private long minRtoNanos = Duration.ofSeconds(1).toNanos();
        private long maxRtoNanos = Duration.ofSeconds(60).toNanos();
        private int maxCwnd = DEFAULT_MAX_CWND;
        private int historyCapacity = DEFAULT_HISTORY_CAPACITY;
        private boolean cwndValidation = true;
        private int ackVectorCells = AckVectorRecorder.DEFAULT_CELL_CAPACITY;
        private int ackRecords = AckVectorRecorder.DEFAULT_ACK_RECORD_CAPACITY;
        private long delayedAckNanos = Duration.ofMillis(200).toNanos();

        private Builder() {
        }

        /** @param bytes the largest packet the connection sends, 1 to 65535; sets the initial window */
        public Builder maxPacketSize(int bytes) {
            if (bytes < 1 || bytes > 65535) {
                throw new IllegalArgumentException("max packet size " + bytes + " bytes: must be 1 to 65535");
            }
            maxPacketSize = bytes;
            return this;
        }

        /** @param value the timeout before any round-trip sample, positive */
        public Builder initialRto(Duration value) {
            initialRtoNanos = positive("initial RTO", value);
            return this;
        }

        /** @param value the smallest timeout, positive; RFC 6298 says 1 s */
        public Builder minRto(Duration value) {
            minRtoNanos = positive("min RTO", value);
            return this;
        }

        /** @param value the largest timeout, positive; RFC 6298 allows 60 s or more */
        public Builder maxRto(Duration value) {
            maxRtoNanos = positive("max RTO", value);
            return this;
        }

        /** @param packets the largest congestion window, 2 or more, at most half the history */
        public Builder maxCwnd(int packets) {
            if (packets < 2) {
                throw new IllegalArgumentException("max cwnd " + packets + " packets: must be >= 2");
            }
            maxCwnd = packets;
            return this;
        }

        /** @param packets sent packets to remember, 8 to 2^24 (rounded up to a power of two) */
        public Builder historyCapacity(int packets) {
            if (packets < 8 || packets > 1 << 24) {
                throw new IllegalArgumentException("history capacity " + packets + " packets: must be 8 to 16777216");
            }
            historyCapacity = packets == 1 ? 1 : Integer.highestOneBit(packets - 1) << 1;
            return this;
        }

        /** @param value whether cwnd decays when idle and is frozen while not used (RFC 2861) */
        public Builder cwndValidation(boolean value) {
            cwndValidation = value;
            return this;
        }

        /** @param value the receiver's Ack Vector cells, 2 to 2^24 (rounded up to a power of two) */
        public Builder ackVectorCells(int value) {
            if (value < 2 || value > AckVectorRecorder.MAX_CAPACITY) {
                throw new IllegalArgumentException("Ack Vector cells " + value + ": must be 2 to " + AckVectorRecorder.MAX_CAPACITY);
            }
            ackVectorCells = value;
            return this;
        }

        /** @param value Ack Vectors sent to remember, 1 to 2^24 (rounded up to a power of two) */
        public Builder ackRecords(int value) {
            if (value < 1 || value > AckVectorRecorder.MAX_CAPACITY) {
                throw new IllegalArgumentException("ack records " + value + ": must be 1 to " + AckVectorRecorder.MAX_CAPACITY);
            }
            ackRecords = value;
            return this;
        }

        /** @param value the most a receiver delays an acknowledgement, positive; RFC 4340 says 200 ms */
        public Builder delayedAck(Duration value) {
            delayedAckNanos = positive("delayed ack", value);
            return this;
        }

        private static long positive(String what, Duration value) {
            Objects.requireNonNull(value, what + " must not be null");
            if (value.isNegative() || value.isZero() || value.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException(what + " " + value + ": must be positive and at most a day");
            }
            return value.toNanos();
        }

        /** @return the configuration, once the values agree with each other */
        public Ccid2Config build() {
            if (minRtoNanos > maxRtoNanos) {
                throw new IllegalArgumentException("min RTO " + minRtoNanos + " ns exceeds max RTO " + maxRtoNanos + " ns");
            }
            if (initialRtoNanos < minRtoNanos || initialRtoNanos > maxRtoNanos) {
                throw new IllegalArgumentException("initial RTO " + initialRtoNanos + " ns: must be within [min RTO "
                        + minRtoNanos + ", max RTO " + maxRtoNanos + "] ns");
            }
            if (maxCwnd > historyCapacity / 2) {
                throw new IllegalArgumentException("max cwnd " + maxCwnd + " packets: must be at most half the history capacity "
                        + historyCapacity);
            }
            return new Ccid2Config(this);
        }
    }
}
