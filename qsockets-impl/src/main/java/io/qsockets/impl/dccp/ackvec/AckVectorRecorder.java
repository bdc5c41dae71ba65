package io.qsockets.impl.dccp.ackvec;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The HC-Receiver's record of the packets it has received, from which it writes Ack Vectors
 * (RFC 4340 §11.4 and the buffer of Appendix A).
 *
 * <p><b>Structure.</b> A ring of Ack Vector cells (one byte each, see {@link AckVector}), newest
 * first: the head cell starts at the greatest sequence number recorded ({@link #ackno()}), and
 * each older cell covers the packets just before the previous one. In-order packets of one state
 * lengthen the head cell up to 64 packets; a sequence number beyond {@code ackno() + 1} first
 * enters the missing packets as {@link AckVector#NOT_RECEIVED} cells; a packet that fills a hole
 * splits its not-received cell in place (at most two more cells). Recording costs O(1) for new
 * packets and O(cells newer than the hole) for late ones.
 *
 * <p><b>Acks of acks (Appendix A.3).</b> The owner tells {@link #onAckVectorSent} which of its own
 * packets carried a vector up to which Acknowledgement Number; when the peer acknowledges such a
 * packet ({@link #onAckOfAck}) the peer has seen that vector, so all state up to its
 * Acknowledgement Number is forgotten. If a late packet fills a hole that a vector already sent
 * reported as not received, that vector's record is lowered to just below the late packet, so the
 * packet's arrival is not forgotten before the peer has been told of it.
 *
 * <p><b>Bounded memory.</b> The cell ring and the ack records have fixed capacities (rounded up
 * to powers of two) and nothing is allocated after construction. When a new packet needs a cell
 * and the ring is full, the <em>oldest</em> cell is forgotten ({@link #overflowCount()} counts
 * these events): the peer then never hears again about those packets and treats them as not
 * received (RFC 4340 §11.4). A jump of more than {@code (capacity - 1) * 64} sequence numbers
 * forgets everything before it and keeps only the newest part of the gap. Packets at or before the
 * forgotten region are {@link Outcome#TOO_OLD}. The connection's sequence-validity window
 * (RFC 4340 §7.5) normally keeps jumps far smaller. When the ack records are full the oldest is
 * dropped: state then waits for a later ack-of-ack, which is always safe.
 *
 * <p>State 1 (ECN marked) is recorded as given; a duplicate of a packet already recorded keeps its
 * first state (RFC 4340 §11.4.1 allows either). ECN Nonce sums are not kept: vectors are meant for
 * option type 38 (nonce echo 0).
 *
 * <p><b>Thread-safety:</b> none; confined to the engine thread.
 */
public final class AckVectorRecorder {

    /** Default number of cells: 2048 bytes, at least 2048 and up to 131072 packets. */
    public static final int DEFAULT_CELL_CAPACITY = 2048;
    /** Default number of remembered Ack Vectors sent and not yet acknowledged. */
    public static final int DEFAULT_ACK_RECORD_CAPACITY = 128;
    /** The largest capacity accepted for either ring. */
    public static final int MAX_CAPACITY = 1 << 24;

    /** What {@link #record} did with a packet. */
    public enum Outcome {
        /** The next sequence number after {@link #ackno()}. */
        IN_ORDER,
        /** A new greatest sequence number after a gap: the packets between are not received. */
        AFTER_GAP,
        /** An older packet that filled a hole: it was not received before. */
        LATE,
        /** Already recorded as received; its state is unchanged. */
        DUPLICATE,
        /** Older than anything still recorded (forgotten after an ack-of-ack or an overflow); not recorded. */
        TOO_OLD
    }

    private final byte[] cells;
    private final int cellMask;
    /** Index of the newest cell. */
    private int head;
    private int count;
    /** How many sequence numbers the live cells cover, ending at {@link #headSeq}. */
    private long covered;
    private long headSeq;
    private boolean started;
    /** Set by {@link #locate}. */
    private long locatedStart;

    private final long[] recordSeqno;
    private final long[] recordAckno;
    private final int recordMask;
    /** Index of the newest ack record. */
    private int recordHead;
    private int recordCount;

    private long recorded;
    private long duplicates;
    private long tooOld;
    private long overflows;
    private long acksOfAcks;
    private long unmatchedAcksOfAcks;

    /** A recorder with {@link #DEFAULT_CELL_CAPACITY} cells and {@link #DEFAULT_ACK_RECORD_CAPACITY} records. */
    public AckVectorRecorder() {
        this(DEFAULT_CELL_CAPACITY, DEFAULT_ACK_RECORD_CAPACITY);
    }

    /**
     * @param cellCapacity cells to keep, 2 to {@link #MAX_CAPACITY} (rounded up to a power of two)
     * @param ackRecordCapacity Ack Vectors sent to remember, 1 to {@link #MAX_CAPACITY} (rounded up)
     */
    public AckVectorRecorder(int cellCapacity, int ackRecordCapacity) {
        int cellsSize = powerOfTwo("cell capacity", cellCapacity, 2);
        int recordsSize = powerOfTwo("ack record capacity", ackRecordCapacity, 1);
        this.cells = new byte[cellsSize];
        this.cellMask = cellsSize - 1;
        this.recordSeqno = new long[recordsSize];
        this.recordAckno = new long[recordsSize];
        this.recordMask = recordsSize - 1;
    }

    private static int powerOfTwo(String what, int value, int min) {
        if (value < min || value > MAX_CAPACITY) {
            throw new IllegalArgumentException(what + " " + value + " is out of range: must be " + min + " to " + MAX_CAPACITY);
        }
        return Math.max(min, value == 1 ? 1 : Integer.highestOneBit(value - 1) << 1);
    }

    /**
     * Records the arrival of an acknowledgeable packet.
     *
     * @param seqno its sequence number
     * @param state {@link AckVector#RECEIVED}, or {@link AckVector#ECN_MARKED} when it arrived with
     *     ECN Congestion Experienced
     * @return what was done; after {@link Outcome#TOO_OLD} the packet cannot be acknowledged, so its
     *     options should not be processed
     */
    public Outcome record(long seqno, int state) {
        Seq48.check("sequence number", seqno);
        if (state != AckVector.RECEIVED && state != AckVector.ECN_MARKED) {
            throw new IllegalArgumentException("state " + state + " cannot be recorded: must be 0 (received) or 1 (ECN marked)");
        }
        if (!started) {
            started = true;
            headSeq = seqno;
            push(AckVector.cell(state, 1));
            covered = 1;
            recorded++;
            return Outcome.IN_ORDER;
        }
        long d = Seq48.delta(seqno, headSeq);
        if (d <= 0) {
            return recordOld(seqno, -d, state);
        }
        long gap = d - 1;
        if (gap > 0) {
            pushGap(gap);
        }
        if (gap == 0 && count > 0 && AckVector.state(cells[head]) == state
                && AckVector.length(cells[head]) < AckVector.MAX_RUN) {
            cells[head]++;
        } else {
            push(AckVector.cell(state, 1));
        }
        covered++;
        headSeq = seqno;
        recorded++;
        return gap == 0 ? Outcome.IN_ORDER : Outcome.AFTER_GAP;
    }

    private Outcome recordOld(long seqno, long back, int state) {
        if (back >= covered) {
            tooOld++;
            return Outcome.TOO_OLD;
        }
        int k = locate(back);
        long start = locatedStart;
        byte cell = cells[index(k)];
        if (AckVector.state(cell) != AckVector.NOT_RECEIVED) {
            duplicates++;
            return Outcome.DUPLICATE;
        }
        int newer = (int) (back - start);
        int older = AckVector.length(cell) - newer - 1;
        int extra = (newer > 0 ? 1 : 0) + (older > 0 ? 1 : 0);
        while (count + extra > cells.length) {
            if (k == count - 1) {
                tooOld++;
                return Outcome.TOO_OLD;
            }
            dropOldest();
        }
        for (int j = 0; j < k; j++) {
            int from = index(j);
            cells[(from + extra) & cellMask] = cells[from];
        }
        head = (head + extra) & cellMask;
        count += extra;
        int at = k;
        if (newer > 0) {
            cells[index(at++)] = AckVector.cell(AckVector.NOT_RECEIVED, newer);
        }
        cells[index(at++)] = AckVector.cell(state, 1);
        if (older > 0) {
            cells[index(at)] = AckVector.cell(AckVector.NOT_RECEIVED, older);
        }
        lowerRecordsBelow(seqno);
        recorded++;
        return Outcome.LATE;
    }

    /** Vectors sent before {@code seqno} arrived said it was missing: never prune past it on their account. */
    private void lowerRecordsBelow(long seqno) {
        long below = Seq48.add(seqno, -1);
        for (int i = 0; i < recordCount; i++) {
            int r = (recordHead - i) & recordMask;
            if (Seq48.delta(recordAckno[r], seqno) >= 0) {
                recordAckno[r] = below;
            }
        }
    }

    private void pushGap(long gap) {
        long room = cells.length - 1L;
        if ((gap + AckVector.MAX_RUN - 1) / AckVector.MAX_RUN > room) {
            overflows++;
            count = 0;
            covered = 0;
            gap = room * AckVector.MAX_RUN;
        }
        int partial = (int) (gap % AckVector.MAX_RUN);
        if (partial != 0) {
            push(AckVector.cell(AckVector.NOT_RECEIVED, partial));
        }
        for (long full = gap / AckVector.MAX_RUN; full > 0; full--) {
            push(AckVector.cell(AckVector.NOT_RECEIVED, AckVector.MAX_RUN));
        }
        covered += gap;
    }

    private void push(byte cell) {
        if (count == cells.length) {
            overflows++;
            dropOldest();
        }
        head = (head + 1) & cellMask;
        cells[head] = cell;
        count++;
    }

    private void dropOldest() {
        covered -= AckVector.length(cells[index(count - 1)]);
        count--;
    }

    /**
     * @param back how far before {@link #headSeq} a sequence number is, less than {@link #covered}
     * @return the number of the cell that covers it, 0 being the newest; {@link #locatedStart}
     *     is then how far before {@link #headSeq} that cell starts
     */
    private int locate(long back) {
        int k = 0;
        long start = 0;
        for (int length = AckVector.length(cells[head]); back >= start + length; length = AckVector.length(cells[index(k)])) {
            start += length;
            k++;
        }
        locatedStart = start;
        return k;
    }

    /** @return the ring index of the {@code k}-th newest cell */
    private int index(int k) {
        return (head - k) & cellMask;
    }

    /**
     * Writes the vector that starts at {@link #ackno()}; see {@link #writeCells(long, ByteBuffer, int, int)}.
     */
    public int writeCells(ByteBuffer dst, int index, int maxCells) {
        requireStarted();
        return writeCells(headSeq, dst, index, maxCells);
    }

    /**
     * Writes the Ack Vector cells for an Acknowledgement Number, newest first, compressing
     * neighbouring cells of one state (runs longer than 64 packets take several cells). When
     * {@code maxCells} is reached the older state is left out. The buffer's position is not
     * changed.
     *
     * @param ackno the Acknowledgement Number; recorded as received or ECN marked, at or before
     *     {@link #ackno()}
     * @param dst where to write
     * @param index the absolute index of the first cell in {@code dst}
     * @param maxCells the most cells to write (e.g. {@code 253} per option)
     * @return how many cells were written
     */
    public int writeCells(long ackno, ByteBuffer dst, int index, int maxCells) {
        Seq48.check("Acknowledgement Number", ackno);
        Objects.checkFromIndexSize(index, maxCells, dst.limit());
        requireStarted();
        long back = Seq48.delta(headSeq, ackno);
        if (back < 0 || back >= covered) {
            throw new IllegalArgumentException("Acknowledgement Number " + ackno + " is not recorded: must be in ["
                    + lowestSeqno() + ", " + headSeq + "]");
        }
        int k = locate(back);
        long start = locatedStart;
        byte first = cells[index(k)];
        int runState = AckVector.state(first);
        if (runState == AckVector.NOT_RECEIVED) {
            throw new IllegalArgumentException("Acknowledgement Number " + ackno + " was not received: it cannot start an Ack Vector");
        }
        long runLength = AckVector.length(first) - (back - start);
        int written = 0;
        for (k++; k < count && written < maxCells; k++) {
            byte cell = cells[index(k)];
            if (AckVector.state(cell) == runState) {
                runLength += AckVector.length(cell);
            } else {
                written = emit(dst, index, written, maxCells, runState, runLength);
                runState = AckVector.state(cell);
                runLength = AckVector.length(cell);
            }
        }
        return emit(dst, index, written, maxCells, runState, runLength);
    }

    private static int emit(ByteBuffer dst, int index, int written, int maxCells, int state, long runLength) {
        while (runLength > 0 && written < maxCells) {
            int length = (int) Math.min(AckVector.MAX_RUN, runLength);
            dst.put(index + written++, (byte) (state << 6 | (length - 1)));
            runLength -= length;
        }
        return written;
    }

    /**
     * Remembers that one of our packets carried an Ack Vector, so that its acknowledgement by the
     * peer can free state.
     *
     * @param ourSeqno the sequence number of our packet that carried the vector; later than the
     *     previous one given
     * @param ackno the Acknowledgement Number the vector started at
     */
    public void onAckVectorSent(long ourSeqno, long ackno) {
        Seq48.check("our sequence number", ourSeqno);
        Seq48.check("Acknowledgement Number", ackno);
        requireStarted();
        if (Seq48.after(ackno, headSeq)) {
            throw new IllegalArgumentException("Acknowledgement Number " + ackno + " is after the greatest recorded " + headSeq);
        }
        if (recordCount > 0 && !Seq48.after(ourSeqno, recordSeqno[recordHead])) {
            throw new IllegalArgumentException("our sequence number " + ourSeqno
                    + " must come after the previous one with an Ack Vector, " + recordSeqno[recordHead]);
        }
        recordHead = (recordHead + 1) & recordMask;
        recordSeqno[recordHead] = ourSeqno;
        recordAckno[recordHead] = ackno;
        if (recordCount <= recordMask) {
            recordCount++;
        }
    }

    /**
     * Handles the Acknowledgement Number of a packet from the peer: if it acknowledges one of our
     * packets that carried an Ack Vector, the state that vector reported is forgotten, and so are
     * the records of that and older vectors.
     *
     * @param peerAckno the Acknowledgement Number the peer sent (one of our sequence numbers)
     * @return whether it matched a remembered vector
     */
    public boolean onAckOfAck(long peerAckno) {
        Seq48.check("Acknowledgement Number", peerAckno);
        for (int i = 0; i < recordCount; i++) {
            int r = (recordHead - i) & recordMask;
            long d = Seq48.delta(recordSeqno[r], peerAckno);
            if (d == 0) {
                pruneThrough(recordAckno[r]);
                recordCount = i;
                acksOfAcks++;
                return true;
            }
            if (d < 0) {
                break;
            }
        }
        unmatchedAcksOfAcks++;
        return false;
    }

    /**
     * Forgets the state of every sequence number at or before {@code seqno} (the peer is known to
     * have it). Later packets at or before it are {@link Outcome#TOO_OLD}.
     *
     * @param seqno the newest sequence number to forget
     */
    public void pruneThrough(long seqno) {
        Seq48.check("sequence number", seqno);
        if (!started) {
            return;
        }
        long keep = Math.max(0, Seq48.delta(headSeq, seqno));
        while (covered > keep) {
            int tail = index(count - 1);
            int length = AckVector.length(cells[tail]);
            if (covered - length >= keep) {
                covered -= length;
                count--;
            } else {
                cells[tail] = AckVector.cell(AckVector.state(cells[tail]), (int) (length - (covered - keep)));
                covered = keep;
            }
        }
    }

    /**
     * @param seqno a sequence number
     * @return its recorded state ({@link AckVector#RECEIVED}, {@link AckVector#ECN_MARKED} or
     *     {@link AckVector#NOT_RECEIVED}), or -1 when it is not covered (never seen, forgotten, or
     *     after {@link #ackno()})
     */
    public int state(long seqno) {
        Seq48.check("sequence number", seqno);
        long back = started ? Seq48.delta(headSeq, seqno) : -1;
        if (back < 0 || back >= covered) {
            return -1;
        }
        return AckVector.state(cells[index(locate(back))]);
    }

    /** @return whether the state of {@code seqno} is still held (it would be reported) */
    public boolean holds(long seqno) {
        return state(seqno) != -1;
    }

    /** @return whether anything was ever recorded; {@link #ackno()} is defined only then */
    public boolean started() {
        return started;
    }

    /** @return the greatest sequence number recorded, where a vector normally starts */
    public long ackno() {
        requireStarted();
        return headSeq;
    }

    /** @return the oldest sequence number still covered; meaningful when {@link #coveredSeqnos()} is positive */
    public long lowestSeqno() {
        return Seq48.add(headSeq, 1 - covered);
    }

    /** @return how many sequence numbers the held state covers, ending at {@link #ackno()} */
    public long coveredSeqnos() {
        return covered;
    }

    /** @return how many cells are held (at most {@link #cellCapacity()}) */
    public int cellCount() {
        return count;
    }

    /** @return the cell ring's capacity */
    public int cellCapacity() {
        return cells.length;
    }

    /** @return how many Ack Vectors sent are remembered, awaiting an ack-of-ack */
    public int pendingAckRecords() {
        return recordCount;
    }

    /** @return packets recorded (new or late) */
    public long recordedCount() {
        return recorded;
    }

    /** @return duplicates ignored */
    public long duplicateCount() {
        return duplicates;
    }

    /** @return packets older than the held state, not recorded */
    public long tooOldCount() {
        return tooOld;
    }

    /** @return times the oldest state was forgotten for want of room */
    public long overflowCount() {
        return overflows;
    }

    /** @return acks-of-acks that freed state */
    public long ackOfAckCount() {
        return acksOfAcks;
    }

    /** @return Acknowledgement Numbers from the peer that matched no remembered Ack Vector */
    public long unmatchedAckOfAckCount() {
        return unmatchedAcksOfAcks;
    }

    private void requireStarted() {
        if (!started) {
            throw new IllegalStateException("no packet has been recorded yet");
        }
    }

    @Override
    public String toString() {
        return "AckVectorRecorder[ackno=" + (started ? headSeq : "none") + ", covered=" + covered + ", cells=" + count
                + "/" + cells.length + ", ackRecords=" + recordCount + "]";
    }
}
