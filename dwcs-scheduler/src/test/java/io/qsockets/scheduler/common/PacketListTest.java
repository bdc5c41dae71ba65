package io.qsockets.scheduler.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.PacketFlags;
import io.qsockets.spi.ScheduledPacket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link PacketList}: FIFO, insertion after a packet, and moving a whole list to the front. */
@Timeout(10)
class PacketListTest {

    private static ScheduledPacket packet(long n) {
        return new ScheduledPacket() {
            private ScheduledPacket next;

            @Override
            public int streamId() {
                return 0;
            }

            @Override
            public int length() {
                return 1;
            }

            @Override
            public long submittedNanos() {
                return 0;
            }

            @Override
            public long deadlineNanos() {
                return NO_DEADLINE;
            }

            @Override
            public PacketFlags flags() {
                return PacketFlags.NONE;
            }

            @Override
            public long sequence() {
                return n;
            }

            @Override
            public ScheduledPacket schedulerNext() {
                return next;
            }

            @Override
            public void schedulerNext(ScheduledPacket next) {
                this.next = next;
            }
        };
    }

    private static List<Long> drain(PacketList list) {
        List<Long> out = new ArrayList<>();
        ScheduledPacket p;
        while ((p = list.poll()) != null) {
            out.add(p.sequence());
        }
        return out;
    }

    @Test
    void insertsAnywhereAndPrependsLists() {
        PacketList list = new PacketList();
        ScheduledPacket p1 = packet(1);
        ScheduledPacket p3 = packet(3);
        list.addLast(p1);
        list.addLast(p3);
        list.insertAfter(p1, packet(2));
        list.insertAfter(null, packet(0));
        list.insertAfter(p3, packet(4));
        assertThat(list.peekLast().sequence()).isEqualTo(4);
        list.addLast(packet(5));
        PacketList front = new PacketList();
        front.addLast(packet(-2));
        front.addLast(packet(-1));
        list.prependAll(front);
        assertThat(front.isEmpty()).isTrue();
        assertThat(list.size()).isEqualTo(8);
        assertThat(drain(list)).containsExactly(-2L, -1L, 0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(list.peekLast()).isNull();
        PacketList empty = new PacketList();
        PacketList two = new PacketList();
        two.addLast(packet(7));
        empty.prependAll(two);
        empty.addLast(packet(8));
        assertThat(drain(empty)).containsExactly(7L, 8L);
    }
}
