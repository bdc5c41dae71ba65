package io.qsockets.scheduler.dwcs;

import io.qsockets.PacketFlags;
import io.qsockets.spi.ScheduledPacket;

/** A packet for scheduler tests: fixed fields, a name for readable assertions. */
final class TestPacket implements ScheduledPacket {
    final String name;
    private final int stream;
    private final long submitted;
    private final long deadline;
    private final PacketFlags flags;
    private final long sequence;
    private ScheduledPacket next;

    TestPacket(String name, int stream, long submitted, long deadline, PacketFlags flags, long sequence) {
        this.name = name;
        this.stream = stream;
        this.submitted = submitted;
        this.deadline = deadline;
        this.flags = flags;
        this.sequence = sequence;
    }

    @Override
    public int streamId() {
        return stream;
    }

    @Override
    public int length() {
        return 100;
    }

    @Override
    public long submittedNanos() {
        return submitted;
    }

    @Override
    public long deadlineNanos() {
        return deadline;
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

    @Override
    public String toString() {
        return name;
    }
}
