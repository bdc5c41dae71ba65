package io.qsockets;

import java.time.Duration;
import java.util.Objects;

/**
 * The QoS of one socket (the paper's {@code qos_params}): the engine and scheduler it is
 * scheduled by, the scheduler attributes, the transport, the send queue bound, what
 * happens when the send queue is full, how long {@code close()} lets queued datagrams leave, and
 * the flags plain {@code send(DatagramPacket)} uses.
 *
 * <p>Immutable and thread-safe; built and validated once by {@link Builder#build()}.
 */
public final class QosParams {
    /** Default bound of the send queue, in datagrams. */
    public static final int DEFAULT_SEND_QUEUE_CAPACITY = 1024;
    /** Largest queue bound accepted. */
    public static final int MAX_QUEUE_CAPACITY = 1 << 20;
    /**
     * How long {@code close()} lets the datagrams already accepted leave (or, on the DCCP
     * transport, settle) unless told otherwise: 5 seconds, enough for a normal queue to drain.
     */
    public static final Duration DEFAULT_LINGER = Duration.ofSeconds(5);
    /** The longest linger accepted: one hour. */
    public static final Duration MAX_LINGER = Duration.ofHours(1);
    /**
     * How long a DCCP connection may take to open unless told otherwise: 3 seconds (the
     * connection's Requests leave at 0 and 1 s).
     */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** The longest connect timeout accepted: three minutes, RFC 4340's give-up time for Requests. */
    public static final Duration MAX_CONNECT_TIMEOUT = Duration.ofMinutes(3);
    /**
     * How long a DCCP peer may stay silent before it is given up unless told otherwise: 5 seconds
     * (SRT's {@code SRTO_PEERIDLETIMEO}); keepalives make a live, idle peer speak every second.
     */
    public static final Duration DEFAULT_PEER_IDLE_TIMEOUT = Duration.ofSeconds(5);
    /** The longest peer idle timeout accepted: one hour. */
    public static final Duration MAX_PEER_IDLE_TIMEOUT = Duration.ofHours(1);
    /**
     * How often an idle DCCP connection probes its peer unless told otherwise: every second, well
     * inside the 30 s after which NATs commonly forget a UDP mapping.
     */
    public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(1);
    /**
     * The largest UDP payload a DCCP packet takes unless told otherwise: 1452 bytes, what a
     * 1500-byte path carries over IPv6 (and IPv4) without fragmentation. The largest datagram a
     * DCCP socket then sends is 79 bytes less (the DCCP header, its options and the payload
     * header): 1373 bytes.
     */
    public static final int DEFAULT_MAX_PACKET_SIZE = 1452;
    /** The largest {@link Builder#maxPacketSize maximum packet size}: the largest UDP payload. */
    public static final int MAX_PACKET_SIZE = 65_507;
    /** The smallest maximum packet size accepted: room for the headers and some data. */
    public static final int MIN_PACKET_SIZE = 256;
    /** The longest {@link Builder#maxQueueDelay maximum queue delay} accepted: one hour. */
    public static final Duration MAX_QUEUE_DELAY = Duration.ofHours(1);
    private static final long NO_MAX_QUEUE_DELAY = -1;

    private static final QosParams DEFAULTS = builder().build();

    private final Engine engine;
    private final String scheduler;
    private final SchedulerAttributes attributes;
    private final Transport transport;
    private final CongestionControl congestionControl;
    private final BackPressure backPressure;
    private final int sendQueueCapacity;
    private final PacketFlags defaultFlags;
    private final long lingerNanos;
    private final long connectTimeoutNanos;
    private final long peerIdleTimeoutNanos;
    private final long keepAliveNanos;
    private final int maxPacketSize;
    private final long maxQueueDelayNanos;

    private QosParams(Builder b) {
        this.engine = b.engine;
        this.scheduler = b.scheduler;
        this.attributes = b.attributes;
        this.transport = b.transport;
        this.congestionControl = b.congestionControl;
        this.backPressure = b.backPressure;
        this.sendQueueCapacity = b.sendQueueCapacity;
        this.defaultFlags = b.defaultFlags;
        this.lingerNanos = b.lingerNanos;
        this.connectTimeoutNanos = b.connectTimeoutNanos;
        this.peerIdleTimeoutNanos = b.peerIdleTimeoutNanos;
        this.keepAliveNanos = b.keepAliveNanos;
        this.maxPacketSize = b.maxPacketSize;
        this.maxQueueDelayNanos = b.maxQueueDelayNanos;
    }

