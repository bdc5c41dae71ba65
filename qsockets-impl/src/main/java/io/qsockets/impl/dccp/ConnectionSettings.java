package io.qsockets.impl.dccp;

import io.qsockets.impl.dccp.wire.FeatureNumber;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of DCCP connections and listeners (RFC 4340), built with {@link #builder()}
 * and validated once by {@link Builder#build()}. Defaults follow the RFC; durations are held in
 * nanoseconds.
 *
 * <p>Feature preferences (§6): the connection asks for {@link #ccid()} on both half-connections,
 * announces its {@link #sequenceWindow()} and {@link #ackRatio()} with Change L when they differ
 * from the initial values, asks the peer to send Ack Vectors and NDP Counts when
 * {@link #sendAckVector()} / {@link #sendNdpCount()} are set, and always declares itself ECN
 * incapable (Java's UDP sockets cannot read ECN marks).
 */
public final class ConnectionSettings {

    private final int serviceCode;
    private final long sequenceWindow;
    private final int ackRatio;
    private final int ccid;
    private final boolean sendAckVector;
    private final boolean sendNdpCount;
    private final int minimumChecksumCoverage;
    private final long requestTimeoutNanos;
    private final long partOpenTimeoutNanos;
    private final long closeTimeoutNanos;
    private final long maxBackoffNanos;
    private final long requestGiveUpNanos;
    private final long keepAliveNanos;
    private final long idleTimeoutNanos;
    private final int deadPeerTimeouts;
    private final long partOpenGiveUpNanos;
    private final long closeGiveUpNanos;
    private final long timeWaitNanos;
    private final int syncsPerSecond;
    private final int resetsPerSecond;
    private final int maxPacketSize;
    private final long initialRttNanos;
    private final long ackDelayNanos;
    private final long cookieLifetimeNanos;
    private final boolean serverHoldsTimeWait;
    private final CongestionControl.Factory congestionControl;

    private ConnectionSettings(Builder b) {
        serviceCode = b.serviceCode;
        sequenceWindow = b.sequenceWindow;
        ackRatio = b.ackRatio;
        ccid = b.ccid;
        sendAckVector = b.sendAckVector;
        sendNdpCount = b.sendNdpCount;
        minimumChecksumCoverage = b.minimumChecksumCoverage;
        requestTimeoutNanos = b.requestTimeout;
        partOpenTimeoutNanos = b.partOpenTimeout;
        closeTimeoutNanos = b.closeTimeout == -1 ? 2 * b.initialRtt : b.closeTimeout;
        maxBackoffNanos = b.maxBackoff;
        requestGiveUpNanos = b.requestGiveUp;
        keepAliveNanos = b.keepAlive;
        idleTimeoutNanos = b.idleTimeout;
        deadPeerTimeouts = b.deadPeerTimeouts;
        partOpenGiveUpNanos = b.partOpenGiveUp;
        closeGiveUpNanos = b.closeGiveUp;
        timeWaitNanos = b.timeWait;
        syncsPerSecond = b.syncsPerSecond;
        resetsPerSecond = b.resetsPerSecond;
        maxPacketSize = b.maxPacketSize;
        initialRttNanos = b.initialRtt;
        ackDelayNanos = b.ackDelay;
        cookieLifetimeNanos = b.cookieLifetime;
        serverHoldsTimeWait = b.serverHoldsTimeWait;
        congestionControl = b.congestionControl;
    }

    /** A builder with the RFC 4340 defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The settings with every default. */
    public static ConnectionSettings defaults() {
        return builder().build();
    }

    /** Service Code sent on Requests; a listener with a non-zero one refuses others (§8.1.2). Default 0. */
    public int serviceCode() {
        return serviceCode;
    }

    /** Our Sequence Window (feature 3, §7.5.2). Default 100. */
    public long sequenceWindow() {
        return sequenceWindow;
    }

    /** The Ack Ratio we ask the peer to use for our data (feature 5, §11.3). Default 2. */
    public int ackRatio() {
        return ackRatio;
    }

    /** The CCID wanted on both half-connections (feature 1). Default 2. */
    public int ccid() {
        return ccid;
    }

    /** Whether we want Ack Vectors on both half-connections (feature 6, §11.5). Default true (CCID 2 needs them). */
    public boolean sendAckVector() {
        return sendAckVector;
    }

    /** Whether we want NDP Count options on both half-connections (feature 7, §7.7.2). Default false. */
    public boolean sendNdpCount() {
        return sendNdpCount;
    }

    /** Our Minimum Checksum Coverage (feature 8, §9.2.1), 0-15. Default 0 (full coverage only). */
    public int minimumChecksumCoverage() {
        return minimumChecksumCoverage;
    }

    /**
     * How long an open connection may hear nothing before it sends a Sync as a keepalive; 0 (the
     * default) sends none.
     */
    public long keepAliveNanos() {
        return keepAliveNanos;
    }

    /**
     * How long an open connection may hear nothing (no valid packet) before it gives the peer up
     * and resets (Aborted); 0 (the default) never does.
     */
    public long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    /** First Request retransmission (§8.1.1). Default 1 s. */
    public long requestTimeoutNanos() {
        return requestTimeoutNanos;
    }

    /** First PARTOPEN Ack retransmission (§8.1.5). Default 200 ms. */
    public long partOpenTimeoutNanos() {
        return partOpenTimeoutNanos;
    }

    /** First CloseReq/Close retransmission when no RTT is known (§8.3: two RTTs). Default 2 × initial RTT. */
    public long closeTimeoutNanos() {
        return closeTimeoutNanos;
    }

    /** Largest retransmission interval after exponential backoff (§8.1.1, §8.3). Default 64 s. */
    public long maxBackoffNanos() {
        return maxBackoffNanos;
    }

    /** How long a client sends Requests before it gives up with Reset(Aborted) (§8.1.1). Default 3 min. */
    /** @return timeouts in a row after which the peer is given up for dead; 0 never */
    public int deadPeerTimeouts() {
        return deadPeerTimeouts;
    }

    public long requestGiveUpNanos() {
        return requestGiveUpNanos;
    }

    /** How long a client stays in PARTOPEN before Reset(Aborted) (§8.1.5: 4 MSL). Default 8 min. */
    public long partOpenGiveUpNanos() {
        return partOpenGiveUpNanos;
    }

    /** How long CloseReq/Close are retransmitted before Reset(Aborted). Default 8 min (4 MSL). */
    public long closeGiveUpNanos() {
        return closeGiveUpNanos;
    }

    /** TIMEWAIT length (§8.3: 2 MSL, 4 min). */
    public long timeWaitNanos() {
        return timeWaitNanos;
    }

    /** Most Syncs per second sent for sequence-invalid packets (§7.5.4). Default 8. */
    public int syncsPerSecond() {
        return syncsPerSecond;
    }

    /** Most Resets per second a listener sends for packets of unknown flows. Default 100. */
    public int resetsPerSecond() {
        return resetsPerSecond;
    }

    /** Largest DCCP packet (header, options, data) sent, in bytes. Default 1472 (1500-byte IPv4 MTU). */
    public int maxPacketSize() {
        return maxPacketSize;
    }

    /** RTT assumed before the first sample. Default 200 ms. */
    public long initialRttNanos() {
        return initialRttNanos;
    }

    /** Longest delay before received data is acknowledged (the delayed-ack timer). Default 20 ms. */
    public long ackDelayNanos() {
        return ackDelayNanos;
    }

    /** How long an Init Cookie stays valid; the listener's key rotates at this period (§8.1.4). Default 1 min. */
    public long cookieLifetimeNanos() {
        return cookieLifetimeNanos;
    }

    /** Whether a closing server sends Close and holds TIMEWAIT itself instead of CloseReq (§8.3). Default false. */
    public boolean serverHoldsTimeWait() {
        return serverHoldsTimeWait;
    }

    /** Makes each connection's congestion control. Default {@link UnlimitedCongestionControl}. */
    public CongestionControl.Factory congestionControl() {
        return congestionControl;
    }

    /**
     * The smallest packet size a connection works with: the handshake's packets (a Request padded
     * to {@link DccpListener#REQUEST_LENGTH}, the Response and the PARTOPEN Ack with their Init
     * Cookie) must fit.
     */
    public static final int MIN_PACKET_SIZE = 256;

    /** The Service Code that means "no valid Service Code" (RFC 4340 §19.8): never used or accepted. */
    public static final int INVALID_SERVICE_CODE = 0xFFFF_FFFF;

    /** Largest application payload a data packet can carry with the options this stack adds. */
    public int maxPayload() {
        return maxPacketSize - DccpConnection.MAX_DATA_HEADER;
    }

    /** Mutable builder; {@link #build()} validates every value. */
    public static final class Builder {
        private int serviceCode;
        private long sequenceWindow = FeatureNumber.SEQUENCE_WINDOW.initialValue();
        private int ackRatio = (int) FeatureNumber.ACK_RATIO.initialValue();
        private int ccid = 2;
        private boolean sendAckVector = true;
        private boolean sendNdpCount;
        private int minimumChecksumCoverage;
        private long requestTimeout = Duration.ofSeconds(1).toNanos();
        private long partOpenTimeout = Duration.ofMillis(200).toNanos();
        private long closeTimeout = -1;
        private long maxBackoff = Duration.ofSeconds(64).toNanos();
        private long requestGiveUp = Duration.ofMinutes(3).toNanos();
        private long keepAlive;
        private long idleTimeout;
        private long partOpenGiveUp = Duration.ofMinutes(8).toNanos();
        private long closeGiveUp = Duration.ofMinutes(8).toNanos();
        private long timeWait = Duration.ofMinutes(4).toNanos();
        private int syncsPerSecond = 8;
        private int deadPeerTimeouts = 5;
        private int resetsPerSecond = 100;
        private int maxPacketSize = 1472;
        private long initialRtt = Duration.ofMillis(200).toNanos();
        private long ackDelay = Duration.ofMillis(20).toNanos();
        private long cookieLifetime = Duration.ofMinutes(1).toNanos();
        private boolean serverHoldsTimeWait;
        private CongestionControl.Factory congestionControl = UnlimitedCongestionControl::new;

        private Builder() {
        }

        /**
         * After how many retransmission timeouts in a row, with no acknowledgement between them,
         * the peer is given up for dead and the connection reset (Aborted); 0 never gives up.
         * Default 5: with CCID 2's 1 s minimum timeout and its doubling, about 31 s of silence.
         */
        public Builder deadPeerTimeouts(int timeouts) {
            this.deadPeerTimeouts = timeouts;
            return this;
        }

        public Builder serviceCode(int code) {
            this.serviceCode = code;
            return this;
        }

        public Builder sequenceWindow(long window) {
            this.sequenceWindow = window;
            return this;
        }

        public Builder ackRatio(int ratio) {
            this.ackRatio = ratio;
            return this;
        }

        public Builder ccid(int id) {
            this.ccid = id;
            return this;
        }

        public Builder sendAckVector(boolean on) {
            this.sendAckVector = on;
            return this;
        }

        public Builder sendNdpCount(boolean on) {
            this.sendNdpCount = on;
            return this;
        }

        public Builder minimumChecksumCoverage(int coverage) {
            this.minimumChecksumCoverage = coverage;
            return this;
        }

        public Builder requestTimeout(Duration d) {
            this.requestTimeout = nanos(d);
            return this;
        }

        public Builder partOpenTimeout(Duration d) {
            this.partOpenTimeout = nanos(d);
            return this;
        }

        public Builder closeTimeout(Duration d) {
            this.closeTimeout = nanos(d);
            return this;
        }

        public Builder maxBackoff(Duration d) {
            this.maxBackoff = nanos(d);
            return this;
        }

        /** See {@link ConnectionSettings#keepAliveNanos()}; zero turns keepalives off. */
        public Builder keepAlive(Duration d) {
            this.keepAlive = nanos(d);
            return this;
        }

        /** See {@link ConnectionSettings#idleTimeoutNanos()}; zero never gives an idle peer up. */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = nanos(d);
            return this;
        }

        public Builder requestGiveUp(Duration d) {
            this.requestGiveUp = nanos(d);
            return this;
        }

        public Builder partOpenGiveUp(Duration d) {
            this.partOpenGiveUp = nanos(d);
            return this;
        }

        public Builder closeGiveUp(Duration d) {
            this.closeGiveUp = nanos(d);
            return this;
        }

        public Builder timeWait(Duration d) {
            this.timeWait = nanos(d);
            return this;
        }

        public Builder syncsPerSecond(int n) {
            this.syncsPerSecond = n;
            return this;
        }

        public Builder resetsPerSecond(int n) {
            this.resetsPerSecond = n;
            return this;
        }

        public Builder maxPacketSize(int bytes) {
            this.maxPacketSize = bytes;
            return this;
        }

        public Builder initialRtt(Duration d) {
            this.initialRtt = nanos(d);
            return this;
        }

        public Builder ackDelay(Duration d) {
            this.ackDelay = nanos(d);
            return this;
        }

        public Builder cookieLifetime(Duration d) {
            this.cookieLifetime = nanos(d);
            return this;
        }

        public Builder serverHoldsTimeWait(boolean on) {
            this.serverHoldsTimeWait = on;
            return this;
        }

        public Builder congestionControl(CongestionControl.Factory factory) {
            this.congestionControl = Objects.requireNonNull(factory, "congestionControl");
            return this;
        }

        private static long nanos(Duration d) {
            Objects.requireNonNull(d, "duration");
            return d.toNanos();
        }

        /** Validates and freezes the settings. */
        public ConnectionSettings build() {
            if (!FeatureNumber.SEQUENCE_WINDOW.isValidValue(sequenceWindow)) {
                throw new IllegalArgumentException("sequenceWindow must be in [32, 2^46 - 1] (RFC 4340 §7.5.2), was "
                        + sequenceWindow);
            }
            if (serviceCode == INVALID_SERVICE_CODE) {
                throw new IllegalArgumentException("serviceCode 4294967295 is the invalid Service Code (RFC 4340 §19.8); "
                        + "use one from the private range 0x3F000000-0x3FFFFFFF (RFC 5595 §2.3)");
            }
            range("ackRatio", ackRatio, 1, 0xFFFF);
            range("ccid", ccid, 0, 255);
            range("minimumChecksumCoverage", minimumChecksumCoverage, 0, 15);
            range("syncsPerSecond", syncsPerSecond, 1, 1_000_000);
            range("deadPeerTimeouts", deadPeerTimeouts, 0, 30);
            range("resetsPerSecond", resetsPerSecond, 1, 1_000_000);
            range("maxPacketSize", maxPacketSize, MIN_PACKET_SIZE, 65_507);
            positive("requestTimeout", requestTimeout);
            positive("partOpenTimeout", partOpenTimeout);
            positive("maxBackoff", maxBackoff);
            positive("requestGiveUp", requestGiveUp);
            positive("partOpenGiveUp", partOpenGiveUp);
            positive("closeGiveUp", closeGiveUp);
            positive("timeWait", timeWait);
            positive("initialRtt", initialRtt);
            positive("ackDelay", ackDelay);
            positive("cookieLifetime", cookieLifetime);
            if (keepAlive < 0 || idleTimeout < 0 || idleTimeout > 0 && keepAlive >= idleTimeout) {
                throw new IllegalArgumentException("keepAlive (" + keepAlive + " ns) and idleTimeout (" + idleTimeout
                        + " ns) must be >= 0, and a keepalive shorter than a non-zero idle timeout");
            }
            if (closeTimeout != -1) {
                positive("closeTimeout", closeTimeout);
            }
            return new ConnectionSettings(this);
        }

        private static void range(String what, long v, long min, long max) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(what + " must be in [" + min + ", " + max + "], was " + v);
            }
        }

        private static void positive(String what, long nanos) {
            if (nanos <= 0) {
                throw new IllegalArgumentException(what + " must be a positive duration, was " + nanos + " ns");
            }
        }
    }
}
