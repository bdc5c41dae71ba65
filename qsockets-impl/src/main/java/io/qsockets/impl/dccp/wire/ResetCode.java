package io.qsockets.impl.dccp.wire;

/**
 * DCCP Reset Codes (RFC 4340 §5.6, Table 2). Codes 0 to 11 are the constants; 12 to 127 are
 * reserved and 128 to 255 CCID-specific (128-191 sent by the HC-Sender, 192-255 by the
 * HC-Receiver, §10.3). Receivers treat reserved and unknown CCID-specific codes as
 * {@link #UNSPECIFIED} ({@link #forReceived(int)}).
 */
public enum ResetCode {
    /** 0: no meaningful code (not recommended). */
    UNSPECIFIED(0),
    /** 1: normal connection close (§8.3). */
    CLOSED(1),
    /** 2: the sender gave up for lack of progress. */
    ABORTED(2),
    /** 3: no connection exists (§8.3.1). */
    NO_CONNECTION(3),
    /** 4: valid packet of unexpected type; Data 1 holds the offending type. */
    PACKET_ERROR(4),
    /** 5: erroneous option; Data 1 is its type, Data 2-3 its first two data bytes. */
    OPTION_ERROR(5),
    /** 6: an option marked Mandatory could not be processed; Data as for {@link #OPTION_ERROR}. */
    MANDATORY_ERROR(6),
    /** 7: no socket listens on the destination port (only for Requests). */
    CONNECTION_REFUSED(7),
    /** 8: the Service Code does not match the port (only for Requests). */
    BAD_SERVICE_CODE(8),
    /** 9: the server is too busy (only for Requests). */
    TOO_BUSY(9),
    /** 10: the echoed Init Cookie was wrong or missing (§8.1.4). */
    BAD_INIT_COOKIE(10),
    /** 11: congestion-control misbehaviour detected (§12.3). */
    AGGRESSION_PENALTY(11);

    private static final ResetCode[] BY_CODE = values();

    private final int code;

    ResetCode(int code) {
        this.code = code;
    }

    /** The 8-bit Reset Code. */
    public int code() {
        return code;
    }

    /** The constant for {@code code} 0 to 11, or {@code null} for any other value. */
    public static ResetCode fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /**
     * How a receiver interprets a received code: the constant for 0 to 11, {@link #UNSPECIFIED}
     * for reserved (12-127), CCID-specific (128-255) and out-of-range values (§5.6).
     */
    public static ResetCode forReceived(int code) {
        ResetCode known = fromCode(code);
        return known != null ? known : UNSPECIFIED;
    }

    /** True for the reserved codes 12 to 127. */
    public static boolean isReserved(int code) {
        return code >= 12 && code <= 127;
    }

    /** True for the CCID-specific codes 128 to 255 (§10.3). */
    public static boolean isCcidSpecific(int code) {
        return code >= 128 && code <= 255;
    }
}