    /** @return unpaced UDP on the default engine, blocking back-pressure, default queue bounds */
    public static QosParams defaults() {
        return DEFAULTS;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder starting from these parameters */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.engine = engine;
        b.scheduler = scheduler;
        b.attributes = attributes;
        b.transport = transport;
        b.congestionControl = congestionControl;
        b.backPressure = backPressure;
        b.sendQueueCapacity = sendQueueCapacity;
        b.defaultFlags = defaultFlags;
        b.lingerNanos = lingerNanos;
        b.connectTimeoutNanos = connectTimeoutNanos;
        b.peerIdleTimeoutNanos = peerIdleTimeoutNanos;
        b.keepAliveNanos = keepAliveNanos;
        b.maxPacketSize = maxPacketSize;
        b.maxQueueDelayNanos = maxQueueDelayNanos;
        return b;
    }

    /** @return the engine, or null for the default engine of {@link #scheduler()} */
    public Engine engine() {
        return engine;
    }

    /** @return the scheduler name, or null for the engine's */
    public String scheduler() {
        return scheduler;
    }

    /** @return the scheduler attributes */
    public SchedulerAttributes attributes() {
        return attributes;
    }

    /** @return the transport */
    public Transport transport() {
        return transport;
    }

    /** @return what bounds the sending rate on the DCCP transport */
    public CongestionControl congestionControl() {
        return congestionControl;
    }

    /** @return what a send does when the send queue is full */
    public BackPressure backPressure() {
        return backPressure;
    }

    /** @return the bound of the send queue, in datagrams */
    public int sendQueueCapacity() {
        return sendQueueCapacity;
    }

    /** @return the flags of sends that give none */
    public PacketFlags defaultFlags() {
        return defaultFlags;
    }

    /**
     * @return how long {@code close()} lets the datagrams already accepted leave (UDP) or settle
     *     (DCCP: acknowledged, expired, cancelled or failed) before it discards the rest;
     *     {@link Duration#ZERO} discards at once
     */
    public Duration linger() {
        return Duration.ofNanos(lingerNanos);
    }

    /**
     * @return how long a DCCP connection to a new peer may take to open; the datagrams waiting for
     *     a connection that did not open in time end {@link SegmentState#FAILED}
     */
    public Duration connectTimeout() {
        return Duration.ofNanos(connectTimeoutNanos);
    }

    /**
     * @return how long a DCCP peer that sends nothing (not even an answer to a keepalive) is kept
     *     before its connection is given up: what waits for it ends {@link SegmentState#FAILED}
     *     and its state is freed
     */
    public Duration peerIdleTimeout() {
        return Duration.ofNanos(peerIdleTimeoutNanos);
    }

    /** @return the largest UDP payload a DCCP packet of this socket takes, headers included */
    public int maxPacketSize() {
        return maxPacketSize;
    }

    /** @return how long a DCCP connection may hear nothing from its peer before it probes it */
    public Duration keepAlive() {
        return Duration.ofNanos(keepAliveNanos);
    }

    /**
     * @return how long a datagram may wait in the send queue before it is dropped at the source
     *     rather than sent late, or null for no bound (the default, as a {@code DatagramSocket})
     */
    public Duration maxQueueDelay() {
        return maxQueueDelayNanos == NO_MAX_QUEUE_DELAY ? null : Duration.ofNanos(maxQueueDelayNanos);
    }

    @Override
    public String toString() {
        return "QosParams[scheduler=" + (scheduler == null ? "(engine's)" : scheduler) + ", attributes=" + attributes
                + ", transport=" + transport + ", congestionControl=" + congestionControl + ", backPressure=" + backPressure + ", sendQueue=" + sendQueueCapacity
                + ", defaultFlags=" + defaultFlags + ", linger=" + linger() + ", connectTimeout="
                + connectTimeout() + ", peerIdleTimeout=" + peerIdleTimeout() + ", keepAlive=" + keepAlive()
                + ", maxPacketSize=" + maxPacketSize
                + (maxQueueDelay() == null ? "" : ", maxQueueDelay=" + maxQueueDelay()) + "]";
    }

