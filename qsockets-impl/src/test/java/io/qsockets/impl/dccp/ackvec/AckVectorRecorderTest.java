package io.qsockets.impl.dccp.ackvec;

import static io.qsockets.impl.dccp.ackvec.AckVector.ECN_MARKED;
import static io.qsockets.impl.dccp.ackvec.AckVector.NOT_RECEIVED;
import static io.qsockets.impl.dccp.ackvec.AckVector.RECEIVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qsockets.impl.dccp.ackvec.AckVectorRecorder.Outcome;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link AckVectorRecorder}: recording, writing vectors, acks of acks, bounds. */
@Timeout(10)
class AckVectorRecorderTest {

    private final ByteBuffer out = ByteBuffer.allocate(4096);

    private byte[] cells(AckVectorRecorder recorder) {
        return cells(recorder, recorder.ackno(), out.capacity());
    }

    private byte[] cells(AckVectorRecorder recorder, long ackno, int maxCells) {
        int n = recorder.writeCells(ackno, out, 0, maxCells);
        return Arrays.copyOf(out.array(), n);
    }

    private static void recordRange(AckVectorRecorder recorder, long from, long toInclusive, int state) {
        for (long s = from; s <= toInclusive; s++) {
            recorder.record(Seq48.add(s, 0), state);
        }
    }

    /** Walks a vector into a map seqno → state, checking the cells are maximally merged. */
    private static Map<Long, Integer> decode(long ackno, byte[] cells) {
        Map<Long, Integer> states = new HashMap<>();
        int[] previous = {-1, 0};
        AckVector.forEachRun(ackno, ByteBuffer.wrap(cells), 0, cells.length, (high, length, state) -> {
            assertThat(state == previous[0] && previous[1] < AckVector.MAX_RUN)
                    .as("cell of state %d after a short cell of the same state", state).isFalse();
            previous[0] = state;
            previous[1] = length;
            for (int i = 0; i < length; i++) {
                states.put(Seq48.add(high, -i), state);
            }
            return true;
        });
        return states;
    }

    @Test
    void writesTheExampleVectorOfRfc4340Section11_4() {
        AckVectorRecorder recorder = new AckVectorRecorder();
        recordRange(recorder, 88, 93, RECEIVED);
        assertThat(recorder.record(94, ECN_MARKED)).isEqualTo(Outcome.IN_ORDER);
        recordRange(recorder, 95, 98, RECEIVED);
        assertThat(recorder.record(100, RECEIVED)).isEqualTo(Outcome.AFTER_GAP);

        assertThat(recorder.ackno()).isEqualTo(100);
        assertThat(cells(recorder)).containsExactly(0, 192, 3, 64, 5);
        assertThat(recorder.coveredSeqnos()).isEqualTo(13);
        assertThat(recorder.lowestSeqno()).isEqualTo(88);
        // a vector for an older Acknowledgement Number starts inside a cell
        assertThat(cells(recorder, 96, 100)).containsExactly(1, 64, 5);
        // truncated to the room given: the newest cells are kept
        assertThat(cells(recorder, 100, 2)).containsExactly(0, 192);
    }

    @Test
    void inOrderPacketsLengthenTheHeadCellUpTo64() {
        AckVectorRecorder recorder = new AckVectorRecorder();
        recordRange(recorder, 10, 139, RECEIVED);
        assertThat(recorder.cellCount()).isEqualTo(3);
        assertThat(cells(recorder)).containsExactly(63, 63, 1);
    }

    @Test
    void gapsAreRecordedAsNotReceivedAndMergedWhenWritten() {
        AckVectorRecorder recorder = new AckVectorRecorder();
        recorder.record(0, RECEIVED);
        assertThat(recorder.record(1000, RECEIVED)).isEqualTo(Outcome.AFTER_GAP);
        byte[] expected = new byte[18];
        expected[0] = AckVector.cell(RECEIVED, 1);
        for (int i = 1; i <= 15; i++) {
            expected[i] = AckVector.cell(NOT_RECEIVED, 64);
        }
        expected[16] = AckVector.cell(NOT_RECEIVED, 999 - 15 * 64);
        expected[17] = AckVector.cell(RECEIVED, 1);
        assertThat(cells(recorder)).containsExactly(expected);
        assertThat(recorder.state(500)).isEqualTo(NOT_RECEIVED);
    }

