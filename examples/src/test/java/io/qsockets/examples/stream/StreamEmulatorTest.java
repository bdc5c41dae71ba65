package io.qsockets.examples.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.impl.rtc.Rtc;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StreamEmulatorTest {

    record Item(long offsetNanos) implements Timed {
    }

    @Test
    void handsEachItemOverInOrderNeverBeforeItsTimeAndStopsAtTheDuration() throws Exception {
        List<Long> at = new CopyOnWriteArrayList<>();
        List<Long> offsets = new CopyOnWriteArrayList<>();
        try (Rtc rtc = Rtc.start("test-rtc")) {
            List<Item> items = List.of(new Item(0), new Item(10_000_000), new Item(10_000_000), new Item(30_000_000),
                    new Item(200_000_000));
            StreamEmulator<Item> e = StreamEmulator.start("emu", rtc, items.iterator(), Duration.ofMillis(100), i -> {
                at.add(rtc.clock().nanoTime());
                offsets.add(i.offsetNanos());
            });
            assertThat(e.await(Duration.ofSeconds(5))).isTrue();
            assertThat(offsets).containsExactly(0L, 10_000_000L, 10_000_000L, 30_000_000L);
            for (int i = 0; i < at.size(); i++) {
                assertThat(at.get(i) - e.originNanos()).isGreaterThanOrEqualTo(offsets.get(i));
            }
            assertThat(e.emitted()).isEqualTo(4);
        }
    }

    @Test
    void aFailingSinkIsReportedByAwait() throws Exception {
        try (Rtc rtc = Rtc.start("test-rtc")) {
            StreamEmulator<Item> e = StreamEmulator.start("emu", rtc, List.of(new Item(0)).iterator(),
                    Duration.ofSeconds(1), i -> {
                        throw new IllegalStateException("boom");
                    });
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> e.await(Duration.ofSeconds(5)))
                    .hasMessageContaining("boom");
        }
    }
}
