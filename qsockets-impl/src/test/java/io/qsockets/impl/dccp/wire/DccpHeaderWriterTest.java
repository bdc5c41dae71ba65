package io.qsockets.impl.dccp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The write side: exact bytes, and a clear exception for every programmer error. */
@Timeout(10)
class DccpHeaderWriterTest {

    private final ByteBuffer buf = ByteBuffer.allocate(64);
    private final DccpHeaderWriter writer = new DccpHeaderWriter().wrap(buf, 0, 64);

    @Test
    void writesTheExactBytesOfADataAckWithShortSequenceNumbers() {
        for (int i = 0; i < 64; i++) {
            buf.put(i, (byte) 0xAA); // stale bytes must not leak into reserved fields
        }
        int length = writer.begin(DccpPacketType.DATA_ACK, true).ports(0x1389, 0x1771)
                .sequenceNumber(0x0102_0A0B0C0DL).ackNumber(0x0304_112233L).ccVal(3).checksumCoverage(1)
                .finish(2);
        assertThat(length).isEqualTo(18);
        byte[] expected = {
            0x13, (byte) 0x89, 0x17, 0x71, // ports
            4, 0x31, 0, 0, // Data Offset 4 words, CCVal 3 CsCov 1, checksum 0
            0x08, 0x0B, 0x0C, 0x0D, // Res 0, Type 4, X 0, seq low 24 bits
            0, 0x11, 0x22, 0x33, // reserved, ack low 24 bits
        };
        byte[] actual = new byte[16];
        buf.get(0, actual);
        assertThat(actual).containsExactly(expected);
        assertThat(writer.dataOffset()).isEqualTo(16);
    }

    @Test
    void writesTheExactBytesOfAResetWithLongSequenceNumbers() {
        writer.begin(DccpPacketType.RESET).ports(1, 2).sequenceNumber(SequenceNumbers.MAX).ackNumber(5)
                .reset(ResetCode.PACKET_ERROR, 2, 0, 0);
        assertThat(writer.finish(0)).isEqualTo(28);
        byte[] actual = new byte[28];
        buf.get(0, actual);
        assertThat(actual).containsExactly(
                0, 1, 0, 2, 7, 0, 0, 0,
                0x0F, 0, -1, -1, -1, -1, -1, -1,
                0, 0, 0, 0, 0, 0, 0, 5,
                4, 2, 0, 0);
    }

    @Test
    void optionsArePaddedToAWordAndDataOffsetCoversThem() {
        writer.begin(DccpPacketType.ACK).ports(1, 2).sequenceNumber(1).ackNumber(0);
        writer.options().slowReceiver().timestamp(0xFFFFFFFFL); // 7 bytes
        buf.put(31, (byte) 0x55);
        assertThat(writer.finish(3)).isEqualTo(24 + 8 + 3);
        assertThat(buf.get(4)).isEqualTo((byte) 8);
        assertThat(buf.get(24)).isEqualTo((byte) OptionType.SLOW_RECEIVER);
        assertThat(buf.get(25)).isEqualTo((byte) OptionType.TIMESTAMP);
        assertThat(buf.get(31)).isEqualTo((byte) OptionType.PADDING);
        assertThat(writer.dataOffset()).isEqualTo(32);
    }

