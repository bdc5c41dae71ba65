package io.qsockets.scheduler.common;

import io.qsockets.spi.ScheduledPacket;

/**
 * A FIFO of packets linked through {@link ScheduledPacket#schedulerNext()}: O(1) at both ends,
 * no allocation. Not thread-safe.
 */
public final class PacketList {
    private ScheduledPacket head;
    private ScheduledPacket tail;
    private int size;

    /** Appends {@code packet}. */
    public void addLast(ScheduledPacket packet) {
        packet.schedulerNext(null);
        if (tail == null) {
            head = packet;
        } else {
            tail.schedulerNext(packet);
        }
        tail = packet;
        size++;
    }

    /**
     * Inserts {@code packet} after {@code previous}, which must be in this list, or first if
     * {@code previous} is null.
     */
    public void insertAfter(ScheduledPacket previous, ScheduledPacket packet) {
        if (previous == null) {
            packet.schedulerNext(head);
            head = packet;
            if (tail == null) {
                tail = packet;
            }
        } else {
            packet.schedulerNext(previous.schedulerNext());
            previous.schedulerNext(packet);
            if (tail == previous) {
                tail = packet;
            }
        }
        size++;
    }

    /** @return the last packet, or null */
    public ScheduledPacket peekLast() {
        return tail;
    }

    /** @return the first packet, or null */
    public ScheduledPacket peek() {
        return head;
    }

    /** @return the first packet, unlinked, or null */
    public ScheduledPacket poll() {
        ScheduledPacket p = head;
        if (p != null) {
            head = p.schedulerNext();
            if (head == null) {
                tail = null;
            }
            p.schedulerNext(null);
            size--;
        }
        return p;
    }

    /**
     * Unlinks the packet after {@code previous}, which must be in this list, or the first if
     * {@code previous} is null.
     *
     * @return the packet unlinked, or null if there was none
     */
    public ScheduledPacket removeAfter(ScheduledPacket previous) {
        if (previous == null) {
            return poll();
        }
        ScheduledPacket p = previous.schedulerNext();
        if (p != null) {
            previous.schedulerNext(p.schedulerNext());
            if (tail == p) {
                tail = previous;
            }
            p.schedulerNext(null);
            size--;
        }
        return p;
    }

    /** Moves every packet of {@code other}, in order, to the front of this list; O(1). */
    public void prependAll(PacketList other) {
        if (other.head == null) {
            return;
        }
        other.tail.schedulerNext(head);
        if (tail == null) {
            tail = other.tail;
        }
        head = other.head;
        size += other.size;
        other.head = null;
        other.tail = null;
        other.size = 0;
    }

    /** @return the number of packets */
    public int size() {
        return size;
    }

    /** @return whether the list is empty */
    public boolean isEmpty() {
        return head == null;
    }
}
