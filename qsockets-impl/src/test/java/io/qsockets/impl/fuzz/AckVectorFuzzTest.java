package io.qsockets.impl.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.qsockets.impl.dccp.ackvec.AckVector;
import io.qsockets.impl.dccp.ackvec.AckVectorRecorder;
import io.qsockets.impl.dccp.ackvec.Seq48;
import io.qsockets.impl.dccp.ccid2.Ccid2Config;
import io.qsockets.impl.dccp.ccid2.Ccid2Listener;
import io.qsockets.impl.dccp.ccid2.Ccid2Sender;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of Ack Vector bookkeeping: arbitrary sequences of arrivals, vectors,
 * acks of acks and prunes against an {@link AckVectorRecorder}, and arbitrary Acknowledgement
 * Numbers and cells against a {@link Ccid2Sender}. Only valid calls are made, so any exception is
 * a finding; state stays within the configured capacities and agrees with a simple model.
 */
@Timeout(FuzzTargets.TIMEOUT_SECONDS)
class AckVectorFuzzTest {

    private static final int MAX_CELLS = 32;
    private static final int GUARD = 5;

    /**
     * The recorder never reports a packet received that did not arrive, never changes the state
     * of a packet it holds, writes vectors that agree with {@link AckVectorRecorder#state} and
     * cover exactly what it holds, and keeps within its cell and record capacities.
     */
    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION)
    void recorder(FuzzedDataProvider data) {
        int cellCapacity = data.consumeInt(2, MAX_CELLS);
        int recordCapacity = data.consumeInt(1, 8);
        AckVectorRecorder recorder = new AckVectorRecorder(cellCapacity, recordCapacity);
        Map<Long, Integer> arrived = new HashMap<>();
        long base = data.consumeLong(0, Seq48.MASK);
        long ourSeqno = data.consumeLong(0, Seq48.MASK);
        ByteBuffer vector = ByteBuffer.allocate(4 * MAX_CELLS);
        while (data.remainingBytes() > 0) {
            long head = recorder.started() ? recorder.ackno() : base;
            switch (data.consumeInt(0, 6)) {
                case 0, 1 -> record(recorder, arrived, Seq48.add(head, data.consumeInt(-70, 70)), data.consumeBoolean());
                case 2 -> record(recorder, arrived, Seq48.add(head, data.consumeLong(-(1L << 47), (1L << 47) - 1)), data.consumeBoolean());
                case 3 -> {
                    if (recorder.started()) {
                        long ackno = Seq48.add(head, -data.consumeInt(0, MAX_CELLS * AckVector.MAX_RUN));
                        int state = recorder.state(ackno);
                        if (state == AckVector.RECEIVED || state == AckVector.ECN_MARKED) {
                            checkVector(recorder, arrived, ackno, vector);
                        }
                    }
                }
                case 4 -> {
                    if (recorder.started()) {
                        ourSeqno = Seq48.add(ourSeqno, data.consumeInt(1, 4));
                        recorder.onAckVectorSent(ourSeqno, Seq48.add(head, -data.consumeInt(0, 200)));
                    }
                }
                case 5 -> recorder.onAckOfAck(Seq48.add(ourSeqno, -data.consumeInt(-2, 10)));
                default -> recorder.pruneThrough(data.consumeBoolean()
                        ? Seq48.add(head, -data.consumeInt(0, 300)) : data.consumeLong(0, Seq48.MASK));
            }
            assertThat(recorder.cellCount()).isBetween(0, recorder.cellCapacity());
            assertThat(recorder.cellCapacity()).isLessThanOrEqualTo(MAX_CELLS);
            assertThat(recorder.pendingAckRecords()).isBetween(0, 8);
            assertThat(recorder.coveredSeqnos()).isBetween(0L, (long) recorder.cellCapacity() * AckVector.MAX_RUN);
        }
        if (recorder.started() && recorder.coveredSeqnos() > 0) {
            checkVector(recorder, arrived, recorder.ackno(), vector);
        }
    }

    private static void record(AckVectorRecorder recorder, Map<Long, Integer> arrived, long seqno, boolean marked) {
        int before = recorder.state(seqno);
        boolean held = before == AckVector.RECEIVED || before == AckVector.ECN_MARKED;
        int state = marked ? AckVector.ECN_MARKED : AckVector.RECEIVED;
        AckVectorRecorder.Outcome outcome = recorder.record(seqno, state);
        if (outcome == AckVectorRecorder.Outcome.TOO_OLD) {
            assertThat(held).as("%d held but too old", seqno).isFalse();
            return;
        }
        int expected = held ? before : state;
        arrived.put(seqno, expected);
        assertThat(outcome == AckVectorRecorder.Outcome.DUPLICATE).as("%d duplicate", seqno).isEqualTo(held);
        assertThat(recorder.state(seqno)).as("state of %d after %s", seqno, outcome).isEqualTo(expected);
        if (outcome == AckVectorRecorder.Outcome.IN_ORDER || outcome == AckVectorRecorder.Outcome.AFTER_GAP) {
            assertThat(recorder.ackno()).isEqualTo(seqno);
        }
    }

    private static void checkVector(AckVectorRecorder recorder, Map<Long, Integer> arrived, long ackno, ByteBuffer vector) {
        int written = recorder.writeCells(ackno, vector, GUARD, vector.capacity() - GUARD);
        long covered = AckVector.forEachRun(ackno, vector, GUARD, written, (high, length, state) -> {
            for (int i = 0; i < length; i++) {
                long s = Seq48.add(high, -i);
                assertThat(recorder.state(s)).as("state of %d", s).isEqualTo(state);
                if (state != AckVector.NOT_RECEIVED) {
                    assertThat(arrived.get(s)).as("%d reported received", s).isEqualTo(state);
                }
            }
            return true;
        });
        assertThat(covered).isEqualTo(Seq48.delta(ackno, recorder.lowestSeqno()) + 1);
    }

    /**
     * Whatever the acknowledgements say, the sender reports each data packet acknowledged at most
     * once and lost at most once (never lost after acknowledged), only packets it sent as data;
     * pipe equals the data packets neither acknowledged nor lost; cwnd, ssthresh, the timeout and
     * the Ack Ratio stay in their ranges. {@link AckVector#forEachRun} on the same cells covers
     * exactly the sum of their run lengths, newest first and contiguous, or rejects a reserved state.
     */
    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION)
    void ccid2Sender(FuzzedDataProvider data) {
        int history = data.consumeInt(8, 64);
        int maxCwnd = data.consumeInt(2, Integer.highestOneBit(history - 1) << 1 >> 1);
        Ccid2Config config = Ccid2Config.builder().historyCapacity(history).maxCwnd(maxCwnd)
                .cwndValidation(data.consumeBoolean()).build();
        Model model = new Model();
        Ccid2Sender sender = new Ccid2Sender(config, model);
        long next = data.consumeLong(0, Seq48.MASK);
        long now = data.consumeLong(-(1L << 62), 1L << 62);
        ByteBuffer cells = ByteBuffer.allocate(2 * GUARD + 600);
        while (data.remainingBytes() > 0) {
            now += data.consumeLong(0, 3_000_000_000L);
            switch (data.consumeInt(0, 6)) {
                case 0, 1 -> {
                    next = Seq48.add(next, data.consumeBoolean() ? 1 : data.consumeInt(1, 3 * history));
                    boolean isData = data.consumeBoolean() && sender.canSend();
                    sender.onSent(next, now, isData);
                    if (isData) {
                        model.outstanding.add(next);
                        model.sentData.add(next);
                    }
                }
                case 2, 3 -> {
                    long ackno = data.consumeBoolean() ? Seq48.add(next, -data.consumeInt(-2, 2 * history))
                            : data.consumeLong(0, Seq48.MASK);
                    byte[] vector = data.consumeBytes(data.consumeInt(0, 600));
                    cells.put(GUARD, vector);
                    checkRuns(ackno, cells, vector);
                    sender.onAck(ackno, vector.length == 0 && data.consumeBoolean() ? null : cells, GUARD, vector.length, now);
                }
                case 4 -> {
                    if (data.consumeBoolean() && sender.isRtoArmed() && sender.rtoDeadlineNanos() - now > 0) {
                        now = sender.rtoDeadlineNanos();
                    }
                    sender.onRtoExpired(now);
                }
                case 5 -> sender.onPeerPacket(data.consumeLong(0, Seq48.MASK), data.consumeBoolean(), data.consumeBoolean());
                default -> {
                    switch (data.consumeInt(0, 2)) {
                        case 0 -> sender.onSlowReceiver();
                        case 1 -> sender.onReceiveBufferDrops(data.consumeInt(0, 100));
                        default -> {
                            if (sender.ackOfAckDue()) {
                                sender.onAckOfAckSent();
                            }
                        }
                    }
                }
            }
            assertThat(sender.pipe()).as("pipe").isEqualTo(model.outstanding.size());
            assertThat(sender.cwnd()).as("cwnd").isBetween(1, maxCwnd);
            assertThat(sender.ssthresh()).as("ssthresh").isGreaterThanOrEqualTo(2);
            assertThat(sender.rtoNanos()).as("rto").isBetween(config.minRtoNanos(), config.maxRtoNanos());
            assertThat(sender.ackRatio()).as("ack ratio").isBetween(1, 65535);
        }
    }

    private static void checkRuns(long ackno, ByteBuffer cells, byte[] vector) {
        long expected = 0;
        for (byte cell : vector) {
            if (AckVector.state(cell) == AckVector.RESERVED) {
                expected = -1;
                break;
            }
            expected += AckVector.length(cell);
        }
        long[] nextHigh = {ackno};
        long covered = AckVector.forEachRun(ackno, cells, GUARD, vector.length, (high, length, state) -> {
            assertThat(high).isEqualTo(nextHigh[0]);
            assertThat(length).isBetween(1, AckVector.MAX_RUN);
            assertThat(state).isNotEqualTo(AckVector.RESERVED);
            nextHigh[0] = Seq48.add(high, -length);
            return true;
        });
        assertThat(covered).isEqualTo(expected);
        if (covered >= 0) {
            assertThat(nextHigh[0]).isEqualTo(Seq48.add(ackno, -covered));
        }
    }

    /** What the sender reported, checked as it reports it. */
    private static final class Model implements Ccid2Listener {
        final Set<Long> sentData = new HashSet<>();
        final Set<Long> outstanding = new HashSet<>();
        final Set<Long> acked = new HashSet<>();
        final Set<Long> lost = new HashSet<>();

        @Override
        public void onAcked(long seqno) {
            assertThat(sentData).as("acked data packet").contains(seqno);
            assertThat(acked.add(seqno)).as("%d acked once", seqno).isTrue();
            outstanding.remove(seqno);
        }

        @Override
        public void onLost(long seqno) {
            assertThat(sentData).as("lost data packet").contains(seqno);
            assertThat(acked).as("lost after acked").doesNotContain(seqno);
            assertThat(lost.add(seqno)).as("%d lost once", seqno).isTrue();
            outstanding.remove(seqno);
        }

        @Override
        public void onAckRatioChange(int ackRatio) {
            assertThat(ackRatio).isBetween(1, 65535);
        }
    }
}
