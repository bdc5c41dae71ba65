package io.qsockets.impl.dccp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Test double: {@link UnlimitedCongestionControl} that records what the connection reports of
 * the peer's Data Dropped and Slow Receiver options. Engine-thread confined, as a CCID is.
 */
final class RecordingCongestionControl implements CongestionControl {
    private final UnlimitedCongestionControl inner;
    final List<Long> marked = new ArrayList<>();
    int receiveBufferDrops;
    int slowReceivers;

    private RecordingCongestionControl(Listener listener) {
        this.inner = new UnlimitedCongestionControl(listener);
    }

    /** @return a factory whose every creation is also handed to {@code into} */
    static Factory factory(List<RecordingCongestionControl> into) {
        return listener -> {
            RecordingCongestionControl cc = new RecordingCongestionControl(listener);
            into.add(cc);
            return cc;
        };
    }

    @Override
    public boolean canSend() {
        return inner.canSend();
    }

    @Override
    public void onSent(long seqno, long now, boolean isData) {
        inner.onSent(seqno, now, isData);
    }

    @Override
    public void onAck(long ackno, ByteBuffer cells, int index, int length, long now) {
        inner.onAck(ackno, cells, index, length, now);
    }

    @Override
    public long nextTimerNanos() {
        return inner.nextTimerNanos();
    }

    @Override
    public void onTimer(long now) {
        inner.onTimer(now);
    }

    @Override
    public int cwnd() {
        return inner.cwnd();
    }

    @Override
    public int pipe() {
        return inner.pipe();
    }

    @Override
    public long rtoNanos() {
        return inner.rtoNanos();
    }

    @Override
    public void onReceiveBufferDrops(int packets) {
        receiveBufferDrops += packets;
    }

    @Override
    public void onCongestionMarked(long seqno) {
        marked.add(seqno);
    }

    @Override
    public void onSlowReceiver() {
        slowReceivers++;
    }
}
