package io.qsockets.impl.dccp.wire;

import static io.qsockets.impl.dccp.wire.SequenceNumbers.MAX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** 48-bit circular arithmetic (RFC 4340 §3.1, §7.1), short seqno extension (§7.6) and windows (§7.5.1). */
@Timeout(10)
class SequenceNumbersTest {

    @Test
    void addAndSubtractWrapModulo2To48() {
        assertThat(SequenceNumbers.add(MAX, 1)).isZero();
        assertThat(SequenceNumbers.add(0, -1)).isEqualTo(MAX);
        assertThat(SequenceNumbers.add(MAX - 5, 10)).isEqualTo(4);
        assertThat(SequenceNumbers.subtract(4, MAX - 5)).isEqualTo(10);
        assertThat(SequenceNumbers.subtract(MAX - 5, 4)).isEqualTo(SequenceNumbers.MODULUS - 10);
        assertThat(SequenceNumbers.delta(4, MAX - 5)).isEqualTo(10);
        assertThat(SequenceNumbers.delta(MAX - 5, 4)).isEqualTo(-10);
    }

    @Test
    void comparisonIsCircularAcrossTheWrap() {
        assertThat(SequenceNumbers.before(MAX, 0)).isTrue();
        assertThat(SequenceNumbers.after(0, MAX)).isTrue();
        assertThat(SequenceNumbers.before(1, 2)).isTrue();
        assertThat(SequenceNumbers.after(2, 1)).isTrue();
        assertThat(SequenceNumbers.compare(7, 7)).isZero();
        assertThat(SequenceNumbers.beforeOrEqual(7, 7)).isTrue();
        assertThat(SequenceNumbers.afterOrEqual(7, 7)).isTrue();
        assertThat(SequenceNumbers.max(MAX - 1, 3)).isEqualTo(3);
        assertThat(SequenceNumbers.max(3, MAX - 1)).isEqualTo(3);
        // half the space ahead is "after", more than that is "before"
        long half = 1L << 47;
        assertThat(SequenceNumbers.after(half - 1, 0)).isTrue();
        assertThat(SequenceNumbers.before(half + 1, 0)).isTrue();
        assertThat(SequenceNumbers.before(half, 0)).as("exactly 2^47 apart: the documented tie").isTrue();
    }

    @Test
    void comparisonAgreesWithSignedDistanceOnRandomPairs() {
        Random random = new Random(4340);
        for (int i = 0; i < 100_000; i++) {
            long a = random.nextLong() & MAX;
            long d = (random.nextLong() % ((1L << 47) - 1));
            long b = SequenceNumbers.add(a, d);
            assertThat(SequenceNumbers.compare(b, a)).isEqualTo(Long.signum(d));
            assertThat(SequenceNumbers.compare(a, b)).isEqualTo(-Long.signum(d));
            assertThat(SequenceNumbers.delta(b, a)).isEqualTo(d);
        }
    }

    @Test
    void validityIs48Bits() {
        assertThat(SequenceNumbers.isValid(0)).isTrue();
        assertThat(SequenceNumbers.isValid(MAX)).isTrue();
        assertThat(SequenceNumbers.isValid(MAX + 1)).isFalse();
        assertThat(SequenceNumbers.isValid(-1)).isFalse();
        assertThatThrownBy(() -> SequenceNumbers.requireValid(-1, "GSS"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GSS").hasMessageContaining("-1");
    }

    @ParameterizedTest(name = "extend {0} against {1} = {2}")
    @CsvSource({
        // same high bits
        "0x000010, 0x000000000020, 0x000000000010",
        "0x000030, 0x000000000020, 0x000000000030",
        // low bits wrapped forward: high + 1
        "0x000002, 0x000001FFFFFE, 0x000002000002",
        // low bits behind a fresh wrap: high - 1
        "0xFFFFFE, 0x000002000001, 0x000001FFFFFE",
        // the whole 48-bit space wraps
        "0x000001, 0xFFFFFFFFFFFF, 0x000000000001",
        "0xFFFFFF, 0x000000000000, 0xFFFFFFFFFFFF",
    })
    void extendsShortSequenceNumbersAsSection7_6(String s, String ref, String expected) {
        assertThat(SequenceNumbers.extendShort(Integer.decode(s), Long.decode(ref))).isEqualTo(Long.decode(expected));
    }

    @Test
    void extensionRecoversAnyNumberWithinAQuarterOfTheShortSpace() {
        Random random = new Random(76);
        for (int i = 0; i < 100_000; i++) {
            long ref = random.nextLong() & MAX;
            long actual = SequenceNumbers.add(ref, random.nextInt(1 << 23) - (1 << 22));
            assertThat(SequenceNumbers.extendShort(SequenceNumbers.toShort(actual), ref)).isEqualTo(actual);
        }
    }

    @Test
    void windowsFollowSection7_5_1() {
        // W = 100: SWL = GSR + 1 - 25, SWH = GSR + 75
        assertThat(SequenceNumbers.sequenceWindowLow(1000, 100)).isEqualTo(976);
        assertThat(SequenceNumbers.sequenceWindowHigh(1000, 100)).isEqualTo(1075);
        // W = 33: floor(33/4) = 8, ceil(99/4) = 25
        assertThat(SequenceNumbers.sequenceWindowLow(1000, 33)).isEqualTo(993);
        assertThat(SequenceNumbers.sequenceWindowHigh(1000, 33)).isEqualTo(1025);
        assertThat(SequenceNumbers.ackWindowLow(1000, 100)).isEqualTo(901);
        // across the wrap
        assertThat(SequenceNumbers.sequenceWindowLow(3, 100)).isEqualTo(MAX - 20);
        assertThat(SequenceNumbers.inWindow(MAX, MAX - 20, 78)).isTrue();
        assertThat(SequenceNumbers.inWindow(78, MAX - 20, 78)).isTrue();
        assertThat(SequenceNumbers.inWindow(79, MAX - 20, 78)).isFalse();
        assertThat(SequenceNumbers.inWindow(MAX - 21, MAX - 20, 78)).isFalse();
        // initial adjustment: never below ISR / ISS
        assertThat(SequenceNumbers.initialSequenceWindowLow(5, 100, 3)).isEqualTo(3);
        assertThat(SequenceNumbers.initialSequenceWindowLow(500, 100, 3)).isEqualTo(476);
        assertThat(SequenceNumbers.initialAckWindowLow(10, 100, 7)).isEqualTo(7);
    }
}
