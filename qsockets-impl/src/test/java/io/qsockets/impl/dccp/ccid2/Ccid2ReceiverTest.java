package io.qsockets.impl.dccp.ccid2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qsockets.impl.dccp.ackvec.AckVector;
import io.qsockets.impl.dccp.ackvec.AckVectorRecorder.Outcome;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Ccid2Receiver}: when acknowledgements are due, what they carry, and acks of acks. */
@Timeout(10)
class Ccid2ReceiverTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Ccid2Receiver receiver = new Ccid2Receiver(Ccid2Config.defaults());
    private final ByteBuffer cells = ByteBuffer.allocate(512);
    private long now = 5_000 * MS;

    private Outcome data(long seq) {
        return receiver.onPacketReceived(seq, true, false, now);
    }

    private byte[] vector() {
        int n = receiver.writeAckVector(cells, 0, 253);
        return Arrays.copyOf(cells.array(), n);
    }

    @Test
    void acknowledgesEveryAckRatioDataPackets() {
        assertThat(receiver.ackDue(now)).isFalse();
        data(1);
        assertThat(receiver.ackDue(now)).isFalse();
        data(2);
        assertThat(receiver.ackDue(now)).isTrue();
        receiver.onAckSent(100);
        assertThat(receiver.ackDue(now)).isFalse();
        assertThat(receiver.hasPendingAck()).isFalse();

        receiver.setAckRatio(3);
        data(3);
        data(4);
        assertThat(receiver.ackDue(now)).isFalse();
        data(5);
        assertThat(receiver.ackDue(now)).isTrue();
        assertThat(receiver.ackno()).isEqualTo(5);
        assertThat(vector()).containsExactly(AckVector.cell(AckVector.RECEIVED, 5));
    }

    @Test
    void noDataPacketWaitsLongerThanTheDelayedAckBound() {
        data(1);
        assertThat(receiver.ackDeadlineNanos()).isEqualTo(now + 200 * MS);
        now += 150 * MS;
        receiver.setAckRatio(10);
        data(2);
        assertThat(receiver.ackDeadlineNanos()).isEqualTo(now + 50 * MS);
        assertThat(receiver.ackDue(now + 49 * MS)).isFalse();
        assertThat(receiver.ackDue(now + 50 * MS)).isTrue();
        receiver.onAckSent(1);
        assertThat(receiver.ackDeadlineNanos()).isEqualTo(Ccid2Receiver.NO_DEADLINE);
    }

    @Test
    void marksAndReorderingAreAcknowledgedAtOnce() {
        receiver.setAckRatio(100);
        data(1);
        assertThat(receiver.ackDue(now)).isFalse();
        assertThat(receiver.onPacketReceived(2, true, true, now)).isEqualTo(Outcome.IN_ORDER);
        assertThat(receiver.ackDue(now)).isTrue();
        receiver.onAckSent(1);

        assertThat(data(4)).isEqualTo(Outcome.AFTER_GAP);
        assertThat(receiver.ackDue(now)).isTrue();
        receiver.onAckSent(2);
        assertThat(data(3)).isEqualTo(Outcome.LATE);
        assertThat(receiver.ackDue(now)).isTrue();
        receiver.onAckSent(3);
        assertThat(data(3)).isEqualTo(Outcome.DUPLICATE);
        assertThat(receiver.ackDue(now)).isFalse();
        assertThat(receiver.dataPacketsReceived()).isEqualTo(4);
    }

    @Test
    void nonDataPacketsAreRecordedButNeedNoAcknowledgement() {
        receiver.onPacketReceived(1, false, false, now);
        receiver.onPacketReceived(3, false, true, now);
        assertThat(receiver.hasPendingAck()).isFalse();
        assertThat(receiver.ackDue(now + 10_000 * MS)).isFalse();
        assertThat(vector()).containsExactly(
                AckVector.cell(AckVector.ECN_MARKED, 1), AckVector.cell(AckVector.NOT_RECEIVED, 1), AckVector.cell(AckVector.RECEIVED, 1));
    }

    @Test
    void acksOfAcksFreeStateAndQuiescenceFollows() {
        for (long s = 1; s <= 10; s++) {
            data(s);
        }
        vector();
        receiver.onAckSent(500);
        data(11);
        vector();
        receiver.onAckSent(501);
        assertThat(receiver.recorder().coveredSeqnos()).isEqualTo(11);

        assertThat(receiver.onAckOfAck(500)).isTrue();
        assertThat(vector()).containsExactly(AckVector.cell(AckVector.RECEIVED, 1));
        assertThat(receiver.senderQuiescent(now + 10_000 * MS, 0)).isFalse(); // packet 11 not yet known acknowledged

        assertThat(receiver.onAckOfAck(501)).isTrue();
        assertThat(receiver.recorder().coveredSeqnos()).isZero();
        assertThat(receiver.senderQuiescent(now + 199 * MS, 0)).isFalse();
        assertThat(receiver.senderQuiescent(now + 200 * MS, 0)).isTrue();
        assertThat(receiver.senderQuiescent(now + 200 * MS, 150 * MS)).isFalse(); // two round trips
        assertThat(receiver.senderQuiescent(now + 300 * MS, 150 * MS)).isTrue();
        assertThat(receiver.acksSent()).isEqualTo(2);
    }

    @Test
    void rejectsAnAckRatioOutOfRange() {
        assertThatThrownBy(() -> receiver.setAckRatio(-1)).hasMessageContaining("Ack Ratio -1");
        assertThatThrownBy(() -> receiver.setAckRatio(65536)).hasMessageContaining("0 to 65535");
        receiver.setAckRatio(0);
        data(1);
        data(2);
        data(3);
        assertThat(receiver.ackDue(now)).isFalse();
        assertThat(receiver.ackDue(now + 200 * MS)).isTrue();
    }
}
