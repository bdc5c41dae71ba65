package io.qsockets.impl.dccp.wire;

/** The 2-bit state of an Ack Vector cell (RFC 4340 §11.4, Table 6). */
public enum AckVectorState {
    /** 0: received (ECN Not-ECT, ECT(0) or ECT(1)). */
    RECEIVED,
    /** 1: received with ECN Congestion Experienced. */
    RECEIVED_ECN_MARKED,
    /** 2: reserved. */
    RESERVED,
    /** 3: not yet received. */
    NOT_YET_RECEIVED;

    private static final AckVectorState[] BY_CODE = values();

    /** The 2-bit code. */
    public int code() {
        return ordinal();
    }

    /** The state for the low two bits of {@code code}. */
    public static AckVectorState fromCode(int code) {
        return BY_CODE[code & 3];
    }
}