    @Test
    void aLatePacketFillsItsHoleAndDuplicatesChangeNothing() {
        AckVectorRecorder recorder = new AckVectorRecorder();
        recordRange(recorder, 0, 9, RECEIVED);
        recordRange(recorder, 20, 29, RECEIVED);

        assertThat(recorder.record(15, ECN_MARKED)).isEqualTo(Outcome.LATE);
        assertThat(recorder.record(10, RECEIVED)).isEqualTo(Outcome.LATE);
        assertThat(recorder.record(19, RECEIVED)).isEqualTo(Outcome.LATE);
        assertThat(recorder.record(15, RECEIVED)).isEqualTo(Outcome.DUPLICATE);
        assertThat(recorder.record(5, ECN_MARKED)).isEqualTo(Outcome.DUPLICATE);
        assertThat(recorder.record(29, RECEIVED)).isEqualTo(Outcome.DUPLICATE);

        assertThat(recorder.state(15)).isEqualTo(ECN_MARKED);
        assertThat(recorder.state(5)).isEqualTo(RECEIVED);
        assertThat(recorder.state(14)).isEqualTo(NOT_RECEIVED);
        assertThat(recorder.state(16)).isEqualTo(NOT_RECEIVED);
        // 29..19 received, 18..16 missing, 15 marked, 14..11 missing, 10..0 received
        assertThat(cells(recorder)).containsExactly(10, 0xC2, 0x40, 0xC3, 10);
        assertThat(recorder.duplicateCount()).isEqualTo(3);
        assertThat(recorder.recordedCount()).isEqualTo(23);
    }

    @Test
    void vectorsRoundTripThroughTheWalkerUnderLossReorderingAndWrap() {
        Random random = new Random(42);
        AckVectorRecorder recorder = new AckVectorRecorder(4096, 16);
        Map<Long, Integer> truth = new HashMap<>();
        long first = Seq48.MODULUS - 1500;
        long highest = -1;
        long[] delayed = new long[8];
        int delayedCount = 0;
        for (long i = 0; i < 3000; i++) {
            long seq = Seq48.add(first, i);
            double dice = random.nextDouble();
            if (dice < 0.10) {
                continue; // lost
            }
            if (dice < 0.20 && delayedCount < delayed.length) {
                delayed[delayedCount++] = seq; // arrives later
                continue;
            }
            deliver(recorder, truth, seq, random);
            highest = seq;
            if (random.nextInt(4) == 0 && delayedCount > 0) {
                deliver(recorder, truth, delayed[--delayedCount], random);
            }
            if (random.nextInt(50) == 0) {
                deliver(recorder, truth, seq, random); // network duplicate
            }
        }
        assertThat(recorder.ackno()).isEqualTo(highest);
        assertThat(recorder.overflowCount()).isZero();

        for (long ackno : new long[] {highest, Seq48.add(highest, -700), Seq48.add(first, 3)}) {
            if (recorder.state(ackno) == NOT_RECEIVED || recorder.state(ackno) == -1) {
                continue;
            }
            byte[] vector = cells(recorder, ackno, 4096);
            Map<Long, Integer> decoded = decode(ackno, vector);
            long span = Seq48.delta(ackno, first) + 1;
            assertThat(decoded).hasSize((int) span);
            for (long back = 0; back < span; back++) {
                long seq = Seq48.add(ackno, -back);
                assertThat(decoded.get(seq)).as("state of %d", seq).isEqualTo(truth.getOrDefault(seq, NOT_RECEIVED));
                assertThat(recorder.state(seq)).isEqualTo(decoded.get(seq));
            }
        }
    }

    private static void deliver(AckVectorRecorder recorder, Map<Long, Integer> truth, long seq, Random random) {
        int state = random.nextInt(20) == 0 ? ECN_MARKED : RECEIVED;
        Outcome outcome = recorder.record(seq, state);
        if (truth.containsKey(seq)) {
            assertThat(outcome).isEqualTo(Outcome.DUPLICATE);
        } else {
            assertThat(outcome).isIn(Outcome.IN_ORDER, Outcome.AFTER_GAP, Outcome.LATE);
            truth.put(seq, state);
        }
    }

