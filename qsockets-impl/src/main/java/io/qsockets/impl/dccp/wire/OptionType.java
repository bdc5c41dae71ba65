package io.qsockets.impl.dccp.wire;

/**
 * DCCP option types (RFC 4340 §5.8, Table 3) and the rules that depend only on the type: which
 * lengths are valid and on which packet types an option may be sent (and must otherwise be
 * ignored). Types 0-31 are single-byte options, 32-255 carry a length byte; 3-31 and 45-127 are
 * reserved, 128-255 CCID-specific (§10.3).
 */
public final class OptionType {

    /** Padding (0), single byte (§5.8.1). */
    public static final int PADDING = 0;
    /** Mandatory (1), single byte, marks the next option mandatory (§5.8.2). */
    public static final int MANDATORY = 1;
    /** Slow Receiver (2), single byte (§11.6). */
    public static final int SLOW_RECEIVER = 2;
    /** Change L (32), feature number and values (§6.1). */
    public static final int CHANGE_L = 32;
    /** Confirm L (33), feature number and values (§6.2). */
    public static final int CONFIRM_L = 33;
    /** Change R (34). */
    public static final int CHANGE_R = 34;
    /** Confirm R (35). */
    public static final int CONFIRM_R = 35;
    /** Init Cookie (36), up to 253 opaque bytes (§8.1.4). */
    public static final int INIT_COOKIE = 36;
    /** NDP Count (37), 1 to 6 bytes (§7.7). */
    public static final int NDP_COUNT = 37;
    /** Ack Vector [Nonce 0] (38) (§11.4). */
    public static final int ACK_VECTOR_0 = 38;
    /** Ack Vector [Nonce 1] (39) (§11.4). */
    public static final int ACK_VECTOR_1 = 39;
    /** Data Dropped (40) (§11.7). */
    public static final int DATA_DROPPED = 40;
    /** Timestamp (41), 4 bytes (§13.1). */
    public static final int TIMESTAMP = 41;
    /** Timestamp Echo (42), 4, 6 or 8 bytes (§13.3). */
    public static final int TIMESTAMP_ECHO = 42;
    /** Elapsed Time (43), 2 or 4 bytes (§13.2). */
    public static final int ELAPSED_TIME = 43;
    /** Data Checksum (44), CRC-32c of the application data (§9.3). */
    public static final int DATA_CHECKSUM = 44;

    /** Largest option length (the length byte is 8 bits). */
    public static final int MAX_OPTION_LENGTH = 255;
    /** Largest body (option data) of a multi-byte option: 255 - 2. */
    public static final int MAX_BODY_LENGTH = MAX_OPTION_LENGTH - 2;

    private OptionType() {
    }

    /** True for 0-31, the single-byte options. */
    public static boolean isSingleByte(int type) {
        return type >= 0 && type < 32;
    }

    /** True for the options RFC 4340 defines: 0-2 and 32-44. */
    public static boolean isKnown(int type) {
        return (type >= PADDING && type <= SLOW_RECEIVER) || (type >= CHANGE_L && type <= DATA_CHECKSUM);
    }

    /** True for the reserved types 3-31 and 45-127. */
    public static boolean isReserved(int type) {
        return (type >= 3 && type <= 31) || (type >= 45 && type <= 127);
    }

    /** True for the CCID-specific types 128-255 (§10.3). */
    public static boolean isCcidSpecific(int type) {
        return type >= 128 && type <= 255;
    }

    /** True for Change L/R and Confirm L/R. */
    public static boolean isFeatureNegotiation(int type) {
        return type >= CHANGE_L && type <= CONFIRM_R;
    }

    /** True for Change L and Change R. */
    public static boolean isChange(int type) {
        return type == CHANGE_L || type == CHANGE_R;
    }

    /**
     * Whether {@code optionLength} (the whole option: type, length byte and data; 1 for
     * single-byte options) is valid for {@code type}: single-byte options 1; Change at least 4
     * (one value, §6.1); Confirm at least 3 (empty Confirm, §6.2); Init Cookie 2-255; NDP Count
     * 3-8; Ack Vector and Data Dropped at least 3 (one cell); Timestamp 6; Timestamp Echo 6, 8 or
     * 10; Elapsed Time 4 or 6; Data Checksum 6; any other multi-byte type 2-255.
     */
    public static boolean isValidLength(int type, int optionLength) {
        if (isSingleByte(type)) {
            return optionLength == 1;
        }
        if (optionLength < 2 || optionLength > MAX_OPTION_LENGTH) {
            return false;
        }
        switch (type) {
            case CHANGE_L:
            case CHANGE_R:
                return optionLength >= 4;
            case CONFIRM_L:
            case CONFIRM_R:
                return optionLength >= 3;
            case NDP_COUNT:
                return optionLength >= 3 && optionLength <= 8;
            case ACK_VECTOR_0:
            case ACK_VECTOR_1:
            case DATA_DROPPED:
                return optionLength >= 3;
            case TIMESTAMP:
            case DATA_CHECKSUM:
                return optionLength == 6;
            case TIMESTAMP_ECHO:
                return optionLength == 6 || optionLength == 8 || optionLength == 10;
            case ELAPSED_TIME:
                return optionLength == 4 || optionLength == 6;
            default:
                return true;
        }
    }

    /**
     * Whether an option of {@code type} may be sent on {@code packetType}; where this is false a
     * receiver must ignore the option. DCCP-Data takes only Padding, Slow Receiver, NDP Count,
     * Timestamp, Timestamp Echo, Data Checksum and unknown types (Table 3, "DCCP-Data?" column,
     * §5.8.2, §6); Confirm, Init Cookie, Ack Vector, Data Dropped and Elapsed Time also need an
     * Acknowledgement Number, so DCCP-Request does not take them (§6.6.1, §8.1.4, §11.4, §11.7,
     * §13.2).
     */
    public static boolean isAllowedOn(int type, DccpPacketType packetType) {
        switch (type) {
            case MANDATORY:
            case CHANGE_L:
            case CHANGE_R:
                return packetType != DccpPacketType.DATA;
            case CONFIRM_L:
            case CONFIRM_R:
            case INIT_COOKIE:
            case ACK_VECTOR_0:
            case ACK_VECTOR_1:
            case DATA_DROPPED:
            case ELAPSED_TIME:
                return packetType.hasAckNumber();
            default:
                return true;
        }
    }

    /** A readable name for messages, e.g. {@code "Ack Vector [Nonce 0]"}. */
    public static String name(int type) {
        switch (type) {
            case PADDING: return "Padding";
            case MANDATORY: return "Mandatory";
            case SLOW_RECEIVER: return "Slow Receiver";
            case CHANGE_L: return "Change L";
            case CONFIRM_L: return "Confirm L";
            case CHANGE_R: return "Change R";
            case CONFIRM_R: return "Confirm R";
            case INIT_COOKIE: return "Init Cookie";
            case NDP_COUNT: return "NDP Count";
            case ACK_VECTOR_0: return "Ack Vector [Nonce 0]";
            case ACK_VECTOR_1: return "Ack Vector [Nonce 1]";
            case DATA_DROPPED: return "Data Dropped";
            case TIMESTAMP: return "Timestamp";
            case TIMESTAMP_ECHO: return "Timestamp Echo";
            case ELAPSED_TIME: return "Elapsed Time";
            case DATA_CHECKSUM: return "Data Checksum";
            default:
                if (isCcidSpecific(type)) {
                    return "CCID-specific option";
                }
                return isReserved(type) ? "Reserved option" : "Invalid option type";
        }
    }
}
