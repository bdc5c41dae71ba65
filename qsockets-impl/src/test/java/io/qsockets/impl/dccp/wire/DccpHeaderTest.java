package io.qsockets.impl.dccp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Round trips of every packet type and the header rules of RFC 4340 §5. */
@Timeout(10)
class DccpHeaderTest {

    private static final long SEQ = 0x0000_89AB_CDEF_0123L & SequenceNumbers.MAX;
    private static final long ACK = 0x0000_1234_5678_9ABCL;

    private final DccpHeaderWriter writer = new DccpHeaderWriter();
    private final DccpHeader header = new DccpHeader();

    /** Encodes {@code type} with every field it has set, a little data, at offset 3 of a bigger buffer. */
    private ByteBuffer encode(DccpPacketType type, boolean shortSeqnos, int dataLength) {
        ByteBuffer buf = ByteBuffer.allocate(200);
        writer.wrap(buf, 3, 190).begin(type, shortSeqnos).ports(5001, 6002).sequenceNumber(SEQ).ccVal(9);
        if (type.hasAckNumber()) {
            writer.ackNumber(ACK);
        }
        if (type.hasServiceCode()) {
            writer.serviceCode(0xDEADBEEF);
        }
        if (type == DccpPacketType.RESET) {
            writer.reset(ResetCode.OPTION_ERROR, 38, 1, 2);
        }
        int length = writer.finish(dataLength);
        for (int i = 0; i < dataLength; i++) {
            buf.put(writer.dataOffset() + i, (byte) i);
        }
        buf.limit(3 + length);
        return buf;
    }

    @ParameterizedTest
    @EnumSource(DccpPacketType.class)
    void everyTypeRoundTripsWithLongSequenceNumbers(DccpPacketType type) {
        ByteBuffer buf = encode(type, false, 5);
        assertThat(header.wrap(buf, 3, buf.limit() - 3).validate()).isEqualTo(ParseResult.OK);
        assertFields(type, true);
        assertThat(header.sequenceNumber()).isEqualTo(SEQ);
        if (type.hasAckNumber()) {
            assertThat(header.ackNumber()).isEqualTo(ACK);
        }
        assertThat(header.headerLength()).isEqualTo(type.headerLength(true));
    }

    @ParameterizedTest
    @EnumSource(value = DccpPacketType.class, names = {"DATA", "ACK", "DATA_ACK"})
    void dataAckAndDataAckRoundTripWithShortSequenceNumbers(DccpPacketType type) {
        ByteBuffer buf = encode(type, true, 5);
        assertThat(header.wrap(buf, 3, buf.limit() - 3).validate()).isEqualTo(ParseResult.OK);
        assertFields(type, false);
        assertThat(header.sequenceNumber()).isEqualTo(SEQ & 0xFFFFFF);
        assertThat(header.sequenceNumber(SEQ - 10)).isEqualTo(SEQ);
        if (type.hasAckNumber()) {
            assertThat(header.ackNumber()).isEqualTo(ACK & 0xFFFFFF);
            assertThat(header.ackNumber(ACK + 3)).isEqualTo(ACK);
        }
        assertThat(header.headerLength()).isEqualTo(type.headerLength(false));
    }

    private void assertFields(DccpPacketType type, boolean extended) {
        assertThat(header.type()).isEqualTo(type);
        assertThat(header.hasExtendedSeqnos()).isEqualTo(extended);
        assertThat(header.sourcePort()).isEqualTo(5001);
        assertThat(header.destinationPort()).isEqualTo(6002);
        assertThat(header.ccVal()).isEqualTo(9);
        assertThat(header.checksumCoverage()).isZero();
        assertThat(header.checksum()).as("RFC 6773 §3.3: sent as zero").isZero();
        assertThat(header.hasAckNumber()).isEqualTo(type.hasAckNumber());
        assertThat(header.optionsOffset()).isEqualTo(3 + header.headerLength());
        assertThat(header.optionsLength()).isZero();
        assertThat(header.dataOffset()).isEqualTo(3 + header.headerLength());
        assertThat(header.dataOffsetWords() * 4).isEqualTo(header.headerLength());
        assertThat(header.dataLength()).isEqualTo(5);
        assertThat(header.buffer().get(header.dataOffset() + 4)).isEqualTo((byte) 4);
        if (type.hasServiceCode()) {
            assertThat(header.serviceCode()).isEqualTo(0xDEADBEEF);
        } else {
            assertThatThrownBy(header::serviceCode).isInstanceOf(IllegalStateException.class);
        }
        if (type == DccpPacketType.RESET) {
            assertThat(header.resetCode()).isEqualTo(5);
            assertThat(header.resetData1()).isEqualTo(38);
            assertThat(header.resetData2()).isEqualTo(1);
            assertThat(header.resetData3()).isEqualTo(2);
        } else {
            assertThatThrownBy(header::resetCode).isInstanceOf(IllegalStateException.class);
        }
        if (!type.hasAckNumber()) {
            assertThatThrownBy(header::ackNumber).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(type.rfcName());
        }
    }

