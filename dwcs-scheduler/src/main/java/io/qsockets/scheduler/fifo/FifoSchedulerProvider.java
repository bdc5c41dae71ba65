package io.qsockets.scheduler.fifo;

import io.qsockets.DwcsAttributes;
import io.qsockets.PacketFlags;
import io.qsockets.SchedulerAttributes;
import io.qsockets.Transport;
import io.qsockets.spi.PacketScheduler;
import io.qsockets.spi.PacketSchedulerProvider;
import io.qsockets.spi.SchedulerContext;
import java.util.Objects;

/**
 * The "fifo" discipline: first come, first served per socket, each socket paced to its period;
 * datagrams whose deadline passed or that waited longer than the socket's maximum queue delay are
 * dropped instead of sent.
 */
public final class FifoSchedulerProvider implements PacketSchedulerProvider {
    /** The discipline's name. */
    public static final String NAME = "fifo";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "first come, first served; each socket paced to one datagram per period; late datagrams dropped";
    }

    @Override
    public void validate(SchedulerAttributes attributes) {
        Objects.requireNonNull(attributes, "scheduler attributes must not be null");
        if (attributes instanceof DwcsAttributes d) {
            throw new IllegalArgumentException("the 'fifo' scheduler honours only a period, not the loss tolerance "
                    + d.lossNumerator() + "/" + d.lossDenominator() + (d.flags().isEmpty() ? "" : " and flags "
                    + d.flags()) + " of DwcsAttributes: use scheduler 'dwcs' (or name no scheduler), or "
                    + "SchedulerAttributes.paced/rate for a period only");
        }
        if (attributes.periodNanos() < 0) {
            throw new IllegalArgumentException("period " + attributes.periodNanos() + " ns must be >= 0");
        }
    }

    /**
     * Honours a deadline (a datagram whose deadline passes while it waits is dropped, unless
     * non-droppable), non-droppable and frames (the rest of a frame that lost a datagram is dropped);
     * refuses a drop priority (FIFO never chooses which datagram to lose) and, on the UDP transport,
     * a priority (FIFO serves in order of arrival).
     */
    @Override
    public void validate(PacketFlags flags, Transport transport) {
        Objects.requireNonNull(flags, "flags must not be null");
        if (flags.dropPriority() != 0) {
            throw new IllegalArgumentException("the 'fifo' scheduler cannot honour drop priority " + flags.dropPriority()
                    + ": it never chooses which datagram to lose; 'dwcs' and 'edf' drop the lowest drop priority first");
        }
        if (flags.priority() != 0 && transport != Transport.DCCP) {
            throw new IllegalArgumentException("the 'fifo' scheduler cannot honour priority " + flags.priority()
                    + ": it sends in order of arrival; 'dwcs' and 'edf' serve higher priorities first (and on "
                    + "Transport.DCCP the send window does, whatever the scheduler)");
        }
    }

    @Override
    public PacketScheduler create(SchedulerContext context) {
        return new FifoScheduler(context);
    }
}