    /** Builds {@link QosParams}; not thread-safe. */
    public static final class Builder {
        private Engine engine;
        private String scheduler;
        private SchedulerAttributes attributes = SchedulerAttributes.unpaced();
        private Transport transport = Transport.UDP;
        private CongestionControl congestionControl = CongestionControl.CCID2;
        private BackPressure backPressure = BackPressure.BLOCK;
        private int sendQueueCapacity = DEFAULT_SEND_QUEUE_CAPACITY;
        private PacketFlags defaultFlags = PacketFlags.NONE;
        private long lingerNanos = DEFAULT_LINGER.toNanos();
        private long connectTimeoutNanos = DEFAULT_CONNECT_TIMEOUT.toNanos();
        private long peerIdleTimeoutNanos = DEFAULT_PEER_IDLE_TIMEOUT.toNanos();
        private long keepAliveNanos = DEFAULT_KEEPALIVE.toNanos();
        private int maxPacketSize = DEFAULT_MAX_PACKET_SIZE;
        private long maxQueueDelayNanos = NO_MAX_QUEUE_DELAY;

        private Builder() {
        }

        /** @param value the engine, or null for the default engine */
        public Builder engine(Engine value) {
            engine = value;
            return this;
        }

        /** @param value a name from {@link QSockets#schedulers()}, or null for the engine's */
        public Builder scheduler(String value) {
            if (value != null && value.isBlank()) {
                throw new IllegalArgumentException("scheduler name '" + value + "' must be non-empty, or null");
            }
            scheduler = value;
            return this;
        }

        /** @param value the scheduler attributes; not null */
        public Builder attributes(SchedulerAttributes value) {
            attributes = Objects.requireNonNull(value, "scheduler attributes must not be null");
            return this;
        }

        /** @param value the transport; not null */
        public Builder transport(Transport value) {
            transport = Objects.requireNonNull(value, "transport must not be null");
            return this;
        }

        /** @param value CCID2 (the default) or NONE; applies to the DCCP transport; not null */
        public Builder congestionControl(CongestionControl value) {
            congestionControl = Objects.requireNonNull(value, "congestion control must not be null");
            return this;
        }

        /** @param value BLOCK or DROP; not null */
        public Builder backPressure(BackPressure value) {
            backPressure = Objects.requireNonNull(value, "back-pressure must not be null");
            return this;
        }

        /** @param value 1 to {@link #MAX_QUEUE_CAPACITY} datagrams */
        public Builder sendQueueCapacity(int value) {
            sendQueueCapacity = checkCapacity("send", value);
            return this;
        }

        /** @param value flags for sends that give none; not null */
        public Builder defaultFlags(PacketFlags value) {
            defaultFlags = Objects.requireNonNull(value, "default flags must not be null");
            return this;
        }

        /**
         * How long {@code close()} waits for what was already accepted to leave (UDP: handed to
         * the kernel) or settle (DCCP: acknowledged, expired, cancelled or failed); what is still
         * queued after it is discarded and counted dropped. {@code close()} returns when the queue
         * has drained or the linger has passed, and the socket's port is free then.
         *
         * @param value zero (discard at once) to {@link #MAX_LINGER}; default {@link #DEFAULT_LINGER}
         */
        public Builder linger(Duration value) {
            if (value == null || value.isNegative() || value.compareTo(MAX_LINGER) > 0) {
                throw new IllegalArgumentException("linger " + value + " must be a duration from zero (discard at "
                        + "once) to " + MAX_LINGER);
            }
            lingerNanos = value.toNanos();
            return this;
        }

        /**
         * How long a connection to a new peer may take to open on the DCCP transport (SRT's
         * {@code SRTO_CONNTIMEO}). When it does not open in time, or the peer's host reports its
         * port unreachable, every datagram waiting for it ends {@link SegmentState#FAILED}, senders
         * waiting for room wake, one warning is logged per peer, and the next datagram to the peer
         * tries again.
         *
         * @param value positive, at most {@link #MAX_CONNECT_TIMEOUT}; default {@link #DEFAULT_CONNECT_TIMEOUT}
         */
        public Builder connectTimeout(Duration value) {
            connectTimeoutNanos = Durations.positiveNanos("connect timeout", value, MAX_CONNECT_TIMEOUT);
            return this;
        }