    @ParameterizedTest
    @EnumSource(value = DccpPacketType.class, names = {"DATA", "ACK", "DATA_ACK"}, mode = EnumSource.Mode.EXCLUDE)
    void shortSequenceNumbersOnlyForDataAckAndDataAck(DccpPacketType type) {
        assertThatThrownBy(() -> writer.begin(type, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(type.rfcName()).hasMessageContaining("X=1");
    }

    @Test
    void everyRequiredFieldMustBeSet() {
        writer.begin(DccpPacketType.RESPONSE).ports(1, 2);
        assertThatThrownBy(() -> writer.finish(0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DCCP-Response").hasMessageContaining("sequenceNumber")
                .hasMessageContaining("ackNumber").hasMessageContaining("serviceCode");
        writer.begin(DccpPacketType.RESET).ports(1, 2).sequenceNumber(1).ackNumber(1);
        assertThatThrownBy(() -> writer.finish(0)).hasMessageContaining("reset code");
    }

    @Test
    void fieldsTheTypeDoesNotHaveAreRejected() {
        writer.begin(DccpPacketType.REQUEST);
        assertThatThrownBy(() -> writer.ackNumber(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DCCP-Request has no Acknowledgement Number");
        assertThatThrownBy(() -> writer.reset(ResetCode.CLOSED, 0, 0, 0)).isInstanceOf(IllegalStateException.class);
        writer.begin(DccpPacketType.DATA);
        assertThatThrownBy(() -> writer.serviceCode(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DCCP-Data has no Service Code");
    }

    @Test
    void outOfRangeValuesAreNamed() {
        writer.begin(DccpPacketType.RESET);
        assertThatThrownBy(() -> writer.ports(65536, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("source port").hasMessageContaining("65536");
        assertThatThrownBy(() -> writer.ports(1, -1)).hasMessageContaining("destination port");
        assertThatThrownBy(() -> writer.sequenceNumber(1L << 48)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sequence number");
        assertThatThrownBy(() -> writer.ackNumber(-1)).hasMessageContaining("acknowledgement number");
        assertThatThrownBy(() -> writer.ccVal(16)).hasMessageContaining("CCVal");
        assertThatThrownBy(() -> writer.checksumCoverage(-1)).hasMessageContaining("CsCov");
        assertThatThrownBy(() -> writer.reset(256, 0, 0, 0)).hasMessageContaining("Reset Code");
        assertThatThrownBy(() -> writer.reset(1, 0, 300, 0)).hasMessageContaining("Data 2");
    }

    @Test
    void checksumCoverageMustFitTheData() {
        writer.begin(DccpPacketType.DATA).ports(1, 2).sequenceNumber(1).checksumCoverage(3);
        assertThatThrownBy(() -> writer.finish(7)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CsCov 3").hasMessageContaining("7");
        assertThat(writer.finish(8)).isEqualTo(24);
    }

    @Test
    void bufferTooSmallIsReported() {
        DccpHeaderWriter small = new DccpHeaderWriter().wrap(buf, 40, 20);
        assertThatThrownBy(() -> small.begin(DccpPacketType.RESPONSE)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("28-byte header");
        small.begin(DccpPacketType.DATA).ports(1, 2).sequenceNumber(1);
        assertThatThrownBy(() -> small.finish(5)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("5 data bytes");
        assertThat(small.finish(4)).isEqualTo(20);
        assertThatThrownBy(() -> new DccpHeaderWriter().wrap(buf, 60, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DccpHeaderWriter().wrap(buf.asReadOnlyBuffer(), 0, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("writable");
    }

    @Test
    void callsOutOfOrderAreRejected() {
        DccpHeaderWriter fresh = new DccpHeaderWriter();
        assertThatThrownBy(() -> fresh.begin(DccpPacketType.ACK)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("wrap");
        fresh.wrap(buf, 0, 64);
        assertThatThrownBy(() -> fresh.ports(1, 2)).isInstanceOf(IllegalStateException.class).hasMessageContaining("begin");
        fresh.begin(DccpPacketType.ACK);
        assertThatThrownBy(fresh::dataOffset).isInstanceOf(IllegalStateException.class).hasMessageContaining("finish");
    }

    @Test
    void optionsAreLimitedToTheLargestDataOffset() {
        ByteBuffer big = ByteBuffer.allocate(2000);
        DccpHeaderWriter w = new DccpHeaderWriter().wrap(big, 0, 2000);
        w.begin(DccpPacketType.ACK).ports(1, 2).sequenceNumber(1).ackNumber(1);
        byte[] cookie = new byte[253];
        for (int i = 0; i < 3; i++) {
            w.options().initCookie(cookie, 0, 253);
        }
        // 24 + 765 = 789; 1020 - 789 = 231 bytes remain for options
        assertThatThrownBy(() -> w.options().initCookie(cookie, 0, 253)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("231 remain");
        w.options().initCookie(cookie, 0, 229);
        assertThat(w.finish(0)).isEqualTo(1020);
        assertThat(big.get(4) & 0xFF).isEqualTo(255);
    }
}
