package io.qsockets.impl.dccp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The tables of RFC 4340: packet types (Table 1), Reset Codes (Table 2), options (Table 3), features (Table 4). */
@Timeout(10)
class WireConstantsTest {

    @Test
    void packetTypesHaveTheirCodesAndLayouts() {
        assertThat(DccpPacketType.values()).hasSize(10);
        for (DccpPacketType t : DccpPacketType.values()) {
            assertThat(DccpPacketType.fromCode(t.code())).isSameAs(t);
        }
        assertThat(DccpPacketType.DATA_ACK.code()).isEqualTo(4);
        assertThat(DccpPacketType.SYNC_ACK.code()).isEqualTo(9);
        for (int code = 10; code <= 15; code++) {
            assertThat(DccpPacketType.fromCode(code)).isNull();
            assertThat(DccpPacketType.isReserved(code)).isTrue();
        }
        assertThat(DccpPacketType.fromCode(-1)).isNull();
        assertThat(DccpPacketType.isReserved(9)).isFalse();

        assertThat(DccpPacketType.REQUEST.headerLength(true)).isEqualTo(20);
        assertThat(DccpPacketType.RESPONSE.headerLength(true)).isEqualTo(28);
        assertThat(DccpPacketType.DATA.headerLength(true)).isEqualTo(16);
        assertThat(DccpPacketType.DATA.headerLength(false)).isEqualTo(12);
        assertThat(DccpPacketType.ACK.headerLength(true)).isEqualTo(24);
        assertThat(DccpPacketType.ACK.headerLength(false)).isEqualTo(16);
        assertThat(DccpPacketType.DATA_ACK.headerLength(false)).isEqualTo(16);
        assertThat(DccpPacketType.CLOSE_REQ.headerLength(true)).isEqualTo(24);
        assertThat(DccpPacketType.CLOSE.headerLength(true)).isEqualTo(24);
        assertThat(DccpPacketType.RESET.headerLength(true)).isEqualTo(28);
        assertThat(DccpPacketType.SYNC.headerLength(true)).isEqualTo(24);
        assertThat(DccpPacketType.SYNC_ACK.headerLength(true)).isEqualTo(24);
        assertThatThrownBy(() -> DccpPacketType.SYNC.headerLength(false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DCCP-Sync");

        assertThat(DccpPacketType.REQUEST.hasAckNumber()).isFalse();
        assertThat(DccpPacketType.DATA.hasAckNumber()).isFalse();
        assertThat(DccpPacketType.CLOSE.hasAckNumber()).isTrue();
        // §7.7: data packets for NDP Count
        assertThat(DccpPacketType.RESPONSE.isDataPacket()).isTrue();
        assertThat(DccpPacketType.ACK.isDataPacket()).isFalse();
        assertThat(DccpPacketType.SYNC.isDataPacket()).isFalse();
    }

    @Test
    void resetCodesCoverTheDefinedValuesAndTheRanges() {
        assertThat(ResetCode.values()).hasSize(12);
        for (ResetCode c : ResetCode.values()) {
            assertThat(ResetCode.fromCode(c.code())).isSameAs(c);
        }
        assertThat(ResetCode.MANDATORY_ERROR.code()).isEqualTo(6);
        assertThat(ResetCode.AGGRESSION_PENALTY.code()).isEqualTo(11);
        assertThat(ResetCode.fromCode(12)).isNull();
        assertThat(ResetCode.isReserved(12)).isTrue();
        assertThat(ResetCode.isReserved(127)).isTrue();
        assertThat(ResetCode.isReserved(128)).isFalse();
        assertThat(ResetCode.isCcidSpecific(128)).isTrue();
        assertThat(ResetCode.isCcidSpecific(255)).isTrue();
        assertThat(ResetCode.forReceived(12)).isEqualTo(ResetCode.UNSPECIFIED);
        assertThat(ResetCode.forReceived(200)).isEqualTo(ResetCode.UNSPECIFIED);
        assertThat(ResetCode.forReceived(1)).isEqualTo(ResetCode.CLOSED);
    }

    @Test
    void featuresFollowTable4() {
        assertThat(FeatureNumber.values()).extracting(FeatureNumber::number).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(FeatureNumber.values()).filteredOn(f -> !f.isServerPriority())
                .containsExactly(FeatureNumber.SEQUENCE_WINDOW, FeatureNumber.ACK_RATIO);
        assertThat(FeatureNumber.SEQUENCE_WINDOW.valueLength()).isEqualTo(6);
        assertThat(FeatureNumber.ACK_RATIO.valueLength()).isEqualTo(2);
        assertThat(FeatureNumber.CCID.valueLength()).isEqualTo(1);
        assertThat(FeatureNumber.CCID.initialValue()).isEqualTo(2);
        assertThat(FeatureNumber.SEQUENCE_WINDOW.initialValue()).isEqualTo(100);
        assertThat(FeatureNumber.ACK_RATIO.initialValue()).isEqualTo(2);
        assertThat(FeatureNumber.values()).filteredOn(FeatureNumber::isRequired)
                .containsExactly(FeatureNumber.CCID, FeatureNumber.ALLOW_SHORT_SEQNOS, FeatureNumber.SEQUENCE_WINDOW);
        assertThat(FeatureNumber.fromNumber(0)).isNull();
        assertThat(FeatureNumber.fromNumber(10)).isNull();
        assertThat(FeatureNumber.fromNumber(128)).isNull();
        assertThat(FeatureNumber.isCcidSpecific(128)).isTrue();
        assertThat(FeatureNumber.isCcidSpecific(127)).isFalse();
        // value limits (§7.5.2, §6.6.8)
        assertThat(FeatureNumber.SEQUENCE_WINDOW.isValidValue(31)).isFalse();
        assertThat(FeatureNumber.SEQUENCE_WINDOW.isValidValue(32)).isTrue();
        assertThat(FeatureNumber.SEQUENCE_WINDOW.isValidValue((1L << 46) - 1)).isTrue();
        assertThat(FeatureNumber.SEQUENCE_WINDOW.isValidValue(1L << 46)).isFalse();
        assertThat(FeatureNumber.ACK_RATIO.isValidValue(0)).isFalse();
        assertThat(FeatureNumber.ACK_RATIO.isValidValue(65535)).isTrue();
        assertThat(FeatureNumber.CCID.isValidValue(255)).isTrue();
        assertThat(FeatureNumber.CCID.isValidValue(256)).isFalse();
    }

    @Test
    void optionTypesFollowTable3() {
        for (int t = 0; t < 256; t++) {
            boolean known = t <= 2 || (t >= 32 && t <= 44);
            assertThat(OptionType.isKnown(t)).as("type %d", t).isEqualTo(known);
            assertThat(OptionType.isReserved(t)).as("type %d", t).isEqualTo((t >= 3 && t <= 31) || (t >= 45 && t <= 127));
            assertThat(OptionType.isCcidSpecific(t)).isEqualTo(t >= 128);
            assertThat(OptionType.isSingleByte(t)).isEqualTo(t < 32);
            assertThat(OptionType.name(t)).isNotBlank();
        }
        // "DCCP-Data?" column of Table 3
        int[] yesOnData = {0, 2, 37, 41, 42, 44};
        int[] noOnData = {1, 32, 33, 34, 35, 36, 38, 39, 40, 43};
        for (int t : yesOnData) {
            assertThat(OptionType.isAllowedOn(t, DccpPacketType.DATA)).as("type %d", t).isTrue();
        }
        for (int t : noOnData) {
            assertThat(OptionType.isAllowedOn(t, DccpPacketType.DATA)).as("type %d", t).isFalse();
            assertThat(OptionType.isAllowedOn(t, DccpPacketType.DATA_ACK)).as("type %d", t).isTrue();
        }
        assertThat(OptionType.isAllowedOn(OptionType.ACK_VECTOR_0, DccpPacketType.REQUEST)).isFalse();
        assertThat(OptionType.isAllowedOn(OptionType.INIT_COOKIE, DccpPacketType.REQUEST)).isFalse();
        assertThat(OptionType.isAllowedOn(OptionType.CONFIRM_L, DccpPacketType.REQUEST)).isFalse();
        assertThat(OptionType.isAllowedOn(OptionType.CHANGE_L, DccpPacketType.REQUEST)).isTrue();
        assertThat(OptionType.isAllowedOn(OptionType.MANDATORY, DccpPacketType.REQUEST)).isTrue();
        assertThat(OptionType.isAllowedOn(200, DccpPacketType.DATA)).isTrue();
    }

    @Test
    void ackVectorStatesAndDropCodesDecodeEveryBitPattern() {
        assertThat(AckVectorState.fromCode(0)).isEqualTo(AckVectorState.RECEIVED);
        assertThat(AckVectorState.fromCode(1)).isEqualTo(AckVectorState.RECEIVED_ECN_MARKED);
        assertThat(AckVectorState.fromCode(2)).isEqualTo(AckVectorState.RESERVED);
        assertThat(AckVectorState.fromCode(3)).isEqualTo(AckVectorState.NOT_YET_RECEIVED);
        assertThat(DropCode.fromCode(2)).isEqualTo(DropCode.RECEIVE_BUFFER);
        assertThat(DropCode.fromCode(7)).isEqualTo(DropCode.DELIVERED_CORRUPT);
        assertThat(DropCode.values()).filteredOn(DropCode::isReserved).extracting(DropCode::code).containsExactly(4, 5, 6);
    }
}
