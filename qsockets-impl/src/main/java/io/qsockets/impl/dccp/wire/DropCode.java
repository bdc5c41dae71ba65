package io.qsockets.impl.dccp.wire;

/** The 3-bit Drop Code of a Data Dropped Drop Block (RFC 4340 §11.7, Table 7). */
public enum DropCode {
    /** 0: dropped because of protocol constraints (no congestion). */
    PROTOCOL_CONSTRAINTS,
    /** 1: the application is no longer listening. */
    APPLICATION_NOT_LISTENING,
    /** 2: dropped in a receive buffer. */
    RECEIVE_BUFFER,
    /** 3: dropped because corrupt (§9.3). */
    CORRUPT,
    /** 4: reserved. */
    RESERVED_4,
    /** 5: reserved. */
    RESERVED_5,
    /** 6: reserved. */
    RESERVED_6,
    /** 7: corrupt but delivered to the application anyway (§9.3). */
    DELIVERED_CORRUPT;

    private static final DropCode[] BY_CODE = values();

    /** The 3-bit code. */
    public int code() {
        return ordinal();
    }

    /** True for the reserved codes 4 to 6. */
    public boolean isReserved() {
        return this == RESERVED_4 || this == RESERVED_5 || this == RESERVED_6;
    }

    /** The code for the low three bits of {@code code}. */
    public static DropCode fromCode(int code) {
        return BY_CODE[code & 7];
    }
}
