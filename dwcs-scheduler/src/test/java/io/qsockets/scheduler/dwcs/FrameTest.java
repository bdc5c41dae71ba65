package io.qsockets.scheduler.dwcs;

import static io.qsockets.scheduler.dwcs.Harness.attrs;
import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.PacketFlags;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Frames (the Q.Sockets extension): the packets of a frame share one deadline and one window
 * slot and leave back to back; when a packet of a droppable frame is dropped the rest of the
 * frame goes too; a non-droppable frame (an I-frame) is never dropped.
 */
@Timeout(10)
class FrameTest {

    private static PacketFlags part(long frame, boolean first, boolean last) {
        return PacketFlags.NONE.withFrame(frame, first, last);
    }

    private static PacketFlags iFrame(long frame, boolean first, boolean last) {
        return PacketFlags.builder().frame(frame, first, last).nonDroppable(true).build();
    }

    /** Submits frame {@code id} of {@code n} packets named {@code name + k} at {@code at}. */
    private static void frame(Harness h, String name, int stream, long at, long id, int n, boolean nonDroppable) {
        for (int k = 0; k < n; k++) {
            PacketFlags f = nonDroppable ? iFrame(id, k == 0, k == n - 1) : part(id, k == 0, k == n - 1);
            h.submit(name + k, stream, at, f);
        }
    }

    @Test
    void aFrameLeavesAsAGroupAndTakesOneDeadline() {
        // a (1/2) and b (1/2), T=10. a's 3-packet frame and b's packet, all due at 10, a first.
        // a's frame starts first (first come), then its rest goes before b although b's packet
        // came before a1 and a2. The frame is one unit: a's window moves once (1/2 → 1/1).
        // a's next frame is due at 20, and paced: it waits for 10.
        Harness h = Harness.dwcs().stream(0, attrs(10, 1, 2)).stream(1, attrs(10, 1, 2));
        h.submit("a0", 0, 0, part(1, true, false));
        h.submit("b0", 1, 0);
        h.submit("a1", 0, 0, part(1, false, false));
        h.submit("a2", 0, 0, part(1, false, true));
        frame(h, "A", 0, 0, 2, 2, false);
        assertThat(h.run(1, 2, 3, 4, 5)).containsExactly("a0", "a1", "a2", "b0", "-");
        assertThat(h.window(0)).isEqualTo("1/1");
        // frame 2 is a's second unit: 1/1 → 0/0 → reset 1/2
        assertThat(h.run(10, 11)).containsExactly("A0", "A1");
        assertThat(h.window(0)).isEqualTo("1/2");
        assertThat(h.stats(0).serviced()).isEqualTo(5);
    }

    @Test
    void aStartedFrameIsNotInterruptedByAnEarlierDeadline() {
        // a's frame (due 10) starts at 1; b's packet due at 3 arrives at 2: the frame goes on
        Harness h = Harness.dwcs().stream(0, attrs(10, 1, 2)).stream(1, attrs(0, 0, 1));
        frame(h, "a", 0, 0, 7, 3, false);
        assertThat(h.next(1)).isEqualTo("a0");
        h.submitDue("b", 1, 2, 3);
        assertThat(h.run(2, 3, 3)).containsExactly("a1", "a2", "b");
    }

    @Test
    void droppingAPacketOfAFrameDropsTheRestOfIt() {
        // LOSSY 1/2, T=10: frame 1 (3 packets, due 10) and frame 2 (2 packets, due 20) at 0.
        // Asked first at 15: frame 1's head is late → dropped, and the rest of frame 1 with it;
        // one miss (x' 1 → 0, y' 2 → 1). Frame 2 (due 20) leaves whole.
        Harness h = Harness.dwcs().stream(0, attrs(10, 1, 2));
        frame(h, "f", 0, 0, 1, 3, false);
        frame(h, "g", 0, 0, 2, 2, false);
        assertThat(h.run(15, 15, 15)).containsExactly("g0", "g1", "-");
        assertThat(h.drops).containsExactly("f0:LATE", "f1:FRAME_INCOMPLETE", "f2:FRAME_INCOMPLETE");
        assertThat(h.stats(0).missed()).isEqualTo(1);
        assertThat(h.stats(0).dropped()).isEqualTo(3);
    }

