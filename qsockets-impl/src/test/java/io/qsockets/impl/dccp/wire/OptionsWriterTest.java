package io.qsockets.impl.dccp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every option encoded by {@link OptionsWriter} and decoded by {@link OptionCursor}, and the encoders' rules. */
@Timeout(10)
class OptionsWriterTest {

    private final ByteBuffer buf = ByteBuffer.allocate(1100);
    private final OptionsWriter writer = new OptionsWriter();
    private final OptionCursor cursor = new OptionCursor();

    private OptionsWriter on(DccpPacketType type) {
        return writer.wrap(buf, 0, 1020, type);
    }

    private byte[] written() {
        byte[] out = new byte[writer.length()];
        buf.get(0, out);
        return out;
    }

    private static byte[] b(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private OptionCursor first() {
        cursor.reset(buf, 0, writer.length(), true);
        assertThat(cursor.next()).isEqualTo(OptionStatus.OPTION);
        assertThat(cursor.hasValidLength()).isTrue();
        return cursor;
    }

    @Test
    void encodesTheFeatureExamplesOfSection6_5() {
        on(DccpPacketType.ACK).changeL(FeatureNumber.CCID, b(2, 3));
        assertThat(written()).containsExactly(32, 5, 1, 2, 3);
        on(DccpPacketType.ACK).changeL(FeatureNumber.SEQUENCE_WINDOW, 1024);
        assertThat(written()).containsExactly(32, 9, 3, 0, 0, 0, 0, 4, 0);
        on(DccpPacketType.ACK).confirmL(FeatureNumber.CCID, 2, b(2, 3));
        assertThat(written()).containsExactly(33, 6, 1, 2, 2, 3);
        on(DccpPacketType.ACK).emptyConfirmL(126);
        assertThat(written()).containsExactly(33, 3, 126);
        on(DccpPacketType.ACK).changeR(FeatureNumber.CCID, b(3, 2));
        assertThat(written()).containsExactly(34, 5, 1, 3, 2);
        on(DccpPacketType.ACK).confirmR(FeatureNumber.CCID, 2, b(3, 2));
        assertThat(written()).containsExactly(35, 6, 1, 2, 3, 2);
        on(DccpPacketType.ACK).confirmR(FeatureNumber.SEQUENCE_WINDOW, 1024);
        assertThat(written()).containsExactly(35, 9, 3, 0, 0, 0, 0, 4, 0);
        on(DccpPacketType.ACK).emptyConfirmR(126);
        assertThat(written()).containsExactly(35, 3, 126);
    }

    @Test
    void featureOptionsRoundTrip() {
        on(DccpPacketType.REQUEST).changeL(FeatureNumber.ACK_RATIO, 3);
        assertThat(first().featureNumber()).isEqualTo(5);
        assertThat(cursor.featureValue(0)).isEqualTo(3);
        assertThat(cursor.isValidFeatureOption()).isTrue();
        on(DccpPacketType.REQUEST).changeR(FeatureNumber.SEND_ACK_VECTOR, 1);
        assertThat(first().type()).isEqualTo(OptionType.CHANGE_R);
        assertThat(cursor.featureValue(0)).isEqualTo(1);
        assertThat(cursor.isValidFeatureOption()).isTrue();
        byte[] ccids = {2, 3};
        on(DccpPacketType.RESPONSE).confirmL(FeatureNumber.CCID, 2, ccids);
        assertThat(first().featureValueCount()).isEqualTo(3);
        assertThat(cursor.featureValue(0)).isEqualTo(2);
        assertThat(cursor.isValidFeatureOption()).isTrue();
        on(DccpPacketType.ACK).featureOption(OptionType.CHANGE_L, 192, b(1, 2, 3), 0, 3);
        assertThat(first().featureNumber()).isEqualTo(192);
        assertThat(cursor.featureValueCount()).isEqualTo(3);
        assertThat(cursor.isValidFeatureOption()).as("CCID-specific: unknown here").isFalse();
    }

    @Test
    void featureEncodersEnforceTheReconciliationRules() {
        on(DccpPacketType.ACK);
        assertThatThrownBy(() -> writer.changeR(FeatureNumber.ACK_RATIO, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Change R").hasMessageContaining("ACK_RATIO");
        assertThatThrownBy(() -> writer.confirmL(FeatureNumber.SEQUENCE_WINDOW, 1, b(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-negotiable");
        assertThatThrownBy(() -> writer.confirmR(FeatureNumber.CCID, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("preference list");
        assertThatThrownBy(() -> writer.changeL(FeatureNumber.ACK_RATIO, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ACK_RATIO value must be in [1, 65535], was 0");
        assertThatThrownBy(() -> writer.changeL(FeatureNumber.SEQUENCE_WINDOW, 31)).hasMessageContaining("was 31");
        assertThatThrownBy(() -> writer.changeL(FeatureNumber.CCID, 256)).hasMessageContaining("[0, 255]");
        assertThatThrownBy(() -> writer.changeL(FeatureNumber.CCID, new byte[0])).hasMessageContaining("at least one value");
        assertThatThrownBy(() -> writer.changeL(FeatureNumber.CCID, new byte[253])).hasMessageContaining("number of values");
        assertThatThrownBy(() -> writer.featureOption(31, 1, b(1), 0, 1)).hasMessageContaining("32-35");
        assertThatThrownBy(() -> writer.featureOption(OptionType.CHANGE_R, 1, null, 0, 0)).hasMessageContaining("at least one value");
        assertThat(writer.length()).as("nothing written by a rejected call").isZero();
    }

    @Test
    void singleByteOptionsRoundTrip() {
        on(DccpPacketType.ACK).padding().mandatory().slowReceiver().slowReceiver();
        assertThat(written()).containsExactly(0, 1, 2, 2);
        cursor.reset(buf, 0, 4, true);
        assertThat(cursor.next()).isEqualTo(OptionStatus.OPTION);
        assertThat(cursor.type()).isEqualTo(OptionType.PADDING);
        assertThat(cursor.next()).isEqualTo(OptionStatus.OPTION);
        assertThat(cursor.type()).isEqualTo(OptionType.SLOW_RECEIVER);
        assertThat(cursor.isMandatory()).isTrue();
        assertThat(cursor.next()).isEqualTo(OptionStatus.OPTION);
        assertThat(cursor.isMandatory()).isFalse();
        assertThat(cursor.next()).isEqualTo(OptionStatus.END);
    }

    @Test
    void initCookieRoundTrip() {
        byte[] cookie = "opaque server state".getBytes(StandardCharsets.US_ASCII);
        on(DccpPacketType.RESPONSE).initCookie(cookie, 0, cookie.length);
        assertThat(first().initCookieLength()).isEqualTo(cookie.length);
        byte[] back = new byte[cookie.length];
        buf.get(cursor.bodyOffset(), back);
        assertThat(back).isEqualTo(cookie);
        byte[] max = new byte[254];
        on(DccpPacketType.RESPONSE).initCookie(max, 0, 253);
        assertThat(first().optionLength()).isEqualTo(255);
        assertThatThrownBy(() -> writer.initCookie(max, 0, 254)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Init Cookie body length must be in [0, 253], was 254");
        assertThatThrownBy(() -> on(DccpPacketType.REQUEST).initCookie(cookie, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DCCP-Request");
    }

    @Test
    void ndpCountUsesTheSmallestForm() {
        long[] counts = {0, 1, 255, 256, 65535, 65536, 1L << 24, 1L << 32, (1L << 40) + 7, SequenceNumbers.MAX};
        int[] lengths = {3, 3, 3, 4, 4, 5, 6, 7, 8, 8};
        for (int i = 0; i < counts.length; i++) {
            on(DccpPacketType.DATA).ndpCount(counts[i]);
            assertThat(first().optionLength()).as("count %d", counts[i]).isEqualTo(lengths[i]);
            assertThat(cursor.ndpCount()).isEqualTo(counts[i]);
        }
        assertThatThrownBy(() -> writer.ndpCount(1L << 48)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NDP Count");
    }

    @Test
    void timingOptionsRoundTrip() {
        on(DccpPacketType.DATA).timestamp(0xFEDCBA98L);
        assertThat(written()).containsExactly(41, 6, 0xFE, 0xDC, 0xBA, 0x98);
        assertThat(first().timestamp()).isEqualTo(0xFEDCBA98L);

        long[][] echoes = {{7, 0, 6}, {7, 1, 8}, {7, 65535, 8}, {7, 65536, 10}, {7, 0xFFFF_FFFFL, 10}};
        for (long[] e : echoes) {
            on(DccpPacketType.DATA).timestampEcho(e[0], e[1]);
            assertThat(first().optionLength()).isEqualTo((int) e[2]);
            assertThat(cursor.timestampEcho()).isEqualTo(e[0]);
            assertThat(cursor.timestampEchoElapsed()).isEqualTo(e[1]);
        }
        on(DccpPacketType.DATA).timestampEcho(9, Long.MAX_VALUE);
        assertThat(first().timestampEchoElapsed()).as("clamped, §13.2").isEqualTo(0xFFFF_FFFFL);

        on(DccpPacketType.ACK).elapsedTime(65535);
        assertThat(first().optionLength()).isEqualTo(4);
        assertThat(cursor.elapsedTime()).isEqualTo(65535);
        on(DccpPacketType.ACK).elapsedTime(65536);
        assertThat(first().optionLength()).isEqualTo(6);
        assertThat(cursor.elapsedTime()).isEqualTo(65536);
        on(DccpPacketType.ACK).elapsedTime(1L << 40);
        assertThat(first().elapsedTime()).isEqualTo(0xFFFF_FFFFL);

        assertThatThrownBy(() -> on(DccpPacketType.DATA).elapsedTime(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Elapsed Time").hasMessageContaining("DCCP-Data");
        assertThatThrownBy(() -> writer.timestamp(1L << 32)).hasMessageContaining("Timestamp");
        assertThatThrownBy(() -> writer.timestampEcho(-1)).hasMessageContaining("Timestamp Echo");
        assertThatThrownBy(() -> writer.timestampEcho(1, -1)).hasMessageContaining("Elapsed Time");
    }

    @Test
    void dataChecksumIsTheCrc32cOfTheApplicationData() {
        byte[] payload = "123456789".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer data = ByteBuffer.wrap(payload);
        on(DccpPacketType.DATA).dataChecksum(data, 0, payload.length);
        assertThat(first().dataChecksum()).as("the CRC-32c check value").isEqualTo(0xE3069283L);
        CRC32C crc = new CRC32C();
        crc.update(payload, 2, 5);
        ByteBuffer direct = ByteBuffer.allocateDirect(9).put(payload).position(4);
        on(DccpPacketType.DATA).dataChecksum(direct, 2, 5);
        assertThat(first().dataChecksum()).isEqualTo(crc.getValue());
        assertThat(direct.position()).as("the caller's view is untouched").isEqualTo(4);
        assertThat(direct.limit()).isEqualTo(9);
        assertThatThrownBy(() -> writer.dataChecksum(1L << 32)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void dataChecksumIsVerifiedAgainstThePacketsData() {
        ByteBuffer packet = ByteBuffer.allocate(64);
        DccpHeaderWriter w = new DccpHeaderWriter().wrap(packet, 0, 64).begin(DccpPacketType.DATA).ports(1, 2).sequenceNumber(9);
        byte[] payload = {1, 2, 3, 4, 5};
        w.options().dataChecksum(ByteBuffer.wrap(payload), 0, payload.length);
        int length = w.finish(payload.length);
        packet.put(w.dataOffset(), payload);
        DccpHeader h = new DccpHeader();
        assertThat(h.wrap(packet, 0, length).validate()).isEqualTo(ParseResult.OK);
        assertThat(cursor.reset(h).next()).isEqualTo(OptionStatus.OPTION);
        assertThat(cursor.dataChecksumMatches()).isTrue();
        packet.put(length - 1, (byte) 6);
        assertThat(cursor.dataChecksumMatches()).isFalse();
        // an empty data area has CRC-32c zero (§9.3)
        w.begin(DccpPacketType.ACK).ports(1, 2).sequenceNumber(9).ackNumber(1).options().dataChecksum(0);
        h.wrap(packet, 0, w.finish(0)).validate();
        assertThat(cursor.reset(h).next()).isEqualTo(OptionStatus.OPTION);
        assertThat(cursor.dataChecksumMatches()).isTrue();
    }

    @Test
    void mandatoryRules() {
        assertThatThrownBy(() -> on(DccpPacketType.DATA).mandatory()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Mandatory").hasMessageContaining("DCCP-Data");
        on(DccpPacketType.ACK).mandatory();
        assertThatThrownBy(writer::mandatory).isInstanceOf(IllegalStateException.class).hasMessageContaining("must not follow");
        assertThatThrownBy(writer::padToWord).isInstanceOf(IllegalStateException.class).hasMessageContaining("followed");
        writer.changeL(FeatureNumber.CCID, 2);
        assertThat(writer.padToWord()).isEqualTo(8);
        assertThat(written()).containsExactly(1, 32, 4, 1, 2, 0, 0, 0);
    }

    @Test
    void optionsThePacketTypeMustNotCarryAreRejected() {
        on(DccpPacketType.DATA);
        assertThatThrownBy(() -> writer.changeL(FeatureNumber.CCID, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Change L (32) must not be sent on DCCP-Data");
        assertThatThrownBy(() -> writer.ackVector(0, b(0), 0, 1)).hasMessageContaining("Ack Vector [Nonce 0]");
        assertThatThrownBy(writer::beginDataDropped).hasMessageContaining("Data Dropped");
        on(DccpPacketType.REQUEST);
        assertThatThrownBy(() -> writer.confirmR(FeatureNumber.ACK_RATIO, 2)).hasMessageContaining("DCCP-Request");
        // a writer not bound to a packet type does not check
        writer.wrap(buf, 0, 100, null).ackVector(0, b(0), 0, 1);
        assertThat(writer.length()).isEqualTo(3);
    }

    @Test
    void genericOptionsAreCheckedForLength() {
        on(DccpPacketType.ACK).option(200, b(9, 8), 0, 2);
        assertThat(written()).containsExactly(200, 4, 9, 8);
        on(DccpPacketType.ACK).option(OptionType.SLOW_RECEIVER, null, 0, 0);
        assertThat(written()).containsExactly(2);
        assertThatThrownBy(() -> writer.option(OptionType.TIMESTAMP, b(1, 2), 0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Timestamp (41) cannot have length 4");
        assertThatThrownBy(() -> writer.option(2, b(1), 0, 1)).hasMessageContaining("takes no body");
        assertThatThrownBy(() -> writer.option(256, null, 0, 0)).hasMessageContaining("option type");
    }

    @Test
    void paddingFillsToAWordAndSpaceIsBounded() {
        writer.wrap(buf, 10, 11, DccpPacketType.ACK).slowReceiver();
        assertThat(writer.padToWord()).isEqualTo(4);
        assertThat(writer.padToWord()).isEqualTo(4);
        writer.timestamp(1);
        assertThatThrownBy(writer::padToWord).isInstanceOf(IllegalStateException.class).hasMessageContaining("2 more bytes but only 1");
        assertThatThrownBy(() -> new OptionsWriter().padding()).isInstanceOf(IllegalStateException.class).hasMessageContaining("wrap");
        assertThatThrownBy(() -> writer.wrap(buf, 1099, 2, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
