package io.qsockets.scheduler.dwcs;

import io.qsockets.PacketFlags;
import io.qsockets.spi.ScheduledPacket;

/**
 * The frame a queue is in the middle of: its first packet has left and its last has not. The
 * rest of that frame belongs to the same scheduling unit: it shares the frame's deadline and
 * ordering keys, does not count against the window again, and is not paced.
 *
 * <p>A packet opens a frame if it has a frame id and no last mark; the frame closes when a packet
 * with the last mark leaves, or when the queue's head turns out to be something else (a packet
 * with another frame id, a first mark, or none). Not thread-safe (engine thread).
 */
final class FrameCursor {
    private long open = PacketFlags.NO_FRAME;
    /** The open frame's deadline (the unit's), its first packet's sequence and priority. */
    long deadline;
    long sequence;
    int priority;

    /** @return whether {@code p} continues the open frame */
    boolean continues(ScheduledPacket p) {
        PacketFlags f = p.flags();
        return open != PacketFlags.NO_FRAME && f.frameId() == open && !f.frameStart();
    }

    /** @return whether a frame is open */
    boolean isOpen() {
        return open != PacketFlags.NO_FRAME;
    }

    /** {@code p}, the first packet of a unit, left; opens its frame if it has more packets to come. */
    void unitLeft(ScheduledPacket p, long unitDeadline, long unitSequence, int unitPriority) {
        PacketFlags f = p.flags();
        if (f.frameId() != PacketFlags.NO_FRAME && !f.frameEnd()) {
            open = f.frameId();
            deadline = unitDeadline;
            sequence = unitSequence;
            priority = unitPriority;
        } else {
            open = PacketFlags.NO_FRAME;
        }
    }

    /** {@code p}, a continuation, left; closes the frame at its last packet. */
    void continuationLeft(ScheduledPacket p) {
        if (p.flags().frameEnd()) {
            open = PacketFlags.NO_FRAME;
        }
    }

    /** Closes the frame, if one is open. */
    void close() {
        open = PacketFlags.NO_FRAME;
    }
}
