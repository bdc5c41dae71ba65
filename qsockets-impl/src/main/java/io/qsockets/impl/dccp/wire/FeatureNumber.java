package io.qsockets.impl.dccp.wire;

/**
 * The DCCP features of RFC 4340 §6.4 (Table 4) with their reconciliation rule, value length,
 * initial value and whether every implementation must understand them. Feature number 0 and
 * 10-127 are reserved, 128-255 CCID-specific (§10.3); neither has a constant.
 */
public enum FeatureNumber {
    /** 1, Congestion Control ID (§10): server-priority, one byte, initially 2. */
    CCID(1, ReconciliationRule.SERVER_PRIORITY, 1, 2, true),
    /** 2, Allow Short Seqnos (§7.6.1): server-priority Boolean, initially 0. */
    ALLOW_SHORT_SEQNOS(2, ReconciliationRule.SERVER_PRIORITY, 1, 0, true),
    /** 3, Sequence Window (§7.5.2): non-negotiable 48-bit value in [32, 2^46 - 1], initially 100. */
    SEQUENCE_WINDOW(3, ReconciliationRule.NON_NEGOTIABLE, 6, 100, true),
    /** 4, ECN Incapable (§12.1): server-priority Boolean, initially 0. */
    ECN_INCAPABLE(4, ReconciliationRule.SERVER_PRIORITY, 1, 0, false),
    /** 5, Ack Ratio (§11.3): non-negotiable 16-bit non-zero value (§6.6.8), initially 2. */
    ACK_RATIO(5, ReconciliationRule.NON_NEGOTIABLE, 2, 2, false),
    /** 6, Send Ack Vector (§11.5): server-priority Boolean, initially 0. */
    SEND_ACK_VECTOR(6, ReconciliationRule.SERVER_PRIORITY, 1, 0, false),
    /** 7, Send NDP Count (§7.7.2): server-priority Boolean, initially 0. */
    SEND_NDP_COUNT(7, ReconciliationRule.SERVER_PRIORITY, 1, 0, false),
    /** 8, Minimum Checksum Coverage (§9.2.1): server-priority one byte (0-15), initially 0. */
    MINIMUM_CHECKSUM_COVERAGE(8, ReconciliationRule.SERVER_PRIORITY, 1, 0, false),
    /** 9, Check Data Checksum (§9.3.1): server-priority Boolean, initially 0. */
    CHECK_DATA_CHECKSUM(9, ReconciliationRule.SERVER_PRIORITY, 1, 0, false);

    /** The smallest valid Sequence Window (§7.5.2). */
    public static final long SEQUENCE_WINDOW_MIN = 32;
    /** The largest valid Sequence Window, 2^46 - 1 (§7.5.2). */
    public static final long SEQUENCE_WINDOW_MAX = (1L << 46) - 1;

    private static final FeatureNumber[] BY_NUMBER = {
        null, CCID, ALLOW_SHORT_SEQNOS, SEQUENCE_WINDOW, ECN_INCAPABLE, ACK_RATIO, SEND_ACK_VECTOR,
        SEND_NDP_COUNT, MINIMUM_CHECKSUM_COVERAGE, CHECK_DATA_CHECKSUM,
    };

    private final int number;
    private final ReconciliationRule rule;
    private final int valueLength;
    private final long initialValue;
    private final boolean required;

    FeatureNumber(int number, ReconciliationRule rule, int valueLength, long initialValue, boolean required) {
        this.number = number;
        this.rule = rule;
        this.valueLength = valueLength;
        this.initialValue = initialValue;
        this.required = required;
    }

    /** The feature number carried in the first data byte of Change/Confirm options. */
    public int number() {
        return number;
    }

    /** Server-priority or non-negotiable. */
    public ReconciliationRule rule() {
        return rule;
    }

    /** Length in bytes of one feature value on the wire. */
    public int valueLength() {
        return valueLength;
    }

    /** The value every connection starts with (Table 4). */
    public long initialValue() {
        return initialValue;
    }

    /** True if every DCCP implementation must understand the feature (Table 4, "Req'd"). */
    public boolean isRequired() {
        return required;
    }

    /** True for server-priority features. */
    public boolean isServerPriority() {
        return rule == ReconciliationRule.SERVER_PRIORITY;
    }

    /**
     * Whether {@code value} is a valid value: for non-negotiable features their range (Sequence
     * Window in [32, 2^46 - 1], Ack Ratio in [1, 65535], §6.6.8); server-priority features have no
     * value limitation beyond fitting one byte (§6.6.8: unknown values are handled by the
     * reconciliation itself).
     */
    public boolean isValidValue(long value) {
        switch (this) {
            case SEQUENCE_WINDOW:
                return value >= SEQUENCE_WINDOW_MIN && value <= SEQUENCE_WINDOW_MAX;
            case ACK_RATIO:
                return value >= 1 && value <= 0xFFFF;
            default:
                return value >= 0 && value <= 0xFF;
        }
    }

    /** The feature with this number, or {@code null} for reserved, CCID-specific and out-of-range numbers. */
    public static FeatureNumber fromNumber(int number) {
        return number > 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
    }

    /** True for the CCID-specific feature numbers 128 to 255 (§10.3). */
    public static boolean isCcidSpecific(int number) {
        return number >= 128 && number <= 255;
    }
}
