package io.qsockets.scheduler.dwcs;

import io.qsockets.PacketFlags;
import io.qsockets.SchedulerAttributes;
import io.qsockets.Transport;
import io.qsockets.spi.PacketScheduler;
import io.qsockets.spi.PacketSchedulerProvider;
import io.qsockets.spi.SchedulerContext;

/**
 * The "edf" discipline: earliest deadline first on per-packet deadlines (and on each stream's
 * periods, if it has one), ties by packet priority then arrival; late packets are dropped (LOSSY)
 * or sent late (LOSSLESS) as the stream's flags say. The same engine as "dwcs" without the window
 * constraints in the order (they are still tracked for statistics).
 *
 * <p>Accepts the same attributes as {@link DwcsSchedulerProvider}. Thread-safe and stateless.
 */
public final class EdfSchedulerProvider implements PacketSchedulerProvider {
    /** The discipline's name. */
    public static final String NAME = "edf";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "earliest deadline first on per-packet deadlines; late packets dropped (lossy) or sent (lossless)";
    }

    @Override
    public void validate(SchedulerAttributes attributes) {
        StreamPolicy policy = StreamPolicy.of(attributes, NAME);
        if (policy.x() > 0 && policy.x() < policy.y()) {
            throw new IllegalArgumentException("the 'edf' scheduler orders by deadline only and cannot honour the loss "
                    + "tolerance " + policy.x() + "/" + policy.y() + ": use scheduler 'dwcs', or a tolerance of all "
                    + "or nothing (x = 0 or x = y)");
        }
    }

    /**
     * Honours every flag: deadlines, non-droppable, frames, priority, and drop priority (when a
     * stream must lose a unit — a lossy miss of its period, or a full queue under
     * {@code BackPressure.DROP} — the lowest drop priority goes first).
     */
    @Override
    public void validate(PacketFlags flags, Transport transport) {
        StreamPolicy.validate(flags, NAME);
    }

    @Override
    public PacketScheduler create(SchedulerContext context) {
        return new DwcsScheduler(context, NAME, Precedence.EDF);
    }
}
