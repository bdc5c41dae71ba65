package io.qsockets;

import java.util.Objects;

/**
 * Configuration of an {@link Engine}: its clock, who drives it, its scheduler discipline, the
 * egress rate shared by all of its sockets, and how it idles. Immutable; built and validated once
 * by {@link Builder#build()}.
 */
public final class EngineConfig {
    /** The scheduler an engine runs unless told otherwise. */
    public static final String DEFAULT_SCHEDULER = "fifo";

    private final String name;
    private final NanoClock clock;
    private final ThreadingMode threadingMode;
    private final String scheduler;
    private final long egressRateBitsPerSecond;
    private final IdleStrategy idleStrategy;
    private final KernelOffload kernelOffload;

    private EngineConfig(Builder b) {
        this.name = b.name;
        this.clock = b.clock;
        this.threadingMode = b.threadingMode;
        this.scheduler = b.scheduler;
        this.egressRateBitsPerSecond = b.egressRateBitsPerSecond;
        this.idleStrategy = b.idleStrategy;
        this.kernelOffload = b.kernelOffload;
    }

    /** @return a builder with the defaults: system clock, AGENT mode, "fifo", unlimited egress */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the engine's name, used for its thread */
    public String name() {
        return name;
    }

    /** @return the clock every timer, deadline and pace of the engine reads */
    public NanoClock clock() {
        return clock;
    }

    /** @return who drives the duty cycle */
    public ThreadingMode threadingMode() {
        return threadingMode;
    }

    /** @return the name of the scheduler discipline every socket of the engine shares */
    public String scheduler() {
        return scheduler;
    }

    /**
     * @return the egress rate in bits per second that all sockets of the engine share (the
     *     device's capacity, counting IP and UDP headers), or 0 for unlimited
     */
    public long egressRateBitsPerSecond() {
        return egressRateBitsPerSecond;
    }

    /** @return how the engine thread waits when idle */
    public IdleStrategy idleStrategy() {
        return idleStrategy;
    }

    /**
     * @return where the engine hands per-socket scheduling to the kernel (Linux traffic control),
     *     or null for the user-level path only
     */
    public KernelOffload kernelOffload() {
        return kernelOffload;
    }

    @Override
    public String toString() {
        return "EngineConfig[name=" + name + ", mode=" + threadingMode + ", scheduler=" + scheduler
                + ", egressRate=" + (egressRateBitsPerSecond == 0 ? "unlimited" : egressRateBitsPerSecond + " bit/s")
                + ", idle=" + idleStrategy + (kernelOffload == null ? "" : ", kernel=" + kernelOffload) + "]";
    }

    /** Builds an {@link EngineConfig}; not thread-safe. */
    public static final class Builder {
        private String name = "qsockets-engine";
        private NanoClock clock = NanoClock.system();
        private ThreadingMode threadingMode = ThreadingMode.AGENT;
        private String scheduler = DEFAULT_SCHEDULER;
        private long egressRateBitsPerSecond;
        private IdleStrategy idleStrategy = IdleStrategy.defaultStrategy();
        private KernelOffload kernelOffload;

        private Builder() {
        }

        /** @param value a non-empty name */
        public Builder name(String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("engine name '" + value + "' must be non-empty");
            }
            name = value;
            return this;
        }

        /** @param value the clock; not null */
        public Builder clock(NanoClock value) {
            clock = Objects.requireNonNull(value, "clock must not be null");
            return this;
        }

        /** @param value AGENT (own thread) or INVOKER (caller drives {@link Engine#doWork()}) */
        public Builder threadingMode(ThreadingMode value) {
            threadingMode = Objects.requireNonNull(value, "threading mode must not be null");
            return this;
        }

        /** @param value a scheduler name from {@link QSockets#schedulers()} */
        public Builder scheduler(String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("scheduler name '" + value + "' must be non-empty");
            }
            scheduler = value;
            return this;
        }

        /** @param bitsPerSecond the shared egress rate, positive, or 0 for unlimited */
        public Builder egressRate(long bitsPerSecond) {
            if (bitsPerSecond < 0) {
                throw new IllegalArgumentException(
                        "egress rate " + bitsPerSecond + " bit/s must be > 0, or 0 for unlimited");
            }
            egressRateBitsPerSecond = bitsPerSecond;
            return this;
        }

        /** @param value the idle strategy; not null */
        public Builder idleStrategy(IdleStrategy value) {
            idleStrategy = Objects.requireNonNull(value, "idle strategy must not be null");
            return this;
        }

        /**
         * @param value where to hand per-socket scheduling to the kernel, or null (the default)
         *     for the user-level path only; {@link QSockets#init(EngineConfig)} then throws a
         *     {@link KernelOffloadException} if the kernel path is unavailable
         */
        public Builder kernelOffload(KernelOffload value) {
            kernelOffload = value;
            return this;
        }

        /** @return the validated configuration */
        public EngineConfig build() {
            return new EngineConfig(this);
        }
    }
}
