package io.qsockets.examples.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StreamSourcesTest {

    @Test
    void builtInTraceIsARealH264EncodeWithAnIFrameEverySecond() {
        FrameTrace t = FrameTrace.builtIn();
        assertThat(t.frames()).hasSize(600);
        for (Frame f : t.frames()) {
            assertThat(f.type() == FrameType.I).as("frame %d", f.index()).isEqualTo(f.index() % 20 == 0);
        }
        double meanI = t.frames().stream().filter(f -> f.type() == FrameType.I).mapToInt(Frame::size).average()
                .orElseThrow();
        double meanB = t.frames().stream().filter(f -> f.type() == FrameType.B).mapToInt(Frame::size).average()
                .orElseThrow();
        assertThat(meanI).isGreaterThan(2 * meanB);
        assertThat(t.meanBitsPerSecond(20)).isBetween(0.8e6, 1.2e6);
    }

    @Test
    void loopReplaysTheTraceAtTheAskedRate() {
        FrameTrace t = FrameTrace.builtIn();
        Iterator<Frame> it = t.loop(15);
        List<Frame> first = new ArrayList<>();
        for (int i = 0; i < 601; i++) {
            first.add(it.next());
        }
        assertThat(first.get(1).offsetNanos()).isEqualTo(66_666_667L);
        assertThat(first.get(600).size()).isEqualTo(t.frames().get(0).size());
        assertThat(first.get(600).index()).isEqualTo(600);
    }

    @Test
    void malformedTracesAreRejectedNamingTheLine() {
        String text = "# c\ntime_ms,size_bytes,type\n0,100,I\n40,50,X\n";
        assertThatThrownBy(() -> FrameTrace.parse("t.csv", new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("t.csv:4").hasMessageContaining("must be I, P or B");
        String backwards = "10,100,I\n5,50,P\n";
        assertThatThrownBy(() -> FrameTrace.parse("b.csv", new ByteArrayInputStream(backwards.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("b.csv:2").hasMessageContaining("after the previous frame");
    }

    @Test
    void gopGeneratorFollowsThePatternAndTheBitRate() {
        GopGenerator g = new GopGenerator(20, 2_000_000, "IBBP", 3);
        long bytes = 0;
        for (int i = 0; i < 4000; i++) {
            Frame f = g.next();
            assertThat(f.type()).isEqualTo(FrameType.parse(String.valueOf("IBBP".charAt(i % 4))));
            assertThat(f.offsetNanos()).isEqualTo(i * 50_000_000L);
            bytes += f.size();
        }
        assertThat(bytes * 8 / 200.0).isBetween(1.9e6, 2.1e6);
        assertThatThrownBy(() -> new GopGenerator(20, 1e6, "PB", 1)).hasMessageContaining("starting with I");
    }

    @Test
    void sensorWorkloadMakesSeededBurstsWithinTheRanges() {
        SensorWorkload a = new SensorWorkload(Duration.ofMillis(10), 5, 100, 200, Duration.ofMillis(20),
                Duration.ofMillis(40), 9);
        SensorWorkload b = new SensorWorkload(Duration.ofMillis(10), 5, 100, 200, Duration.ofMillis(20),
                Duration.ofMillis(40), 9);
        long previous = -1;
        int sameOffsetRun = 1;
        int longestBurst = 0;
        for (int i = 0; i < 5000; i++) {
            Reading r = a.next();
            assertThat(b.next()).isEqualTo(r);
            assertThat(r.seq()).isEqualTo(i);
            assertThat(r.size()).isBetween(100, 200);
            assertThat(r.deadlineNanos()).isBetween(20_000_000L, 40_000_000L);
            assertThat(r.offsetNanos()).isGreaterThanOrEqualTo(previous);
            sameOffsetRun = r.offsetNanos() == previous ? sameOffsetRun + 1 : 1;
            longestBurst = Math.max(longestBurst, sameOffsetRun);
            previous = r.offsetNanos();
        }
        assertThat(longestBurst).isEqualTo(5);
        assertThat(previous / 1e6).as("about 5000 / 3 events 10 ms apart").isBetween(14_000.0, 20_000.0);
    }
}
