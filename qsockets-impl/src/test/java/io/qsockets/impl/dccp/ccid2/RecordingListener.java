package io.qsockets.impl.dccp.ccid2;

import java.util.ArrayList;
import java.util.List;

/** A {@link Ccid2Listener} that keeps every report, in order. */
final class RecordingListener implements Ccid2Listener {
    final List<Long> acked = new ArrayList<>();
    final List<Long> lost = new ArrayList<>();
    final List<Integer> ackRatios = new ArrayList<>();

    @Override
    public void onAcked(long seqno) {
        acked.add(seqno);
    }

    @Override
    public void onLost(long seqno) {
        lost.add(seqno);
    }

    @Override
    public void onAckRatioChange(int ackRatio) {
        ackRatios.add(ackRatio);
    }
}
