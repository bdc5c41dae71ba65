package io.qsockets.impl.dccp.ackvec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Ack Vector cell format, the walker, and 48-bit sequence arithmetic. */
@Timeout(10)
class AckVectorTest {

    private record Run(long high, int length, int state) {
    }

    private static List<Run> walk(long ackno, byte... cells) {
        List<Run> runs = new ArrayList<>();
        long covered = AckVector.forEachRun(ackno, ByteBuffer.wrap(cells), 0, cells.length, (high, length, state) -> {
            runs.add(new Run(high, length, state));
            return true;
        });
        if (covered < 0) {
            assertThat(runs).isEmpty();
            return null;
        }
        assertThat(covered).isEqualTo(runs.stream().mapToLong(Run::length).sum());
        return runs;
    }

    @Test
    void readsTheExampleOfRfc4340Section11_4() {
        // "0,192,3,64,5 ... Acknowledgement Number is decimal 100"
        assertThat(walk(100, (byte) 0, (byte) 192, (byte) 3, (byte) 64, (byte) 5)).containsExactly(
                new Run(100, 1, AckVector.RECEIVED),
                new Run(99, 1, AckVector.NOT_RECEIVED),
                new Run(98, 4, AckVector.RECEIVED),
                new Run(94, 1, AckVector.ECN_MARKED),
                new Run(93, 6, AckVector.RECEIVED));
    }

    @Test
    void aReservedStateInvalidatesTheWholeVector() {
        assertThat(walk(100, (byte) 0, (byte) 0x80, (byte) 3)).isNull();
    }

    @Test
    void walksBackAcrossSequenceNumberZero() {
        byte[] cells = {AckVector.cell(AckVector.RECEIVED, 5), AckVector.cell(AckVector.NOT_RECEIVED, 64)};
        assertThat(walk(2, cells)).containsExactly(
                new Run(2, 5, AckVector.RECEIVED),
                new Run(Seq48.MODULUS - 3, 64, AckVector.NOT_RECEIVED));
    }

    @Test
    void theVisitorCanStopTheWalk() {
        byte[] cells = {0, 0, 0};
        List<Long> seen = new ArrayList<>();
        long covered = AckVector.forEachRun(10, ByteBuffer.wrap(cells), 0, 3, (high, length, state) -> {
            seen.add(high);
            return false;
        });
        assertThat(seen).containsExactly(10L);
        assertThat(covered).isEqualTo(3);
    }

    @Test
    void readsOnlyTheGivenRangeAndNeverMovesTheBuffer() {
        ByteBuffer buffer = ByteBuffer.wrap(new byte[] {(byte) 0x80, 63, 0, (byte) 0x80});
        buffer.position(3);
        List<Run> runs = new ArrayList<>();
        long covered = AckVector.forEachRun(500, buffer, 1, 2, (h, l, s) -> runs.add(new Run(h, l, s)));
        assertThat(covered).isEqualTo(65);
        assertThat(runs).containsExactly(new Run(500, 64, 0), new Run(436, 1, 0));
        assertThat(buffer.position()).isEqualTo(3);
        assertThatThrownBy(() -> AckVector.forEachRun(500, buffer, 3, 2, (h, l, s) -> true))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void encodesAndDecodesCells() {
        for (int state : new int[] {0, 1, 3}) {
            for (int length = 1; length <= 64; length++) {
                byte cell = AckVector.cell(state, length);
                assertThat(AckVector.state(cell)).isEqualTo(state);
                assertThat(AckVector.length(cell)).isEqualTo(length);
            }
        }
        assertThat(AckVector.cell(AckVector.ECN_MARKED, 1)).isEqualTo((byte) 64);
        assertThat(AckVector.cell(AckVector.NOT_RECEIVED, 1)).isEqualTo((byte) 192);
        assertThatThrownBy(() -> AckVector.cell(2, 1)).hasMessageContaining("state 2");
        assertThatThrownBy(() -> AckVector.cell(0, 0)).hasMessageContaining("run of 0");
        assertThatThrownBy(() -> AckVector.cell(0, 65)).hasMessageContaining("run of 65");
    }

    @Test
    void sequenceArithmeticIsCircularModulo2To48() {
        long last = Seq48.MASK;
        assertThat(Seq48.add(last, 1)).isZero();
        assertThat(Seq48.add(0, -1)).isEqualTo(last);
        assertThat(Seq48.delta(0, last)).isEqualTo(1);
        assertThat(Seq48.delta(last, 0)).isEqualTo(-1);
        assertThat(Seq48.after(3, last)).isTrue();
        assertThat(Seq48.after(last, 3)).isFalse();
        assertThat(Seq48.max(last, 3)).isEqualTo(3);
        assertThat(Seq48.delta(Seq48.MODULUS / 2 - 1, 0)).isEqualTo(Seq48.MODULUS / 2 - 1);
        assertThat(Seq48.delta(Seq48.MODULUS / 2, 0)).isEqualTo(-Seq48.MODULUS / 2);
        assertThatThrownBy(() -> Seq48.check("x", -1)).hasMessageContaining("x -1 is not a 48-bit");
        assertThatThrownBy(() -> Seq48.check("x", Seq48.MODULUS)).hasMessageContaining("[0, 2^48)");
    }
}
