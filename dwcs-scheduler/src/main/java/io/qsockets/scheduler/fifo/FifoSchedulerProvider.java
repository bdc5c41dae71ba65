package io.qsockets.scheduler.fifo;

import io.qsockets.SchedulerAttributes;
import io.qsockets.spi.PacketScheduler;
import io.qsockets.spi.PacketSchedulerProvider;
import io.qsockets.spi.SchedulerContext;
import java.util.Objects;

/** The "fifo" discipline: first come, first served per socket, each socket paced to its period. */
public final class FifoSchedulerProvider implements PacketSchedulerProvider {
    /** The discipline's name. */
    public static final String NAME = "fifo";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "first come, first served; each socket paced to one datagram per period";
    }

    @Override
    public void validate(SchedulerAttributes attributes) {
        Objects.requireNonNull(attributes, "scheduler attributes must not be null");
        if (attributes.periodNanos() < 0) {
            throw new IllegalArgumentException("period " + attributes.periodNanos() + " ns must be >= 0");
        }
    }

    @Override
    public PacketScheduler create(SchedulerContext context) {
        return new FifoScheduler(context);
    }
}
