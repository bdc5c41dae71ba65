package io.qsockets.examples.video;

import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.examples.stream.FrameType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class FrameMeterTest {
    private static final long MS = 1_000_000;
    private final byte[] buf = new byte[VideoWire.HEADER + 10];

    private void datagram(FrameMeter m, long frame, FrameType type, int index, int count, long atMs) {
        VideoWire.write(buf, frame, type, index, count);
        m.onDatagram(buf, 0, buf.length, atMs * MS);
    }

    @Test
    void countsCompleteFramesPerIntervalAndTheJitterOfTheirGaps() {
        FrameMeter m = new FrameMeter(0, 1000 * MS);
        for (int f = 0; f < 20; f++) {
            long at = f * 50 + (f % 2 == 0 ? 0 : 10);
            datagram(m, f, f == 0 ? FrameType.I : FrameType.P, 0, 2, at);
            datagram(m, f, f == 0 ? FrameType.I : FrameType.P, 1, 2, at + 1);
        }
        List<FrameMeter.Interval> closed = m.closeUpTo(1000 * MS);
        assertThat(closed).hasSize(1);
        FrameMeter.Interval i = closed.get(0);
        assertThat(i.fps()).isEqualTo(20.0);
        assertThat(i.meanGapMs()).isEqualTo(50.0, org.assertj.core.data.Offset.offset(0.6));
        assertThat(i.jitterMs()).isEqualTo(10.0, org.assertj.core.data.Offset.offset(0.1));
        assertThat(m.completedFrames()).isEqualTo(20);
        assertThat(m.lostFrames()).isZero();
    }

    @Test
    void aFrameMissingADatagramOrNeverSeenIsLost() {
        FrameMeter m = new FrameMeter(0, 1000 * MS);
        datagram(m, 0, FrameType.I, 0, 3, 0);
        datagram(m, 0, FrameType.I, 2, 3, 1);
        datagram(m, 3, FrameType.P, 0, 1, 150);
        assertThat(m.lostFrames()).isEqualTo(3);
        assertThat(m.lostIFrames()).isEqualTo(1);
        assertThat(m.isComplete(3)).isTrue();
        assertThat(m.isComplete(0)).isFalse();
        assertThat(m.closeUpTo(2000 * MS)).extracting(FrameMeter.Interval::lostFrames).containsExactly(3, 0);
    }

    @Test
    void malformedDatagramsAreCountedAndIgnored() {
        FrameMeter m = new FrameMeter(0, 1000 * MS);
        m.onDatagram(new byte[5], 0, 5, 0);
        byte[] wrong = new byte[VideoWire.HEADER];
        m.onDatagram(wrong, 0, wrong.length, 0);
        assertThat(m.malformed()).isEqualTo(2);
        assertThat(m.completedFrames()).isZero();
    }
}
