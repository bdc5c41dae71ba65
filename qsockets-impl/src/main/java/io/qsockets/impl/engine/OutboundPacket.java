package io.qsockets.impl.engine;

import io.qsockets.PacketFlags;
import io.qsockets.spi.ScheduledPacket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A submitted datagram on its way through the scheduler: a copy of the payload, its target and
 * flags. Pooled: an application thread fills it, the engine thread owns it from the moment it is
 * queued until it is recycled.
 */
final class OutboundPacket implements ScheduledPacket {
    Endpoint endpoint;
    SegmentImpl segment;
    byte[] data = new byte[2048];
    int length;
    InetSocketAddress target;
    long submittedNanos;
    long deadlineNanos;
    /** When the datagram has waited longer than its socket's maximum queue delay, or NO_DEADLINE. */
    long staleNanos;
    PacketFlags flags;
    long sequence;
    /** The id the payload header carries on the DCCP transport (the handle's id when there is one). */
    long segmentId;
    /** Transmissions so far on the DCCP transport; engine thread. */
    int attempts;
    /**
     * Whether the datagram holds one of its socket's send-queue permits, returned when it leaves.
     * One that found the queue full under DROP holds none until a queued one makes room for it.
     */
    boolean holdsPermit = true;
    private ScheduledPacket next;
    private WindowRecord record;

    void fill(Endpoint endpoint, byte[] src, int offset, int len, InetSocketAddress target, PacketFlags flags,
            long now, SegmentImpl segment) {
        if (data.length < len) {
            data = new byte[capacityFor(len)];
        }
        System.arraycopy(src, offset, data, 0, len);
        fill(endpoint, len, target, flags, now, segment);
    }

    void fill(Endpoint endpoint, ByteBuffer src, InetSocketAddress target, PacketFlags flags, long now,
            SegmentImpl segment) {
        int len = src.remaining();
        if (data.length < len) {
            data = new byte[capacityFor(len)];
        }
        src.get(data, 0, len);
        fill(endpoint, len, target, flags, now, segment);
    }

    private void fill(Endpoint endpoint, int len, InetSocketAddress target, PacketFlags flags, long now,
            SegmentImpl segment) {
        this.endpoint = endpoint;
        this.length = len;
        this.target = target;
        this.flags = flags;
        this.submittedNanos = now;
        this.deadlineNanos = flags.hasDeadline() ? now + flags.deadlineNanos() : NO_DEADLINE;
        this.staleNanos = endpoint.staleAfter(now);
        this.segment = segment;
        this.segmentId = 0;
        this.attempts = 0;
        this.next = null;
    }

    /** @return the least power of two that holds {@code len} bytes */
    static int capacityFor(int len) {
        return len <= 1 ? 1 : Integer.highestOneBit(len - 1) << 1;
    }

    /** @return this datagram as the DCCP send window sees it, ready for a new datagram */
    WindowRecord windowRecord() {
        if (record == null) {
            record = new WindowRecord(this);
        }
        return record;
    }

    void clear() {
        if (record != null) {
            record.reset();
        }
        holdsPermit = true;
        endpoint = null;
        segment = null;
        target = null;
        flags = null;
        next = null;
    }

    @Override
    public int streamId() {
        return endpoint.streamId();
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public long submittedNanos() {
        return submittedNanos;
    }

    /** @return the deadline: the handle's, which {@link SegmentImpl#relaxDeadline} may have moved, or the send's */
    @Override
    public long deadlineNanos() {
        SegmentImpl s = segment;
        return s != null ? s.deadlineNanos() : deadlineNanos;
    }

    @Override
    public long staleNanos() {
        return staleNanos;
    }

    /** @return whether the datagram has waited too long at {@code now} and may be dropped for it */
    boolean isStale(long now) {
        return now > staleNanos && !flags.nonDroppable();
    }

    @Override
    public PacketFlags flags() {
        return flags;
    }

    @Override
    public long sequence() {
        return sequence;
    }

    @Override
    public ScheduledPacket schedulerNext() {
        return next;
    }

    @Override
    public void schedulerNext(ScheduledPacket next) {
        this.next = next;
    }
}