    @Test
    void readingIgnoresTheBufferByteOrder() {
        ByteBuffer buf = encode(DccpPacketType.ACK, false, 0).order(ByteOrder.LITTLE_ENDIAN);
        header.wrap(buf, 3, buf.limit() - 3).validate();
        assertThat(header.sourcePort()).isEqualTo(5001);
        assertThat(header.ackNumber()).isEqualTo(ACK);
    }

    @Test
    void handEncodedRequestDecodes() {
        // DCCP-Request, X=1, ports 1025 -> 80, seq 1, Data Offset 5 words, Service Code 42
        byte[] bytes = {
            0x04, 0x01, 0x00, 0x50, 5, 0, 0, 0,
            0x01, 0, 0, 0, 0, 0, 0, 1,
            0, 0, 0, 42,
        };
        assertThat(header.wrap(ByteBuffer.wrap(bytes), 0, bytes.length).validate()).isEqualTo(ParseResult.OK);
        assertThat(header.type()).isEqualTo(DccpPacketType.REQUEST);
        assertThat(header.sourcePort()).isEqualTo(1025);
        assertThat(header.destinationPort()).isEqualTo(80);
        assertThat(header.sequenceNumber()).isEqualTo(1);
        assertThat(header.serviceCode()).isEqualTo(42);
        assertThat(header.dataLength()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 8, 11})
    void shorterThanTheShortGenericHeaderIsTooShort(int length) {
        assertThat(header.wrap(ByteBuffer.allocate(40), 0, length).validate()).isEqualTo(ParseResult.TOO_SHORT);
    }

