package io.qsockets.impl.sendqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PayloadHeaderTest {
    private final PayloadHeader header = new PayloadHeader();

    @Test
    void writesTheDocumentedBytes() {
        ByteBuffer b = ByteBuffer.allocate(40);
        // segment 0x0102030405060708, revision 2, reliable, frame 0x1_0000_0009 (carried as 9),
        // first of its frame, sent at 5 000 000 us, deadline 150 ms later
        header.write(b, 4, 0x0102030405060708L, 2, true, 0x1_0000_0009L, true, false,
                5_000_000_000L, 5_150_000_000L);
        String hex = HexFormat.of().formatHex(b.array(), 4, 4 + PayloadHeader.LENGTH);
        assertThat(hex).isEqualTo("01" + "0f" + "0002" + "0102030405060708" + "00000009" + "004c4b40" + "000249f0");
        assertThat(b.position()).isZero();
    }

    @Test
    void readsWhatItWroteWhateverTheBufferOrder() {
        ByteBuffer b = ByteBuffer.allocate(PayloadHeader.LENGTH + 10).order(ByteOrder.LITTLE_ENDIAN);
        header.write(b, 0, Long.MAX_VALUE, PayloadHeader.MAX_REVISION, false, PayloadHeader.NO_FRAME, true, true,
                -3_000L, Long.MAX_VALUE);
        PayloadHeader r = new PayloadHeader();
        assertThat(r.wrapForRead(b, 0, b.limit())).isEqualTo(PayloadHeader.OK);
        assertThat(r.version()).isEqualTo(1);
        assertThat(r.segmentId()).isEqualTo(Long.MAX_VALUE);
        assertThat(r.revision()).isEqualTo(0xFFFF);
        assertThat(r.isUpdate()).isTrue();
        assertThat(r.isReliable()).isFalse();
        assertThat(r.frameId()).isEqualTo(PayloadHeader.NO_FRAME);
        assertThat(r.frameStart()).isFalse(); // marks mean nothing without a frame
        assertThat(r.frameEnd()).isFalse();
        assertThat(r.senderTimestampMicros()).isEqualTo(0xFFFF_FFFDL); // -3 us modulo 2^32
        assertThat(r.remainingLifetimeMicros()).isEqualTo(PayloadHeader.NO_LIFETIME);

        header.write(b, 0, 42, 0, true, 7, false, true, 0, 1_000);
        assertThat(r.wrapForRead(b, 0, PayloadHeader.LENGTH)).isEqualTo(PayloadHeader.OK);
        assertThat(r.isUpdate()).isFalse();
        assertThat(r.isReliable()).isTrue();
        assertThat(r.frameId()).isEqualTo(7);
        assertThat(r.frameStart()).isFalse();
        assertThat(r.frameEnd()).isTrue();
        assertThat(r.remainingLifetimeMicros()).isEqualTo(1);
    }

    @Test
    void lifetimeSaturates() {
        assertThat(PayloadHeader.lifetimeMicros(10, 5)).isZero();
        assertThat(PayloadHeader.lifetimeMicros(10, 10)).isZero();
        assertThat(PayloadHeader.lifetimeMicros(0, 999)).isZero();
        assertThat(PayloadHeader.lifetimeMicros(0, 150_000_000L)).isEqualTo(150_000);
        assertThat(PayloadHeader.lifetimeMicros(0, Long.MAX_VALUE - 1)).isEqualTo(PayloadHeader.MAX_LIFETIME_MICROS);
        assertThat(PayloadHeader.lifetimeMicros(Long.MIN_VALUE, Long.MAX_VALUE - 1))
                .isEqualTo(PayloadHeader.MAX_LIFETIME_MICROS);
        assertThat(PayloadHeader.lifetimeMicros(0, Long.MAX_VALUE)).isEqualTo(PayloadHeader.NO_LIFETIME);
    }

    @Test
    void readingNeverTrustsALength() {
        ByteBuffer b = ByteBuffer.allocate(30);
        header.write(b, 0, 1, 0, false, PayloadHeader.NO_FRAME, false, false, 0, Long.MAX_VALUE);
        PayloadHeader r = new PayloadHeader();
        assertThat(r.wrapForRead(b, 0, 23)).isEqualTo(PayloadHeader.ERR_TRUNCATED);
        assertThat(r.wrapForRead(b, 0, 31)).isEqualTo(PayloadHeader.ERR_BOUNDS);
        assertThat(r.wrapForRead(b, 10, 21)).isEqualTo(PayloadHeader.ERR_BOUNDS);
        assertThat(r.wrapForRead(b, -1, 24)).isEqualTo(PayloadHeader.ERR_BOUNDS);
        assertThat(r.wrapForRead(b, 0, -5)).isEqualTo(PayloadHeader.ERR_BOUNDS);
        assertThat(r.wrapForRead(b, Integer.MAX_VALUE, Integer.MAX_VALUE)).isEqualTo(PayloadHeader.ERR_BOUNDS);
        assertThat(r.wrapForRead(null, 0, 24)).isEqualTo(PayloadHeader.ERR_BOUNDS);
        b.limit(20);
        assertThat(r.wrapForRead(b, 0, 24)).isEqualTo(PayloadHeader.ERR_BOUNDS);
        b.limit(30);
        b.put(0, (byte) 2);
        assertThat(r.wrapForRead(b, 0, 30)).isEqualTo(PayloadHeader.ERR_VERSION);
        assertThatThrownBy(r::segmentId).isInstanceOf(IllegalStateException.class).hasMessageContaining("no header");
        b.put(0, (byte) 1);
        b.put(1, (byte) 0xE0); // reserved bits only
        assertThat(r.wrapForRead(b, 0, 30)).isEqualTo(PayloadHeader.OK);
        assertThat(r.flags()).isZero();
    }

    @Test
    void writingRejectsBadValuesByName() {
        ByteBuffer b = ByteBuffer.allocate(30);
        assertThatThrownBy(() -> header.write(b, 7, 1, 0, false, -1, false, false, 0, 0))
                .hasMessageContaining("offset 7").hasMessageContaining("24 bytes");
        assertThatThrownBy(() -> header.write(b, 0, -1, 0, false, -1, false, false, 0, 0))
                .hasMessageContaining("segment id -1");
        assertThatThrownBy(() -> header.write(b, 0, 1, 65_536, false, -1, false, false, 0, 0))
                .hasMessageContaining("revision 65536");
        assertThatThrownBy(() -> header.write(b, 0, 1, 0, false, -2, false, false, 0, 0))
                .hasMessageContaining("frame id -2");
    }
}
