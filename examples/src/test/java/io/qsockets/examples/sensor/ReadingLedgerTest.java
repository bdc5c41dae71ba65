package io.qsockets.examples.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ReadingLedgerTest {
    private final byte[] buf = new byte[ReadingWire.HEADER];

    private void reading(ReadingLedger l, long seq, long deadlineMicros, long nowMicros) {
        ReadingWire.write(buf, seq, 0, 0, deadlineMicros);
        l.onDatagram(buf, 0, buf.length, nowMicros);
    }

    @Test
    void countsLateReadingsWhenTheyArriveAndMissingOnesOneIntervalLater() {
        ReadingLedger l = new ReadingLedger(0, 1_000_000);
        reading(l, 0, 100, 50);
        reading(l, 2, 100, 150);
        reading(l, 4, 900_000, 200);
        List<ReadingLedger.Interval> first = l.closeUpTo(1_000_000);
        assertThat(first).containsExactly(new ReadingLedger.Interval(0, 0, 3, 1, 0));
        reading(l, 1, 100, 1_500_000);
        List<ReadingLedger.Interval> second = l.closeUpTo(2_000_000);
        assertThat(second).containsExactly(new ReadingLedger.Interval(1, 1, 1, 1, 1));
        assertThat(l.received(3)).isFalse();
        l.finish(6);
        assertThat(l.lostTotal()).isEqualTo(3);
        assertThat(l.lateTotal()).isEqualTo(2);
        assertThat(l.receivedTotal()).isEqualTo(4);
    }

    @Test
    void duplicatesAndForeignDatagramsAreNotCounted() {
        ReadingLedger l = new ReadingLedger(0, 1_000_000);
        reading(l, 0, 100, 50);
        reading(l, 0, 100, 60);
        l.onDatagram(new byte[40], 0, 40, 70);
        assertThat(l.receivedTotal()).isEqualTo(1);
        assertThat(l.duplicates()).isEqualTo(1);
        assertThat(l.malformed()).isEqualTo(1);
    }
}
