package io.qsockets.impl.dccp.ccid2;

import io.qsockets.impl.dccp.ackvec.AckVector;
import io.qsockets.impl.dccp.ackvec.AckVectorRecorder;
import io.qsockets.impl.dccp.ackvec.Seq48;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * A {@link Ccid2Sender} facing a scripted peer on simulated time: the test says which packets
 * arrive (a real {@link AckVectorRecorder} records them) and when an acknowledgement with the
 * recorder's Ack Vector goes back.
 */
final class SenderHarness {
    final RecordingListener listener = new RecordingListener();
    final Ccid2Sender sender;
    final AckVectorRecorder peer = new AckVectorRecorder(8192, 64);
    private final ByteBuffer cells = ByteBuffer.allocate(4096);
    long nextSeq;
    long now = 1_000_000_000L;

    SenderHarness(Ccid2Config config, long firstSeq) {
        this.sender = new Ccid2Sender(config, listener);
        this.nextSeq = firstSeq;
    }

    SenderHarness(Ccid2Config config) {
        this(config, 0);
    }

    long send(boolean isData) {
        long seq = nextSeq;
        sender.onSent(seq, now, isData);
        nextSeq = Seq48.add(nextSeq, 1);
        return seq;
    }

    /** Sends data packets while the window allows. */
    List<Long> sendWindow() {
        List<Long> sent = new ArrayList<>();
        while (sender.canSend()) {
            sent.add(send(true));
        }
        return sent;
    }

    void arrive(long seq) {
        peer.record(seq, AckVector.RECEIVED);
    }

    void arriveMarked(long seq) {
        peer.record(seq, AckVector.ECN_MARKED);
    }

    /** The peer acknowledges everything it has, now. */
    boolean ack() {
        int n = peer.writeCells(cells, 0, cells.capacity());
        return sender.onAck(peer.ackno(), cells, 0, n, now);
    }

    /**
     * One round trip: sends a full window now, moves time by {@code rttNanos}, and delivers the
     * packets {@code dropped} does not refuse, acknowledging after every {@code ackEvery} arrivals
     * and once more for the rest.
     *
     * @return the packets sent
     */
    List<Long> roundTrip(long rttNanos, int ackEvery, LongPredicate dropped) {
        List<Long> sent = sendWindow();
        now += rttNanos;
        int arrived = 0;
        for (long seq : sent) {
            if (dropped.test(seq)) {
                continue;
            }
            arrive(seq);
            if (++arrived % ackEvery == 0) {
                ack();
            }
        }
        if (arrived % ackEvery != 0) {
            ack();
        }
        return sent;
    }

    List<Long> roundTrip(long rttNanos) {
        return roundTrip(rttNanos, 2, seq -> false);
    }
}
