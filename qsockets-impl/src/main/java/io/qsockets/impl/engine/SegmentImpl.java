package io.qsockets.impl.engine;

import io.qsockets.Segment;
import io.qsockets.SegmentState;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The handle of one submitted datagram. Application threads cancel, update and relax it; the
 * engine thread binds its content at transmit time (late binding) and settles its outcome. On the
 * DCCP transport it stays updatable while it is {@link SegmentState#SENT_UNACKED}: each update is
 * a new revision, which the send window retransmits so that the peer ends with the latest
 * content. The state and the content are guarded by the handle's monitor, held only for a copy.
 */
final class SegmentImpl implements Segment {
    /** The most revisions a segment carries (the payload header's 16-bit field). */
    static final int MAX_REVISION = 0xFFFF;
    private final long id;
    private final long submittedNanos;
    private final CompletableFuture<SegmentState> outcome = new CompletableFuture<>();
    private SegmentState state;
    private OutboundPacket packet;
    private int length;
    /** Volatile: the scheduler reads it (a relaxed deadline keeps a datagram from being dropped late). */
    private volatile long deadlineNanos;
    private int attempts;
    private int revision;
    private long lastTransmitNanos = -1;

    SegmentImpl(long id, long submittedNanos, int length, long deadlineNanos) {
        this.id = id;
        this.submittedNanos = submittedNanos;
        this.length = length;
        this.deadlineNanos = deadlineNanos;
        this.state = SegmentState.QUEUED;
    }

    static SegmentImpl dropped(long id, long now, int length) {
        SegmentImpl s = new SegmentImpl(id, now, length, OutboundPacket.NO_DEADLINE);
        s.settle(SegmentState.DROPPED);
        return s;
    }

    synchronized void attach(OutboundPacket p) {
        packet = p;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public synchronized SegmentState state() {
        return state;
    }

    @Override
    public CompletionStage<SegmentState> outcome() {
        return outcome.minimalCompletionStage();
    }

    @Override
    public synchronized int attempts() {
        return attempts;
    }

    @Override
    public synchronized int length() {
        return length;
    }

    @Override
    public long submittedNanos() {
        return submittedNanos;
    }

    @Override
    public synchronized long lastTransmitNanos() {
        return lastTransmitNanos;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    /** @return the revision of the current content: 0, plus one per update after a transmission */
    synchronized int revision() {
        return revision;
    }

    @Override
    public boolean cancel() {
        return settle(SegmentState.CANCELLED);
    }

    @Override
    public boolean update(byte[] content) {
        if (content == null) {
            throw new NullPointerException("content must not be null");
        }
        synchronized (this) {
            if (content.length > length) {
                throw new IllegalArgumentException("updated content of " + content.length
                        + " bytes is larger than the segment's " + length + " bytes");
            }
            boolean updatable = state == SegmentState.QUEUED
                    || state == SegmentState.SENT_UNACKED && revision < MAX_REVISION;
            if (!updatable || packet == null) {
                return false;
            }
            System.arraycopy(content, 0, packet.data, 0, content.length);
            packet.length = content.length;
            length = content.length;
            if (state == SegmentState.SENT_UNACKED) {
                revision++; // before the first transmission the content is still revision 0
            }
            return true;
        }
    }

    @Override
    public boolean relaxDeadline(Duration deadline) {
        if (deadline == null || deadline.isZero() || deadline.isNegative()
                || deadline.compareTo(io.qsockets.PacketFlags.MAX_DEADLINE) > 0) {
            throw new IllegalArgumentException("deadline " + deadline + " must be a positive duration, at most "
                    + io.qsockets.PacketFlags.MAX_DEADLINE);
        }
        synchronized (this) {
            if (state.isTerminal()) {
                return false;
            }
            deadlineNanos = submittedNanos + deadline.toNanos();
            return true;
        }
    }

    /**
     * Engine thread: copies the current content into {@code out} if the segment is still queued.
     *
     * @return false if the segment was cancelled meanwhile
     */
    synchronized boolean bindContent(OutboundPacket p, ByteBuffer out) {
        if (state != SegmentState.QUEUED) {
            return false;
        }
        out.put(p.data, 0, p.length);
        return true;
    }

    /**
     * Engine thread, DCCP transport: copies the current content into {@code out} unless the
     * segment is final.
     *
     * @return the revision copied, or -1 if the segment is final (cancelled meanwhile)
     */
    synchronized int bindRevision(OutboundPacket p, ByteBuffer out) {
        if (state.isTerminal()) {
            return -1;
        }
        out.put(p.data, 0, p.length);
        return revision;
    }

    /** Engine thread, DCCP transport: a transmission left at {@code now}; an acknowledgement is awaited. */
    synchronized void transmittedUnacked(long now) {
        if (state.isTerminal()) {
            return;
        }
        attempts++;
        lastTransmitNanos = now;
        state = SegmentState.SENT_UNACKED;
    }

    /**
     * Engine thread, DCCP transport: the peer acknowledged a transmission of {@code acked}.
     *
     * @return true if the segment is now ACKED; false if an update made that revision stale or the
     *     segment was already final
     */
    boolean acknowledge(int acked) {
        synchronized (this) {
            if (state.isTerminal() || acked != revision) {
                return false;
            }
            state = SegmentState.ACKED;
            packet = null;
        }
        outcome.complete(SegmentState.ACKED);
        return true;
    }

    /** Engine thread: the datagram left at {@code now} on a transport without acknowledgements. */
    void transmitted(long now) {
        synchronized (this) {
            attempts++;
            lastTransmitNanos = now;
        }
        settle(SegmentState.SENT);
    }

    /** Moves to a final state unless already final; completes the outcome. */
    boolean settle(SegmentState finalState) {
        synchronized (this) {
            if (state.isTerminal()) {
                return false;
            }
            state = finalState;
            packet = null;
        }
        outcome.complete(finalState);
        return true;
    }
}
