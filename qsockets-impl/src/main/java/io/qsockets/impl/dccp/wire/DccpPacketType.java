package io.qsockets.impl.dccp.wire;

/**
 * The ten DCCP packet types (RFC 4340 §5.1, Table 1); codes 10 to 15 are reserved and have no
 * constant. Each type knows its fixed header layout: whether it carries an Acknowledgement Number
 * subheader, a Service Code or a Reset Code, and whether it may use short (24-bit) sequence
 * numbers.
 */
public enum DccpPacketType {
    /** DCCP-Request (0): Service Code, no Acknowledgement Number, X=1. */
    REQUEST(0, "DCCP-Request", false, false, 4),
    /** DCCP-Response (1): Acknowledgement Number and Service Code, X=1. */
    RESPONSE(1, "DCCP-Response", true, false, 4),
    /** DCCP-Data (2): no Acknowledgement Number; X may be 0. */
    DATA(2, "DCCP-Data", false, true, 0),
    /** DCCP-Ack (3): Acknowledgement Number; X may be 0. */
    ACK(3, "DCCP-Ack", true, true, 0),
    /** DCCP-DataAck (4): Acknowledgement Number; X may be 0. */
    DATA_ACK(4, "DCCP-DataAck", true, true, 0),
    /** DCCP-CloseReq (5): Acknowledgement Number, X=1. */
    CLOSE_REQ(5, "DCCP-CloseReq", true, false, 0),
    /** DCCP-Close (6): Acknowledgement Number, X=1. */
    CLOSE(6, "DCCP-Close", true, false, 0),
    /** DCCP-Reset (7): Acknowledgement Number, Reset Code and Data 1-3, X=1. */
    RESET(7, "DCCP-Reset", true, false, 4),
    /** DCCP-Sync (8): Acknowledgement Number, X=1. */
    SYNC(8, "DCCP-Sync", true, false, 0),
    /** DCCP-SyncAck (9): Acknowledgement Number, X=1. */
    SYNC_ACK(9, "DCCP-SyncAck", true, false, 0);

    /** Length in bytes of the generic header with 48-bit sequence numbers (X=1). */
    public static final int LONG_GENERIC_HEADER = 16;
    /** Length in bytes of the generic header with 24-bit sequence numbers (X=0). */
    public static final int SHORT_GENERIC_HEADER = 12;

    private static final DccpPacketType[] BY_CODE = values();

    private final int code;
    private final String rfcName;
    private final boolean ackNumber;
    private final boolean shortSeqnos;
    private final int extraFields;

    DccpPacketType(int code, String rfcName, boolean ackNumber, boolean shortSeqnos, int extraFields) {
        this.code = code;
        this.rfcName = rfcName;
        this.ackNumber = ackNumber;
        this.shortSeqnos = shortSeqnos;
        this.extraFields = extraFields;
    }

    /** The 4-bit Type field value. */
    public int code() {
        return code;
    }

    /** The name RFC 4340 uses, e.g. {@code "DCCP-DataAck"}. */
    public String rfcName() {
        return rfcName;
    }

    /** True for every type but Request and Data (§5.1). */
    public boolean hasAckNumber() {
        return ackNumber;
    }

    /** True only for Data, Ack and DataAck, the types that may set X=0 (§5.1, §7.6). */
    public boolean allowsShortSeqnos() {
        return shortSeqnos;
    }

    /** True for Request and Response, which carry a Service Code (§5.2, §5.3). */
    public boolean hasServiceCode() {
        return this == REQUEST || this == RESPONSE;
    }

    /**
     * True for the "data packets" of §7.7 (Request, Response, Data, DataAck), false for the
     * non-data packets NDP Count counts.
     */
    public boolean isDataPacket() {
        return this == REQUEST || this == RESPONSE || this == DATA || this == DATA_ACK;
    }

    /**
     * The minimum header length in bytes: generic header, Acknowledgement Number subheader and
     * type-specific fields, before any option.
     *
     * @param extended whether the packet uses 48-bit sequence numbers (X=1)
     * @throws IllegalArgumentException if {@code extended} is false for a type that requires X=1
     */
    public int headerLength(boolean extended) {
        if (!extended && !shortSeqnos) {
            throw new IllegalArgumentException(rfcName + " must use 48-bit sequence numbers (X=1); "
                    + "only DCCP-Data, DCCP-Ack and DCCP-DataAck may use short ones");
        }
        int generic = extended ? LONG_GENERIC_HEADER : SHORT_GENERIC_HEADER;
        int ack = ackNumber ? (extended ? 8 : 4) : 0;
        return generic + ack + extraFields;
    }

    /** The type with this code, or {@code null} for a reserved (10-15) or out-of-range code. */
    public static DccpPacketType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** True for the reserved codes 10 to 15, which receivers must ignore (§5.1). */
    public static boolean isReserved(int code) {
        return code >= 10 && code <= 15;
    }
}
