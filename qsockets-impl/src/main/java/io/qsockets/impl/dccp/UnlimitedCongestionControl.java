package io.qsockets.impl.dccp;

import io.qsockets.impl.dccp.ackvec.AckVector;
import io.qsockets.impl.dccp.wire.SequenceNumbers;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * No congestion control: {@link #canSend()} is always true. It still tells its listener which data
 * packets were acknowledged (Ack Vector state 0 or 1, or the Acknowledgement Number alone) and
 * which are lost (reported not received by an Ack Vector while a packet sent
 * {@value #NUMDUPACK} or more sequence numbers later was acknowledged, or pushed out of the
 * history of {@value #HISTORY} outstanding packets). Meant for tests and for links that need no
 * congestion control; CCID 2 is the production choice. Engine-thread confined.
 */
public final class UnlimitedCongestionControl implements CongestionControl {

    /** Sequence numbers after a missing packet that must be acknowledged before it is lost. */
    public static final int NUMDUPACK = 3;
    /** Outstanding data packets remembered. */
    public static final int HISTORY = 1024;

    private static final byte OUTSTANDING = 0;
    private static final byte MISSING = 1;
    private static final byte DONE = 2;

    private final Listener listener;
    private final long[] seqnos = new long[HISTORY];
    private final byte[] marks = new byte[HISTORY];
    private int head;
    private int count;
    private long highestAcked = -1;

    /** @param listener told of acknowledged and lost data packets */
    public UnlimitedCongestionControl(Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public boolean canSend() {
        return true;
    }

    @Override
    public void onSent(long seqno, long now, boolean isData) {
        if (!isData) {
            return;
        }
        if (count == HISTORY) {
            if (marks[head] != DONE) {
                listener.onLost(seqnos[head]);
            }
            head = (head + 1) % HISTORY;
            count--;
        }
        int i = (head + count) % HISTORY;
        seqnos[i] = seqno;
        marks[i] = OUTSTANDING;
        count++;
    }

    @Override
    public void onAck(long ackno, ByteBuffer cells, int index, int length, long now) {
        for (int k = 0; k < count; k++) {
            int i = (head + k) % HISTORY;
            if (marks[i] == DONE) {
                continue;
            }
            int state = stateOf(seqnos[i], ackno, cells, index, length);
            if (state == AckVector.RECEIVED || state == AckVector.ECN_MARKED) {
                marks[i] = DONE;
                if (highestAcked < 0 || SequenceNumbers.after(seqnos[i], highestAcked)) {
                    highestAcked = seqnos[i];
                }
                listener.onAcked(seqnos[i]);
            } else if (state == AckVector.NOT_RECEIVED) {
                marks[i] = MISSING;
            }
        }
        highestAcked = highestAcked < 0 ? ackno : SequenceNumbers.max(highestAcked, ackno);
        for (int k = 0; k < count; k++) {
            int i = (head + k) % HISTORY;
            if (marks[i] == MISSING && SequenceNumbers.delta(highestAcked, seqnos[i]) >= NUMDUPACK) {
                marks[i] = DONE;
                listener.onLost(seqnos[i]);
            }
        }
        while (count > 0 && marks[head] == DONE) {
            head = (head + 1) % HISTORY;
            count--;
        }
    }

    /** The state of {@code seqno} in the vector, {@link AckVector#RECEIVED} for the ackno alone, or -1. */
    private static int stateOf(long seqno, long ackno, ByteBuffer cells, int index, int length) {
        long back = SequenceNumbers.delta(ackno, seqno);
        if (back < 0) {
            return -1;
        }
        if (length == 0) {
            return back == 0 ? AckVector.RECEIVED : -1;
        }
        for (int c = index; c < index + length; c++) {
            byte cell = cells.get(c);
            int run = AckVector.length(cell);
            if (back < run) {
                return AckVector.state(cell);
            }
            back -= run;
        }
        return -1;
    }

    @Override
    public long nextTimerNanos() {
        return Long.MAX_VALUE;
    }

    @Override
    public void onTimer(long now) {
    }

    @Override
    public int cwnd() {
        return Integer.MAX_VALUE;
    }

    @Override
    public int pipe() {
        int outstanding = 0;
        for (int k = 0; k < count; k++) {
            if (marks[(head + k) % HISTORY] != DONE) {
                outstanding++;
            }
        }
        return outstanding;
    }

    @Override
    public long rtoNanos() {
        return 0;
    }
}