    @Test
    void anAckOfAckForgetsWhatThatVectorReported() {
        AckVectorRecorder recorder = new AckVectorRecorder();
        recordRange(recorder, 0, 99, RECEIVED);
        recorder.onAckVectorSent(500, 99);
        recordRange(recorder, 100, 149, RECEIVED);
        recorder.onAckVectorSent(501, 149);

        assertThat(recorder.onAckOfAck(499)).isFalse();
        assertThat(recorder.onAckOfAck(500)).isTrue();
        assertThat(recorder.coveredSeqnos()).isEqualTo(50);
        assertThat(recorder.lowestSeqno()).isEqualTo(100);
        assertThat(recorder.pendingAckRecords()).isEqualTo(1);
        assertThat(recorder.record(50, RECEIVED)).isEqualTo(Outcome.TOO_OLD);
        assertThat(cells(recorder)).containsExactly(49);

        assertThat(recorder.onAckOfAck(500)).isFalse();
        assertThat(recorder.onAckOfAck(501)).isTrue();
        assertThat(recorder.coveredSeqnos()).isZero();
        assertThat(recorder.cellCount()).isZero();
        assertThat(recorder.state(149)).isEqualTo(-1);
        // the record goes on from where it was: a gap after the forgotten part is still a gap
        assertThat(recorder.record(152, RECEIVED)).isEqualTo(Outcome.AFTER_GAP);
        assertThat(recorder.record(150, RECEIVED)).isEqualTo(Outcome.LATE);
        assertThat(cells(recorder)).containsExactly(0, 0xC0, 0);
        assertThat(recorder.unmatchedAckOfAckCount()).isEqualTo(2);
        assertThat(recorder.ackOfAckCount()).isEqualTo(2);
    }

    @Test
    void anAckOfAckNeverForgetsALatePacketTheVectorCalledMissing() {
        // RFC 4340 Appendix A.3: packet 9 arrives after an ack that said it was missing
        AckVectorRecorder recorder = new AckVectorRecorder();
        recordRange(recorder, 0, 8, RECEIVED);
        recorder.record(10, RECEIVED);
        recorder.onAckVectorSent(60, 10);
        assertThat(recorder.record(9, RECEIVED)).isEqualTo(Outcome.LATE);

        assertThat(recorder.onAckOfAck(60)).isTrue();
        assertThat(recorder.state(9)).isEqualTo(RECEIVED);
        assertThat(recorder.state(8)).isEqualTo(-1);
        assertThat(cells(recorder)).containsExactly(1);
    }

    @Test
    void pruningCutsInsideACell() {
        AckVectorRecorder recorder = new AckVectorRecorder();
        recordRange(recorder, 1, 100, RECEIVED);
        recorder.pruneThrough(30);
        assertThat(recorder.lowestSeqno()).isEqualTo(31);
        assertThat(cells(recorder)).containsExactly(63, 5);
        recorder.pruneThrough(20);
        assertThat(recorder.coveredSeqnos()).isEqualTo(70);
        recorder.pruneThrough(100);
        assertThat(recorder.coveredSeqnos()).isZero();
    }

    @Test
    void whenAckRecordsOverflowTheOldestIsDropped() {
        AckVectorRecorder recorder = new AckVectorRecorder(64, 2);
        recordRange(recorder, 0, 9, RECEIVED);
        recorder.onAckVectorSent(1, 3);
        recorder.onAckVectorSent(2, 6);
        recorder.onAckVectorSent(3, 9);
        assertThat(recorder.pendingAckRecords()).isEqualTo(2);
        assertThat(recorder.onAckOfAck(1)).isFalse();
        assertThat(recorder.coveredSeqnos()).isEqualTo(10);
        assertThat(recorder.onAckOfAck(2)).isTrue();
        assertThat(recorder.lowestSeqno()).isEqualTo(7);
        assertThatThrownBy(() -> recorder.onAckVectorSent(3, 9)).hasMessageContaining("must come after");
        assertThatThrownBy(() -> recorder.onAckVectorSent(4, 10)).hasMessageContaining("after the greatest recorded 9");
    }

    @Test
    void aFullRingForgetsTheOldestStateAndKeepsTheNewest() {
        AckVectorRecorder recorder = new AckVectorRecorder(8, 4);
        for (long s = 0; s < 200; s += 2) {
            recorder.record(s, RECEIVED);
            assertThat(recorder.cellCount()).isLessThanOrEqualTo(8);
        }
        assertThat(recorder.overflowCount()).isPositive();
        assertThat(recorder.state(198)).isEqualTo(RECEIVED);
        assertThat(recorder.state(197)).isEqualTo(NOT_RECEIVED);
        assertThat(recorder.state(0)).isEqualTo(-1);
        assertThat(recorder.coveredSeqnos()).isEqualTo(8);
        assertThat(recorder.record(0, RECEIVED)).isEqualTo(Outcome.TOO_OLD);
        assertThat(recorder.record(190, RECEIVED)).isEqualTo(Outcome.TOO_OLD);
        assertThat(recorder.tooOldCount()).isEqualTo(2);

        // filling a hole in the middle of a run needs two more cells: the oldest ones give way
        recorder.record(202, RECEIVED);
        long lowestBefore = recorder.lowestSeqno();
        assertThat(recorder.record(200, RECEIVED)).isEqualTo(Outcome.LATE);
        assertThat(recorder.cellCount()).isEqualTo(8);
        assertThat(recorder.state(200)).isEqualTo(RECEIVED);
        assertThat(recorder.state(201)).isEqualTo(NOT_RECEIVED);
        assertThat(recorder.state(199)).isEqualTo(NOT_RECEIVED);
        assertThat(recorder.lowestSeqno()).isEqualTo(lowestBefore + 2);
    }