        /**
         * How long a peer on the DCCP transport may send nothing before it is given up (SRT's
         * {@code SRTO_PEERIDLETIMEO}), on every congestion control: a crashed peer, a path that
         * broke or a NAT that forgot the mapping. The datagrams waiting for it end
         * {@link SegmentState#FAILED} ({@link PeerFailure.Reason#SILENT}), one warning is
         * logged, its state is freed, and the next datagram to it opens a new connection. A live
         * peer is never idle that long: {@link #keepAlive keepalives} make it answer.
         *
         * @param value positive, at most {@link #MAX_PEER_IDLE_TIMEOUT}, longer than the
         *     keepalive; default {@link #DEFAULT_PEER_IDLE_TIMEOUT}
         */
        public Builder peerIdleTimeout(Duration value) {
            peerIdleTimeoutNanos = Durations.positiveNanos("peer idle timeout", value, MAX_PEER_IDLE_TIMEOUT);
            return this;
        }

        /**
         * How long an open DCCP connection may hear nothing from its peer before it probes it
         * with a Sync, which the peer answers: idle connections stay alive, and their NAT
         * mappings open, at one small packet each way per interval.
         *
         * @param value positive, shorter than the peer idle timeout; default {@link #DEFAULT_KEEPALIVE}
         */
        public Builder keepAlive(Duration value) {
            keepAliveNanos = Durations.positiveNanos("keepalive", value, MAX_PEER_IDLE_TIMEOUT);
            return this;
        }

        /**
         * The largest UDP payload a packet on the DCCP transport may take, its DCCP header,
         * options and payload header included (SRT's {@code SRTO_MSS}, less the IP and UDP
         * headers). The default fits a 1500-byte path without IP fragmentation, which loses the
         * whole datagram when one fragment is lost and which many IPv6 paths drop. A datagram
         * larger than this allows is refused by {@code send} with the limit in the message. Raise
         * it for a path known to carry more (loopback, a jumbo-frame LAN).
         *
         * @param value from {@link #MIN_PACKET_SIZE} to {@link #MAX_PACKET_SIZE}; default
         *     {@link #DEFAULT_MAX_PACKET_SIZE}
         */
        public Builder maxPacketSize(int value) {
            if (value < MIN_PACKET_SIZE || value > MAX_PACKET_SIZE) {
                throw new IllegalArgumentException("max packet size " + value + " must be between " + MIN_PACKET_SIZE
                        + " and " + MAX_PACKET_SIZE + " bytes");
            }
            maxPacketSize = value;
            return this;
        }

        /**
         * Bounds how long a datagram may wait in the send queue (SRT's {@code SNDDROPDELAY}): one
         * that has waited longer is dropped at the source and counted ({@code info()}'s dropped
         * count; its {@link Segment} ends {@link SegmentState#DROPPED}) instead of leaving late, so
         * that a paced socket cannot build up seconds of stale data. Non-droppable datagrams are
         * exempt. On the DCCP transport the bound covers the wait for the connection and its
         * congestion window too, until the first transmission.
         *
         * @param value positive, at most {@link #MAX_QUEUE_DELAY}, or null for no bound (the default)
         */
        public Builder maxQueueDelay(Duration value) {
            maxQueueDelayNanos = value == null ? NO_MAX_QUEUE_DELAY
                    : Durations.positiveNanos("max queue delay", value, MAX_QUEUE_DELAY);
            return this;
        }

        /**
         * @return the validated parameters
         * @throws IllegalArgumentException if the keepalive is not shorter than the peer idle timeout
         */
        public QosParams build() {
            if (keepAliveNanos >= peerIdleTimeoutNanos) {
                throw new IllegalArgumentException("keepalive " + Duration.ofNanos(keepAliveNanos)
                        + " must be shorter than the peer idle timeout " + Duration.ofNanos(peerIdleTimeoutNanos)
                        + ", or a live peer would be given up between two probes");
            }
            return new QosParams(this);
        }

        private static int checkCapacity(String which, int value) {
            if (value < 1 || value > MAX_QUEUE_CAPACITY) {
                throw new IllegalArgumentException(which + " queue capacity " + value + " must be between 1 and "
                        + MAX_QUEUE_CAPACITY);
            }
            return value;
        }
    }
}
