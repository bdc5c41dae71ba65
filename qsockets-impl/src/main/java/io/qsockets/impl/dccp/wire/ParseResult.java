package io.qsockets.impl.dccp.wire;

/**
 * Outcome of {@link DccpHeader#validate()}. Every value but {@link #OK} means the receiver must
 * ignore the packet (RFC 4340 §5.1, §9.2; RFC 6773 §3.3): count it and drop it.
 */
public enum ParseResult {
    /** The header is well formed; its fields, options and data area may be read. */
    OK,
    /** Shorter than the generic header: 12 bytes, or 16 when X=1 (§5.1; RFC 6773 §3.3). */
    TOO_SHORT,
    /** Type 10-15, which receivers must ignore (§5.1). */
    RESERVED_TYPE,
    /** X=0 on a type other than Data, Ack and DataAck, which must use X=1 (§5.1). */
    SHORT_SEQNOS_NOT_ALLOWED,
    /** Shorter than the fixed header of its type (acknowledgement subheader, Service Code, Reset Code). */
    TOO_SHORT_FOR_TYPE,
    /** Data Offset points inside the fixed header of the type (§5.1). */
    DATA_OFFSET_TOO_SMALL,
    /** Data Offset points past the end of the packet (§5.1; RFC 6773 §3.3). */
    DATA_OFFSET_TOO_LARGE,
    /** CsCov is not 0 and {@code (CsCov - 1) * 4} exceeds the application data length (§9.2). */
    BAD_CHECKSUM_COVERAGE;

    /** True for {@link #OK}. */
    public boolean isOk() {
        return this == OK;
    }
}