    @Test
    void aHugeJumpKeepsOnlyTheNewestPartOfTheGap() {
        AckVectorRecorder recorder = new AckVectorRecorder(8, 4);
        recorder.record(0, RECEIVED);
        assertThat(recorder.record(1_000_000, RECEIVED)).isEqualTo(Outcome.AFTER_GAP);
        assertThat(recorder.cellCount()).isEqualTo(8);
        assertThat(recorder.coveredSeqnos()).isEqualTo(7 * 64 + 1);
        assertThat(recorder.state(999_999)).isEqualTo(NOT_RECEIVED);
        assertThat(recorder.state(0)).isEqualTo(-1);
        assertThat(recorder.overflowCount()).isEqualTo(1);
        assertThat(recorder.record(1_000_001, RECEIVED)).isEqualTo(Outcome.IN_ORDER);
        assertThat(recorder.cellCount()).isEqualTo(8);
    }

    @Test
    void aMillionSequenceNumbersStayWithinBoundedMemory() {
        AckVectorRecorder recorder = new AckVectorRecorder(256, 8);
        Random random = new Random(7);
        long ours = 1;
        int maxCells = 0;
        for (long s = 0; s < 1_000_000; s++) {
            if (random.nextInt(100) != 0) {
                recorder.record(s, random.nextInt(500) == 0 ? ECN_MARKED : RECEIVED);
            }
            if (s % 50 == 49 && recorder.started()) {
                recorder.writeCells(out, 0, 253);
                recorder.onAckVectorSent(ours++, recorder.ackno());
                if (random.nextInt(4) != 0) {
                    recorder.onAckOfAck(ours - 1 - random.nextInt(2));
                }
            }
            maxCells = Math.max(maxCells, recorder.cellCount());
        }
        assertThat(maxCells).isLessThanOrEqualTo(256);
        assertThat(recorder.coveredSeqnos()).isLessThan(1000);
        assertThat(recorder.overflowCount()).isZero();

        AckVectorRecorder unpruned = new AckVectorRecorder(64, 1);
        for (long s = 0; s < 1_000_000; s++) {
            unpruned.record(s, RECEIVED);
        }
        assertThat(unpruned.cellCount()).isEqualTo(64);
        assertThat(unpruned.coveredSeqnos()).isEqualTo(64 * 64);
        assertThat(unpruned.state(999_999 - 64 * 64 + 1)).isEqualTo(RECEIVED);
    }

    @Test
    void rejectsBadArguments() {
        AckVectorRecorder recorder = new AckVectorRecorder();
        assertThatThrownBy(recorder::ackno).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> recorder.writeCells(out, 0, 10)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> recorder.record(1, NOT_RECEIVED)).hasMessageContaining("state 3 cannot be recorded");
        assertThatThrownBy(() -> recorder.record(-1, RECEIVED)).hasMessageContaining("not a 48-bit");
        assertThatThrownBy(() -> new AckVectorRecorder(1, 1)).hasMessageContaining("cell capacity 1");
        assertThatThrownBy(() -> new AckVectorRecorder(2, 0)).hasMessageContaining("ack record capacity 0");
        assertThat(new AckVectorRecorder(100, 3).cellCapacity()).isEqualTo(128);
        recorder.record(5, RECEIVED);
        recorder.record(7, RECEIVED);
        assertThatThrownBy(() -> cells(recorder, 6, 10)).hasMessageContaining("6 was not received");
        assertThatThrownBy(() -> cells(recorder, 8, 10)).hasMessageContaining("not recorded: must be in [5, 7]");
        assertThatThrownBy(() -> recorder.writeCells(7, out, 4090, 10)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