    @Test
    void extendedHeaderNeedsSixteenBytes() {
        ByteBuffer buf = encode(DccpPacketType.DATA, false, 0);
        assertThat(header.wrap(buf, 3, 15).validate()).isEqualTo(ParseResult.TOO_SHORT);
        assertThat(header.wrap(buf, 3, 16).validate()).isEqualTo(ParseResult.OK);
        ByteBuffer shortForm = encode(DccpPacketType.DATA, true, 0);
        assertThat(header.wrap(shortForm, 3, 12).validate()).isEqualTo(ParseResult.OK);
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 11, 12, 13, 14, 15})
    void reservedTypesAreIgnored(int code) {
        ByteBuffer buf = encode(DccpPacketType.SYNC, false, 0);
        buf.put(3 + 8, (byte) (code << 1 | 1));
        assertThat(header.wrap(buf, 3, buf.limit() - 3).validate()).isEqualTo(ParseResult.RESERVED_TYPE);
        assertThatThrownBy(header::type).isInstanceOf(IllegalStateException.class).hasMessageContaining("RESERVED_TYPE");
    }

    @ParameterizedTest
    @EnumSource(value = DccpPacketType.class, names = {"DATA", "ACK", "DATA_ACK"}, mode = EnumSource.Mode.EXCLUDE)
    void typesThatRequireLongSequenceNumbersRejectXZero(DccpPacketType type) {
        ByteBuffer buf = encode(type, false, 0);
        buf.put(3 + 8, (byte) (type.code() << 1));
        assertThat(header.wrap(buf, 3, buf.limit() - 3).validate()).isEqualTo(ParseResult.SHORT_SEQNOS_NOT_ALLOWED);
    }

    @ParameterizedTest
    @EnumSource(DccpPacketType.class)
    void aPacketShorterThanItsTypesHeaderIsTooShortForType(DccpPacketType type) {
        ByteBuffer buf = encode(type, false, 0);
        int fixed = type.headerLength(true);
        if (fixed > DccpPacketType.LONG_GENERIC_HEADER) {
            assertThat(header.wrap(buf, 3, fixed - 1).validate()).isEqualTo(ParseResult.TOO_SHORT_FOR_TYPE);
        }
        assertThat(header.wrap(buf, 3, fixed).validate()).isEqualTo(ParseResult.OK);
    }

    @Test
    void dataOffsetMustCoverTheTypesHeader() {
        ByteBuffer buf = encode(DccpPacketType.RESPONSE, false, 8);
        int length = buf.limit() - 3;
        buf.put(3 + 4, (byte) 6); // 24 bytes < 28
        assertThat(header.wrap(buf, 3, length).validate()).isEqualTo(ParseResult.DATA_OFFSET_TOO_SMALL);
        buf.put(3 + 4, (byte) 0);
        assertThat(header.wrap(buf, 3, length).validate()).isEqualTo(ParseResult.DATA_OFFSET_TOO_SMALL);
        buf.put(3 + 4, (byte) 7);
        assertThat(header.wrap(buf, 3, length).validate()).isEqualTo(ParseResult.OK);
        assertThat(header.dataLength()).isEqualTo(8);
    }

    @Test
    void dataOffsetMustNotPassTheEndOfThePacket() {
        ByteBuffer buf = encode(DccpPacketType.DATA, false, 8); // 16 + 8 bytes
        buf.put(3 + 4, (byte) 6); // exactly the packet: options fill it, no data
        assertThat(header.wrap(buf, 3, 24).validate()).isEqualTo(ParseResult.OK);
        assertThat(header.optionsLength()).isEqualTo(8);
        assertThat(header.dataLength()).isZero();
        buf.put(3 + 4, (byte) 7);
        assertThat(header.wrap(buf, 3, 24).validate()).isEqualTo(ParseResult.DATA_OFFSET_TOO_LARGE);
        buf.put(3 + 4, (byte) 255);
        assertThat(header.wrap(buf, 3, 24).validate()).isEqualTo(ParseResult.DATA_OFFSET_TOO_LARGE);
    }

    @Test
    void reservedBitsAreIgnoredOnReceipt() {
        for (DccpPacketType type : DccpPacketType.values()) {
            for (boolean shortSeqnos : new boolean[] {false, true}) {
                if (shortSeqnos && !type.allowsShortSeqnos()) {
                    continue;
                }
                ByteBuffer clean = encode(type, shortSeqnos, 4);
                int length = clean.limit() - 3;
                byte[] dirty = Arrays.copyOf(clean.array(), clean.array().length);
                dirty[3 + 8] |= (byte) 0xE0; // Res
                if (!shortSeqnos) {
                    dirty[3 + 9] = (byte) 0xFF; // Reserved of the X=1 generic header
                }
                if (type.hasAckNumber()) {
                    int sub = 3 + (shortSeqnos ? 12 : 16);
                    dirty[sub] = (byte) 0xFF;
                    if (!shortSeqnos) {
                        dirty[sub + 1] = (byte) 0xFF;
                    }
                }
                DccpHeader expected = new DccpHeader();
                assertThat(expected.wrap(clean, 3, length).validate()).isEqualTo(ParseResult.OK);
                assertThat(header.wrap(ByteBuffer.wrap(dirty), 3, length).validate())
                        .as("%s short=%s", type, shortSeqnos).isEqualTo(ParseResult.OK);
                assertThat(header.type()).isEqualTo(type);
                assertThat(header.sequenceNumber()).isEqualTo(expected.sequenceNumber());
                if (type.hasAckNumber()) {
                    assertThat(header.ackNumber()).isEqualTo(expected.ackNumber());
                }
            }
        }
    }

    @Test
    void checksumCoverageMustNotExceedTheData() {
        ByteBuffer buf = encode(DccpPacketType.DATA, false, 8);
        int length = buf.limit() - 3;
        for (int csCov = 0; csCov <= 15; csCov++) {
            buf.put(3 + 5, (byte) csCov);
            ParseResult expected = csCov == 0 || (csCov - 1) * 4 <= 8 ? ParseResult.OK : ParseResult.BAD_CHECKSUM_COVERAGE;
            assertThat(header.wrap(buf, 3, length).validate()).as("CsCov %d", csCov).isEqualTo(expected);
        }
        buf.put(3 + 5, (byte) 3);
        header.wrap(buf, 3, length).validate();
        assertThat(header.checksumCoverage()).isEqualTo(3);
    }

    @Test
    void theChecksumFieldIsNotVerified() {
        ByteBuffer buf = encode(DccpPacketType.ACK, false, 0);
        buf.putShort(3 + 6, (short) 0x1234);
        assertThat(header.wrap(buf, 3, buf.limit() - 3).validate()).isEqualTo(ParseResult.OK);
        assertThat(header.checksum()).isEqualTo(0x1234);
    }

    @Test
    void misuseIsAProgrammerError() {
        assertThatThrownBy(header::validate).isInstanceOf(IllegalStateException.class);
        ByteBuffer buf = ByteBuffer.allocate(20);
        assertThatThrownBy(() -> header.wrap(buf, 10, 11)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit 20");
        assertThatThrownBy(() -> header.wrap(buf, -1, 5)).isInstanceOf(IllegalArgumentException.class);
        header.wrap(buf, 0, 20);
        assertThat(header.result()).isNull();
        assertThatThrownBy(header::sourcePort).isInstanceOf(IllegalStateException.class).hasMessageContaining("validate()");
    }
}
