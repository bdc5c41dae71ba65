package io.qsockets.scheduler.dwcs;

import io.qsockets.PacketFlags;
import io.qsockets.SchedulerAttributes;
import io.qsockets.Transport;
import io.qsockets.spi.PacketScheduler;
import io.qsockets.spi.PacketSchedulerProvider;
import io.qsockets.spi.SchedulerContext;

/**
 * The "dwcs" discipline: Dynamic Window-Constrained Scheduling. Heads are ordered by deadline,
 * then by current window constraint {@code x'/y'} (DESIGN §6); late packets are dropped (LOSSY)
 * or sent late (LOSSLESS); per-packet deadlines, frames and non-droppable packets as in the
 * Q.Sockets extensions; packets without any deadline are served best effort.
 *
 * <p>Accepts {@link io.qsockets.DwcsAttributes}, and period-only attributes
 * ({@link SchedulerAttributes#paced}, {@link SchedulerAttributes#rate},
 * {@link SchedulerAttributes#unpaced}), read as {@code x/y = 0/1}, LOSSLESS.
 *
 * <p>Thread-safe and stateless.
 */
public final class DwcsSchedulerProvider implements PacketSchedulerProvider {
    /** The discipline's name. */
    public static final String NAME = "dwcs";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "dynamic window-constrained scheduling: deadlines, then loss tolerance x/y; per-packet deadlines, "
                + "frames, best effort";
    }

    @Override
    public void validate(SchedulerAttributes attributes) {
        StreamPolicy.of(attributes, NAME);
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
        return new DwcsScheduler(context, NAME, Precedence.DWCS);
    }
}
