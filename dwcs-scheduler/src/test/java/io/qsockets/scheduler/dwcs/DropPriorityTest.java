package io.qsockets.scheduler.dwcs;

import static io.qsockets.scheduler.dwcs.Harness.attrs;
import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.PacketFlags;
import io.qsockets.scheduler.common.LossOrder;
import io.qsockets.scheduler.common.PacketList;
import io.qsockets.spi.ScheduledPacket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * When a stream must lose a unit, the lowest drop priority goes first: on a lossy miss of its
 * period and when a datagram of higher rank finds the send queue full. Frames are lost whole or
 * not at all; non-droppable data is never chosen.
 */
@Timeout(10)
class DropPriorityTest {

    private static PacketFlags dp(int dropPriority) {
        return PacketFlags.builder().dropPriority(dropPriority).build();
    }

    @Test
    void aLossyMissOfThePeriodLosesTheLeastValuedUnitNotTheHead() {
        // 1/4, T=10, LOSSY; p0 (dp 5), p1 (dp 0), p2 (dp 5) at 0 → deadlines 10, 20, 30. Asked
        // first at 15: p0 missed its period; the stream loses p1 (the lowest drop priority) and p0
        // takes the next period [10, 20]: it leaves at 15.
        Harness h = Harness.dwcs().stream(0, attrs(10, 1, 4));
        h.submit("p0", 0, 0, dp(5));
        h.submit("p1", 0, 0, dp(0));
        h.submit("p2", 0, 0, dp(5));
        assertThat(h.next(15)).isEqualTo("p0");
        assertThat(h.drops).containsExactly("p1:LOSS_TOLERANCE");
        assertThat(h.run(19, 20)).containsExactly("-", "p2");
    }

    @Test
    void onEqualDropPrioritiesTheLateHeadGoes() {
        Harness h = Harness.dwcs().stream(0, attrs(10, 1, 4));
        h.submit("p0", 0, 0, dp(3));
        h.submit("p1", 0, 0, dp(3));
        assertThat(h.next(15)).isEqualTo("p1");
        assertThat(h.drops).containsExactly("p0:LATE");
    }

    @Test
    void aLateDatagramWithItsOwnDeadlineIsUselessWhateverItsDropPriority() {
        // EDF, no period: p0's own deadline (5) passes; a lower drop priority behind it does not save it
        Harness h = Harness.edf().stream(0, attrs(0, 0, 1));
        h.submit("p0", 0, 0, PacketFlags.builder().dropPriority(9).deadline(java.time.Duration.ofNanos(5)).build());
        h.submit("p1", 0, 0, PacketFlags.builder().dropPriority(0).deadline(java.time.Duration.ofNanos(50)).build());
        assertThat(h.next(10)).isEqualTo("p1");
        assertThat(h.drops).containsExactly("p0:LATE");
    }

    @Test
    void evictionMakesRoomFromTheLeastValuedWholeUnitOldestFirst() {
        Harness h = Harness.dwcs().stream(0, attrs(10, 1, 4));
        h.submit("a", 0, 0, dp(4));
        h.submit("b", 0, 0, dp(1));
        h.submit("c", 0, 0, dp(1));
        h.submit("d", 0, 0, dp(4));
        assertThat(h.scheduler.evict(0, 3, 0)).isEqualTo(1);
        assertThat(h.drops).containsExactly("b:OVERFLOW");
        assertThat(h.scheduler.evict(0, 1, 0)).as("nothing ranks below 1 but c... which ranks 1").isZero();
        assertThat(h.scheduler.evict(0, LossOrder.NON_DROPPABLE, 0)).isEqualTo(1);
        assertThat(h.drops).containsExactly("b:OVERFLOW", "c:OVERFLOW");
        assertThat(h.scheduler.size()).isEqualTo(2);
        assertThat(h.run(0, 10)).containsExactly("a", "d");
    }

    @Test
    void evictionTakesAWholeFrameAndNeverOneThatHasStartedToLeave() {
        Harness h = Harness.dwcs().stream(0, attrs(0, 0, 1));
        h.submit("f1a", 0, 0, PacketFlags.builder().frame(1, true, false).build());
        h.submit("f1b", 0, 0, PacketFlags.builder().frame(1, false, true).build());
        h.submit("f2a", 0, 0, PacketFlags.builder().frame(2, true, false).dropPriority(2).build());
        h.submit("f2b", 0, 0, PacketFlags.builder().frame(2, false, true).dropPriority(2).build());
        assertThat(h.next(0)).isEqualTo("f1a"); // frame 1 has started to leave: not a whole unit any more
        assertThat(h.scheduler.evict(0, 5, 0)).isEqualTo(2);
        assertThat(h.drops).containsExactly("f2a:OVERFLOW", "f2b:OVERFLOW");
        assertThat(h.next(0)).isEqualTo("f1b");
    }

    @Test
    void lossOrderSkipsNonDroppableDataAndFramesStillArriving() {
        PacketList q = new PacketList();
        List<TestPacket> all = new ArrayList<>();
        String[] names = {"key", "open1", "open2"};
        PacketFlags[] flags = {PacketFlags.builder().nonDroppable(true).build(),
            PacketFlags.builder().frame(4, true, false).build(), PacketFlags.builder().frame(4, false, false).build()};
        for (int i = 0; i < names.length; i++) {
            TestPacket p = new TestPacket(names[i], 0, 0, ScheduledPacket.NO_DEADLINE, flags[i], i);
            all.add(p);
            q.addLast(p);
        }
        LossOrder order = new LossOrder();
        // the key datagram is never chosen; the frame at the tail has no last datagram yet
        assertThat(order.find(q, false, LossOrder.NON_DROPPABLE, p -> p.flags().nonDroppable())).isFalse();
        TestPacket end = new TestPacket("open3", 0, 0, ScheduledPacket.NO_DEADLINE,
                PacketFlags.builder().frame(4, false, true).build(), 3);
        q.addLast(end);
        assertThat(order.find(q, false, LossOrder.NON_DROPPABLE, p -> p.flags().nonDroppable())).isTrue();
        assertThat(order.first()).isSameAs(all.get(1));
        List<String> removed = new ArrayList<>();
        assertThat(order.remove(q, p -> removed.add(((TestPacket) p).name))).isEqualTo(3);
        assertThat(removed).containsExactly("open1", "open2", "open3");
        assertThat(q.size()).isEqualTo(1);
        assertThat(q.peekLast()).isSameAs(all.get(0));
    }
}
