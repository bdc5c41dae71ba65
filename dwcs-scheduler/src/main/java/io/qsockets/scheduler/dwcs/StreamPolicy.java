package io.qsockets.scheduler.dwcs;

import io.qsockets.DwcsAttributes;
import io.qsockets.PacketFlags;
import io.qsockets.SchedulerAttributes;

/**
 * A stream's attributes as the DWCS and EDF disciplines read them. Built from
 * {@link DwcsAttributes}, or from period-only {@link SchedulerAttributes.Paced} (what
 * {@code SchedulerAttributes.paced/rate/unpaced} make, and the default of {@code QosParams}),
 * which means {@code x/y = 0/1} and {@link DwcsAttributes.Flag#LOSSLESS}: paced, no loss
 * tolerated, and nothing dropped that the application did not allow to be dropped. Windows are
 * limited to {@code y ≤ 2^26} deadlines (see {@link Precedence}).
 *
 * <p>Immutable.
 *
 * @param periodNanos the request period {@code T}; 0 for none (only per-packet deadlines count)
 * @param x the loss numerator
 * @param y the loss denominator
 * @param lossless whether late packets are kept and sent late rather than dropped
 * @param nonDroppable whether no packet of the stream is ever dropped
 * @param workConserving whether packets may leave before their request period begins
 * @param periodOnly whether the attributes gave only a period (no DwcsAttributes)
 */
record StreamPolicy(long periodNanos, int x, int y, boolean lossless, boolean nonDroppable,
        boolean workConserving, boolean periodOnly) {

    /**
     * @param attributes what the application gave
     * @param discipline the discipline's name, for messages
     * @return the policy
     * @throws IllegalArgumentException naming the type if it is neither accepted kind
     */
    static StreamPolicy of(SchedulerAttributes attributes, String discipline) {
        if (attributes == null) {
            throw new IllegalArgumentException("scheduler attributes must not be null");
        }
        if (attributes instanceof DwcsAttributes d) {
            if (d.lossDenominator() > Precedence.MAX_EXACT_DENOMINATOR) {
                throw new IllegalArgumentException("loss denominator y = " + d.lossDenominator() + " is above "
                        + Precedence.MAX_EXACT_DENOMINATOR + ", the largest window the '" + discipline
                        + "' scheduler orders exactly");
            }
            return new StreamPolicy(d.periodNanos(), d.lossNumerator(), d.lossDenominator(),
                    d.has(DwcsAttributes.Flag.LOSSLESS), d.has(DwcsAttributes.Flag.NON_DROPPABLE),
                    d.has(DwcsAttributes.Flag.WORK_CONSERVING), false);
        }
        if (attributes instanceof SchedulerAttributes.Paced p) {
            return new StreamPolicy(p.periodNanos(), 0, 1, true, false, false, true);
        }
        throw new IllegalArgumentException("the '" + discipline + "' scheduler accepts DwcsAttributes or period-only "
                + "attributes (SchedulerAttributes.paced, rate or unpaced), not " + attributes.getClass().getName()
                + ": " + attributes);
    }

    /**
     * Checks per-datagram flags for the DWCS and EDF disciplines: they honour every flag a
     * scheduler sees (deadline, non-droppable, drop priority, frame, priority).
     *
     * @throws IllegalArgumentException if {@code flags} is null
     */
    static void validate(PacketFlags flags, String discipline) {
        if (flags == null) {
            throw new IllegalArgumentException("flags for the '" + discipline + "' scheduler must not be null");
        }
    }

    /** @return whether the stream has a request period, so every packet has a deadline */
    boolean periodic() {
        return periodNanos > 0;
    }

    /** @return whether packets wait for the start of their request period */
    boolean paced() {
        return periodNanos > 0 && !workConserving;
    }

    /** @return whether packets of the stream that miss its period may be dropped (before per-packet flags) */
    boolean dropsLate() {
        return !lossless && !nonDroppable;
    }

    /**
     * @return whether packets that miss their own deadline may be dropped (before per-packet flags):
     *     a deadline says how long a datagram is useful, so unless the application asked for late
     *     datagrams to be sent (LOSSLESS) or kept (NON_DROPPABLE) it goes. Period-only attributes
     *     keep a stream's data when it falls behind its period, but do not ask for useless data.
     */
    boolean dropsOwnLate() {
        return (!lossless || periodOnly) && !nonDroppable;
    }
}