    @Test
    void theRestOfADroppedFrameIsDroppedAsItArrives() {
        // frame 1's first two packets are queued, its head misses and is dropped with them; its
        // last packet arrives afterwards and is dropped at once; the next frame is not
        Harness h = Harness.dwcs().stream(0, attrs(10, 1, 2));
        h.submit("f0", 0, 0, part(1, true, false));
        h.submit("f1", 0, 0, part(1, false, false));
        assertThat(h.next(11)).isEqualTo("-");
        h.submit("f2", 0, 12, part(1, false, true));
        h.submit("g0", 0, 12, part(2, true, true));
        assertThat(h.drops).containsExactly("f0:LATE", "f1:FRAME_INCOMPLETE", "f2:FRAME_INCOMPLETE");
        assertThat(h.next(12)).isEqualTo("g0");
    }

    @Test
    void aLateContinuationWithItsOwnDeadlineTakesTheRestOfTheFrame() {
        // EDF on per-packet deadlines, LOSSY: frame 3 = c0 (due 5), c1 (due 5), c2 (due 5).
        // c0 leaves at 4; asked again at 6, c1 is past its own deadline: dropped (LATE), c2 with it.
        Harness h = Harness.edf().stream(0, attrs(0, 1, 2));
        PacketFlags due5 = PacketFlags.NONE.withDeadline(Duration.ofNanos(5));
        h.submit("c0", 0, 0, due5.withFrame(3, true, false));
        h.submit("c1", 0, 0, due5.withFrame(3, false, false));
        h.submit("c2", 0, 0, due5.withFrame(3, false, true));
        assertThat(h.run(4, 6)).containsExactly("c0", "-");
        assertThat(h.drops).containsExactly("c1:LATE", "c2:FRAME_INCOMPLETE");
    }

    @Test
    void nonDroppableFramesAreNeverDropped() {
        // a video stream, LOSSY 1/2, T=10: a P-frame then an I-frame (non-droppable), 2 packets
        // each, at 0 → due 10 and 20. Asked first at 25: the P-frame is late and dropped whole
        // (a miss: 1/2 → 0/1); the I-frame is late too (a second miss at x' = 0: a violation), is
        // kept with its next deadline 30, and leaves whole.
        Harness h = Harness.dwcs().stream(0, attrs(10, 1, 2));
        frame(h, "P", 0, 0, 1, 2, false);
        frame(h, "I", 0, 0, 2, 2, true);
        assertThat(h.run(25, 25, 25)).containsExactly("I0", "I1", "-");
        assertThat(h.drops).containsExactly("P0:LATE", "P1:FRAME_INCOMPLETE");
        assertThat(h.stats(0).violations()).isEqualTo(1);
    }

    @Test
    void aNonDroppablePacketInsideADroppedFrameIsKept() {
        Harness h = Harness.dwcs().stream(0, attrs(10, 1, 2));
        h.submit("f0", 0, 0, part(1, true, false));
        h.submit("f1", 0, 0, iFrame(1, false, false));
        h.submit("f2", 0, 0, part(1, false, true));
        assertThat(h.run(11, 11)).containsExactly("f1", "-");
        assertThat(h.drops).containsExactly("f0:LATE", "f2:FRAME_INCOMPLETE");
    }

    @Test
    void bestEffortFramesStayTogether() {
        Harness h = Harness.dwcs().stream(0, attrs(0, 0, 1)).stream(1, attrs(0, 0, 1));
        h.submit("a0", 0, 0, part(5, true, false));
        h.submit("b0", 1, 0);
        h.submit("a1", 0, 0, part(5, false, true));
        assertThat(h.run(0, 0, 0)).containsExactly("a0", "a1", "b0");
    }
}
