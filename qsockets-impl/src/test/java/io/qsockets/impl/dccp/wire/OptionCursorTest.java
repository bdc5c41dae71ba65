package io.qsockets.impl.dccp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Option iteration (RFC 4340 §5.8): lengths, Mandatory (§5.8.2), and typed accessors that never throw. */
@Timeout(10)
class OptionCursorTest {

    private final OptionCursor cursor = new OptionCursor();

    private static ByteBuffer bytes(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length);
        for (int i = 0; i < values.length; i++) {
            b.put(i, (byte) values[i]);
        }
        return b;
    }

    /** "type" for each option, "type!" when mandatory, then the terminating status. */
    private List<String> walk(ByteBuffer b, boolean honourMandatory) {
        List<String> seen = new ArrayList<>();
        cursor.reset(b, 0, b.capacity(), honourMandatory);
        OptionStatus s;
        while ((s = cursor.next()) == OptionStatus.OPTION) {
            seen.add(cursor.type() + (cursor.isMandatory() ? "!" : ""));
        }
        seen.add(s.name());
        return seen;
    }

    @Test
    void iteratesSingleAndMultiByteOptions() {
        ByteBuffer b = bytes(0, 2, 41, 6, 1, 2, 3, 4, 200, 2, 5, 0);
        assertThat(walk(b, true)).containsExactly("0", "2", "41", "200", "5", "0", "END");
        cursor.reset(b, 0, 12, true);
        cursor.next();
        cursor.next();
        cursor.next();
        assertThat(cursor.optionOffset()).isEqualTo(2);
        assertThat(cursor.optionLength()).isEqualTo(6);
        assertThat(cursor.bodyOffset()).isEqualTo(4);
        assertThat(cursor.bodyLength()).isEqualTo(4);
        assertThat(cursor.timestamp()).isEqualTo(0x01020304L);
        cursor.next();
        assertThat(cursor.isKnown()).isFalse();
        assertThat(cursor.bodyLength()).isZero();
        assertThat(cursor.hasValidLength()).isTrue();
        assertThat(cursor.next()).isEqualTo(OptionStatus.OPTION);
        assertThat(cursor.isKnown()).as("reserved single-byte type 5").isFalse();
        cursor.next();
        assertThat(cursor.next()).isEqualTo(OptionStatus.END);
        assertThat(cursor.next()).isEqualTo(OptionStatus.END);
        assertThat(cursor.type()).isEqualTo(-1);
    }

    @Test
    void emptyOptionsAreTheEnd() {
        assertThat(walk(bytes(), true)).containsExactly("END");
    }

    @Test
    void nonsensicalLengthsEndTheOptions() {
        assertThat(walk(bytes(2, 41, 1, 0, 0), true)).as("length below 2").containsExactly("2", "BAD_LENGTH");
        assertThat(walk(bytes(41, 0), true)).as("length 0").containsExactly("BAD_LENGTH");
        assertThat(walk(bytes(0, 41), true)).as("no length byte").containsExactly("0", "BAD_LENGTH");
        assertThat(walk(bytes(41, 6, 0, 0, 0), true)).as("past the end").containsExactly("BAD_LENGTH");
        assertThat(walk(bytes(200, 255, 0), true)).containsExactly("BAD_LENGTH");
        cursor.reset(bytes(2, 41, 7, 0), 0, 4, true);
        cursor.next();
        assertThat(cursor.next()).isEqualTo(OptionStatus.BAD_LENGTH);
        assertThat(cursor.type()).isEqualTo(41);
        assertThat(cursor.optionOffset()).isEqualTo(1);
        assertThat(cursor.next()).as("the rest is ignored").isEqualTo(OptionStatus.END);
    }

    @Test
    void theOptionsAreaBoundsTheCursorNotTheBuffer() {
        // a Timestamp that would fit the buffer but not the options range
        ByteBuffer b = bytes(9, 41, 6, 1, 2, 3, 4, 9);
        cursor.reset(b, 1, 6, true);
        assertThat(cursor.next()).isEqualTo(OptionStatus.BAD_LENGTH);
        cursor.reset(b, 1, 7, true);
        assertThat(cursor.next()).isEqualTo(OptionStatus.OPTION);
        assertThat(cursor.timestamp()).isEqualTo(0x01020304L);
        assertThat(cursor.next()).isEqualTo(OptionStatus.END);
        assertThatThrownBy(() -> cursor.reset(b, 3, 9, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OptionCursor().next()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void mandatoryMarksTheNextOption() {
        assertThat(walk(bytes(1, 32, 4, 1, 2, 0, 0, 0), true)).containsExactly("32!", "0", "0", "0", "END");
        assertThat(walk(bytes(1, 2, 2), true)).containsExactly("2!", "2", "END");
    }

    @Test
    void mandatoryPaddingBehavesLikeTwoBytesOfPadding() {
        assertThat(walk(bytes(1, 0, 2, 0), true)).containsExactly("0!", "2", "0", "END");
    }

    @Test
    void mandatoryAsTheLastByteIsAnOptionError() {
        assertThat(walk(bytes(2, 1), true)).containsExactly("2", "MANDATORY_AT_END");
        cursor.reset(bytes(0, 0, 0, 1), 0, 4, true);
        for (int i = 0; i < 3; i++) {
            cursor.next();
        }
        assertThat(cursor.next()).isEqualTo(OptionStatus.MANDATORY_AT_END);
        assertThat(cursor.type()).isEqualTo(OptionType.MANDATORY);
        assertThat(cursor.optionOffset()).isEqualTo(3);
        assertThat(cursor.next()).isEqualTo(OptionStatus.END);
    }

    @Test
    void mandatoryFollowedByMandatoryIsAnOptionError() {
        assertThat(walk(bytes(1, 1, 2, 0), true)).containsExactly("MANDATORY_REPEATED");
        cursor.reset(bytes(0, 1, 1, 2), 0, 4, true);
        cursor.next();
        assertThat(cursor.next()).isEqualTo(OptionStatus.MANDATORY_REPEATED);
        assertThat(cursor.optionOffset()).isEqualTo(2);
    }

    @Test
    void mandatoryBeforeAnOptionWithABadLengthIsReported() {
        cursor.reset(bytes(1, 44, 1, 0, 0), 0, 5, true);
        assertThat(cursor.next()).isEqualTo(OptionStatus.BAD_LENGTH);
        assertThat(cursor.isMandatory()).isTrue();
        assertThat(cursor.type()).isEqualTo(44);
    }

    @Test
    void mandatoryIsIgnoredOnDataPackets() {
        assertThat(walk(bytes(1, 1, 2, 1), false)).containsExactly("1", "1", "2", "1", "END");
        // through a header: DCCP-Data ignores Mandatory, DCCP-DataAck honours it
        for (DccpPacketType type : new DccpPacketType[] {DccpPacketType.DATA, DccpPacketType.DATA_ACK}) {
            ByteBuffer buf = ByteBuffer.allocate(32);
            DccpHeaderWriter w = new DccpHeaderWriter().wrap(buf, 0, 32).begin(type).ports(1, 2).sequenceNumber(1);
            if (type.hasAckNumber()) {
                w.ackNumber(1);
            }
            int length = w.finish(0) + 4;
            int at = w.dataOffset();
            buf.put(at, (byte) 1).put(at + 1, (byte) 1).put(at + 2, (byte) 2).put(at + 3, (byte) 0);
            buf.put(4, (byte) (length / 4));
            DccpHeader h = new DccpHeader();
            assertThat(h.wrap(buf, 0, length).validate()).isEqualTo(ParseResult.OK);
            OptionStatus first = cursor.reset(h).next();
            if (type == DccpPacketType.DATA) {
                assertThat(first).isEqualTo(OptionStatus.OPTION);
                assertThat(cursor.type()).isEqualTo(1);
                assertThat(cursor.isMandatory()).isFalse();
            } else {
                assertThat(first).isEqualTo(OptionStatus.MANDATORY_REPEATED);
            }
        }
    }

    @Test
    void typedAccessorsReturnMinusOneForTheWrongTypeOrLength() {
        // Timestamp with length 5, Data Checksum with length 4 (§5.8: must be ignored)
        cursor.reset(bytes(41, 5, 1, 2, 3, 44, 4, 1, 2), 0, 9, true);
        cursor.next();
        assertThat(cursor.hasValidLength()).isFalse();
        assertThat(cursor.timestamp()).isEqualTo(-1);
        cursor.next();
        assertThat(cursor.hasValidLength()).isFalse();
        assertThat(cursor.dataChecksum()).isEqualTo(-1);
        assertThat(cursor.dataChecksumMatches()).isFalse();
        assertThat(cursor.timestamp()).isEqualTo(-1);
        assertThat(cursor.ndpCount()).isEqualTo(-1);
        assertThat(cursor.elapsedTime()).isEqualTo(-1);
        assertThat(cursor.timestampEcho()).isEqualTo(-1);
        assertThat(cursor.timestampEchoElapsed()).isEqualTo(-1);
        assertThat(cursor.initCookieLength()).isEqualTo(-1);
        assertThat(cursor.featureNumber()).isEqualTo(-1);
        assertThat(cursor.featureValueCount()).isEqualTo(-1);
        assertThat(cursor.featureValue(0)).isEqualTo(-1);
        assertThat(cursor.featureValuesLength()).isEqualTo(-1);
        assertThat(cursor.isValidFeatureOption()).isFalse();
    }

    @Test
    void optionLengthRulesOfEachType() {
        int[][] validLengths = {
            {OptionType.NDP_COUNT, 3, 8}, {OptionType.TIMESTAMP, 6, 6}, {OptionType.DATA_CHECKSUM, 6, 6},
            {OptionType.CHANGE_L, 4, 255}, {OptionType.CHANGE_R, 4, 255}, {OptionType.CONFIRM_L, 3, 255},
            {OptionType.CONFIRM_R, 3, 255}, {OptionType.INIT_COOKIE, 2, 255}, {OptionType.ACK_VECTOR_0, 3, 255},
            {OptionType.ACK_VECTOR_1, 3, 255}, {OptionType.DATA_DROPPED, 3, 255}, {150, 2, 255}, {100, 2, 255},
        };
        for (int[] rule : validLengths) {
            for (int len = 0; len <= 256; len++) {
                boolean valid = len >= rule[1] && len <= rule[2];
                assertThat(OptionType.isValidLength(rule[0], len)).as("type %d length %d", rule[0], len).isEqualTo(valid);
            }
        }
        for (int len = 0; len <= 12; len++) {
            assertThat(OptionType.isValidLength(OptionType.TIMESTAMP_ECHO, len)).isEqualTo(len == 6 || len == 8 || len == 10);
            assertThat(OptionType.isValidLength(OptionType.ELAPSED_TIME, len)).isEqualTo(len == 4 || len == 6);
            assertThat(OptionType.isValidLength(OptionType.PADDING, len)).isEqualTo(len == 1);
        }
    }

    @Test
    void featureOptionValidityFollowsSection6_6_8() {
        // Change L(Ack Ratio, 0) is never valid; Change L(Ack Ratio, 3) is
        assertThat(featureValid(32, 5, 0, 0)).isFalse();
        assertThat(featureValid(32, 5, 0, 3)).isTrue();
        // Ack Ratio takes 16-bit values: 1 or 3 bytes is invalid
        assertThat(featureValid(32, 5, 3)).isFalse();
        assertThat(featureValid(35, 5, 0, 3, 0)).isFalse();
        // empty Confirm R of a non-negotiable feature is valid, empty Change L is not even a valid length
        assertThat(featureValid(35, 3)).isTrue();
        // Change R / Confirm L are never sent for non-negotiable features (§6.3.2)
        assertThat(featureValid(34, 5, 0, 3)).isFalse();
        assertThat(featureValid(33, 5, 0, 3)).isFalse();
        // Sequence Window range
        assertThat(featureValid(32, 3, 0, 0, 0, 0, 0, 31)).isFalse();
        assertThat(featureValid(32, 3, 0, 0, 0, 0, 4, 0)).isTrue();
        // server-priority: any one-byte values
        assertThat(featureValid(34, 1, 2, 3, 200)).isTrue();
        assertThat(featureValid(33, 1, 3, 3, 2, 1)).isTrue();
        assertThat(featureValid(33, 1)).as("empty Confirm").isTrue();
        // unknown feature numbers are not "valid" for this codec
        assertThat(featureValid(32, 126, 1)).isFalse();
        assertThat(featureValid(32, 200, 1)).isFalse();
    }

    private boolean featureValid(int type, int feature, int... values) {
        int[] raw = new int[3 + values.length];
        raw[0] = type;
        raw[1] = raw.length;
        raw[2] = feature;
        System.arraycopy(values, 0, raw, 3, values.length);
        cursor.reset(bytes(raw), 0, raw.length, true);
        assertThat(cursor.next()).isEqualTo(OptionStatus.OPTION);
        return cursor.isValidFeatureOption();
    }

    @Test
    void decodesTheFeatureExamplesOfSection6_5() {
        // Change L(Sequence Window, 1024) = 32,9,3,0,0,0,0,4,0
        cursor.reset(bytes(32, 9, 3, 0, 0, 0, 0, 4, 0), 0, 9, true);
        cursor.next();
        assertThat(cursor.featureNumber()).isEqualTo(3);
        assertThat(cursor.featureValueCount()).isEqualTo(1);
        assertThat(cursor.featureValue(0)).isEqualTo(1024);
        assertThat(cursor.featureValue(1)).isEqualTo(-1);
        // Confirm R(CCID, 2, 3 2) = 35,6,1,2,3,2
        cursor.reset(bytes(35, 6, 1, 2, 3, 2), 0, 6, true);
        cursor.next();
        assertThat(cursor.featureValueCount()).isEqualTo(3);
        assertThat(cursor.featureValue(0)).isEqualTo(2);
        assertThat(cursor.featureValue(2)).isEqualTo(2);
        assertThat(cursor.isEmptyConfirm()).isFalse();
        // Empty Confirm L(126) = 33,3,126
        cursor.reset(bytes(33, 3, 126), 0, 3, true);
        cursor.next();
        assertThat(cursor.isEmptyConfirm()).isTrue();
        assertThat(cursor.featureNumber()).isEqualTo(126);
        assertThat(cursor.featureValueCount()).isZero();
    }
}
