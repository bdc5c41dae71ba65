package io.qsockets.impl.engine;

import io.qsockets.PacketFlags;
import io.qsockets.SegmentState;
import io.qsockets.impl.sendqueue.SegmentRecord;
import java.nio.ByteBuffer;

/**
 * A queued datagram as the DCCP send window sees it. One lives with each pooled
 * {@link OutboundPacket}, so entering the window allocates nothing. With a {@link SegmentImpl}
 * handle the state, revision and deadline are the handle's (the application may update, cancel
 * or relax it); a plain send without a handle keeps its state here, on the engine thread.
 *
 * <p>A datagram is retransmitted until acknowledged when its flags say {@code reliable} or
 * {@code nonDroppable} (key data is never given up); otherwise its deadline, grace period and
 * attempt limit apply.
 */
final class WindowRecord implements SegmentRecord {
    private final OutboundPacket packet;
    /** State of a plain send (no handle); engine thread. */
    private SegmentState plainState = SegmentState.QUEUED;

    WindowRecord(OutboundPacket packet) {
        this.packet = packet;
    }

    OutboundPacket packet() {
        return packet;
    }

    /** Engine thread: ready for a new datagram in the same pooled packet. */
    void reset() {
        plainState = SegmentState.QUEUED;
    }

    @Override
    public long id() {
        return packet.segmentId;
    }

    @Override
    public long submittedNanos() {
        return packet.submittedNanos;
    }

    @Override
    public long deadlineNanos() {
        SegmentImpl s = packet.segment;
        return s != null ? s.deadlineNanos() : packet.deadlineNanos;
    }

    @Override
    public long graceNanos() {
        long grace = packet.flags.graceNanos();
        return grace == PacketFlags.NO_GRACE ? NO_GRACE : grace;
    }

    @Override
    public int priority() {
        return packet.flags.priority();
    }

    @Override
    public int maxAttempts() {
        return packet.flags.maxAttempts();
    }

    @Override
    public boolean reliable() {
        PacketFlags f = packet.flags;
        return f.reliable() || f.nonDroppable() && f.maxAttempts() == PacketFlags.UNLIMITED_ATTEMPTS
                && f.graceNanos() == PacketFlags.NO_GRACE;
    }

    @Override
    public int revision() {
        SegmentImpl s = packet.segment;
        return s != null ? s.revision() : 0;
    }

    @Override
    public SegmentState state() {
        SegmentImpl s = packet.segment;
        return s != null ? s.state() : plainState;
    }

    @Override
    public int bindContent(ByteBuffer out) {
        SegmentImpl s = packet.segment;
        if (s != null) {
            int revision = s.bindRevision(packet, out);
            return revision < 0 ? NOT_BOUND : revision;
        }
        if (plainState.isTerminal()) {
            return NOT_BOUND;
        }
        out.put(packet.data, 0, packet.length);
        return 0;
    }

    @Override
    public void transmitted(int revision, long nowNanos) {
        SegmentImpl s = packet.segment;
        if (s != null) {
            s.transmittedUnacked(nowNanos);
        } else if (!plainState.isTerminal()) {
            plainState = SegmentState.SENT_UNACKED;
        }
    }

    @Override
    public boolean acknowledge(int revision) {
        SegmentImpl s = packet.segment;
        return s != null ? s.acknowledge(revision) : settlePlain(SegmentState.ACKED);
    }

    @Override
    public boolean settle(SegmentState finalState) {
        SegmentImpl s = packet.segment;
        return s != null ? s.settle(finalState) : settlePlain(finalState);
    }

    /** A plain send (one revision only) moves to {@code finalState} unless already final. */
    private boolean settlePlain(SegmentState finalState) {
        if (plainState.isTerminal()) {
            return false;
        }
        plainState = finalState;
        return true;
    }
}
