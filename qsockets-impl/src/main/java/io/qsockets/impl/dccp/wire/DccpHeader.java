package io.qsockets.impl.dccp.wire;

import java.nio.ByteBuffer;

/**
 * Read-side flyweight over one received DCCP packet (the payload of a UDP datagram, RFC 6773):
 * {@link #wrap} it, call {@link #validate()}, and read the fields only if the result is
 * {@link ParseResult#OK}. Nothing is allocated and no length in the packet is trusted: validation
 * reads only inside [{@code offset}, {@code offset + length}) and never throws.
 *
 * <p>Reserved bits (the 3-bit Res field, the 8 Reserved bits of the X=1 generic header and the
 * Reserved bits of the acknowledgement subheader) are ignored, as RFC 4340 §3.1 and §5.1 require:
 * a packet is never rejected for them and no accessor exposes them. The Checksum field is exposed
 * but not verified: over UDP the UDP checksum protects the packet and the DCCP checksum must be
 * ignored on receipt (RFC 6773 §3.3).
 *
 * <p>Accessors throw {@link IllegalStateException} if the last {@code validate()} did not return
 * {@code OK}, or if the field does not exist for the packet's type; both are programmer errors.
 * One instance is reused for every packet by one thread.
 */
public final class DccpHeader {

    private ByteBuffer buffer;
    private int offset;
    private int length;
    private ParseResult result;
    private DccpPacketType type;
    private boolean extended;
    private int headerLength;
    private int dataOffsetBytes;

    /**
     * Points this flyweight at {@code length} bytes of {@code buffer} from {@code offset}; the
     * previous validation is forgotten.
     *
     * @throws IllegalArgumentException if the range is not inside the buffer's limit
     */
    public DccpHeader wrap(ByteBuffer buffer, int offset, int length) {
        Checks.readableRange(buffer, offset, length);
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.result = null;
        this.type = null;
        return this;
    }

    /**
     * Checks the packet against RFC 4340 §5 and RFC 6773 §3.3, in this order: length of the
     * generic header (12, or 16 when X=1), reserved type, X=0 on a type that requires X=1, length
     * of the type's fixed header, Data Offset not smaller than that header, Data Offset not past
     * the packet, Checksum Coverage within the application data (§9.2). Options are not checked
     * here: a malformed option never invalidates the header (§5.8); iterate them with
     * {@link OptionCursor}.
     */
    public ParseResult validate() {
        if (buffer == null) {
            throw new IllegalStateException("wrap a buffer before validate()");
        }
        result = check();
        return result;
    }

    private ParseResult check() {
        if (length < DccpPacketType.SHORT_GENERIC_HEADER) {
            return ParseResult.TOO_SHORT;
        }
        int typeByte = Bytes.u8(buffer, offset + 8);
        boolean x = (typeByte & 1) != 0;
        if (x && length < DccpPacketType.LONG_GENERIC_HEADER) {
            return ParseResult.TOO_SHORT;
        }
        DccpPacketType t = DccpPacketType.fromCode((typeByte >>> 1) & 0x0F);
        if (t == null) {
            return ParseResult.RESERVED_TYPE;
        }
        if (!x && !t.allowsShortSeqnos()) {
            return ParseResult.SHORT_SEQNOS_NOT_ALLOWED;
        }
        int fixed = t.headerLength(x);
        if (length < fixed) {
            return ParseResult.TOO_SHORT_FOR_TYPE;
        }
        int doff = Bytes.u8(buffer, offset + 4) * 4;
        if (doff < fixed) {
            return ParseResult.DATA_OFFSET_TOO_SMALL;
        }
        if (doff > length) {
            return ParseResult.DATA_OFFSET_TOO_LARGE;
        }
        int csCov = Bytes.u8(buffer, offset + 5) & 0x0F;
        if (csCov > 0 && (csCov - 1) * 4 > length - doff) {
            return ParseResult.BAD_CHECKSUM_COVERAGE;
        }
        this.type = t;
        this.extended = x;
        this.headerLength = fixed;
        this.dataOffsetBytes = doff;
        return ParseResult.OK;
    }

    /** The result of the last {@link #validate()}, or {@code null} if none since {@link #wrap}. */
    public ParseResult result() {
        return result;
    }

    private void requireOk() {
        if (result != ParseResult.OK) {
            throw new IllegalStateException("header fields are readable only after validate() returned OK, "
                    + "last result: " + result);
        }
    }

    /** The wrapped buffer. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Absolute index of the first byte of the packet. */
    public int offset() {
        return offset;
    }

    /** Length of the whole packet (header, options and data) in bytes. */
    public int packetLength() {
        return length;
    }

    /** The packet type. */
    public DccpPacketType type() {
        requireOk();
        return type;
    }

    /** X: true for 48-bit sequence numbers, false for 24-bit ones. */
    public boolean hasExtendedSeqnos() {
        requireOk();
        return extended;
    }

    /** Source Port. */
    public int sourcePort() {
        requireOk();
        return Bytes.u16(buffer, offset);
    }

    /** Destination Port. */
    public int destinationPort() {
        requireOk();
        return Bytes.u16(buffer, offset + 2);
    }

    /** Data Offset in 32-bit words, as on the wire. */
    public int dataOffsetWords() {
        requireOk();
        return dataOffsetBytes / 4;
    }

    /** CCVal (4 bits), for the HC-Receiver CCID. */
    public int ccVal() {
        requireOk();
        return Bytes.u8(buffer, offset + 5) >>> 4;
    }

    /** Checksum Coverage, CsCov (4 bits, §9.2). */
    public int checksumCoverage() {
        requireOk();
        return Bytes.u8(buffer, offset + 5) & 0x0F;
    }

    /** The Checksum field as received; ignored over UDP (RFC 6773 §3.3). */
    public int checksum() {
        requireOk();
        return Bytes.u16(buffer, offset + 6);
    }

    /**
     * The Sequence Number as on the wire: 48 bits when X=1, the low 24 bits when X=0 (extend those
     * with {@link #sequenceNumber(long)}).
     */
    public long sequenceNumber() {
        requireOk();
        return extended ? Bytes.u48(buffer, offset + 10) : Bytes.u24(buffer, offset + 9);
    }

    /** The 48-bit Sequence Number; a short one is extended against {@code gsr} (§7.6). */
    public long sequenceNumber(long gsr) {
        long raw = sequenceNumber();
        return extended ? raw : SequenceNumbers.extendShort((int) raw, gsr);
    }

    /** True if the type carries an Acknowledgement Number subheader (all but Request and Data). */
    public boolean hasAckNumber() {
        requireOk();
        return type.hasAckNumber();
    }

    /**
     * The Acknowledgement Number as on the wire: 48 bits when X=1, 24 when X=0.
     *
     * @throws IllegalStateException for Request and Data packets, which carry none
     */
    public long ackNumber() {
        requireOk();
        if (!type.hasAckNumber()) {
            throw new IllegalStateException(type.rfcName() + " has no Acknowledgement Number");
        }
        int generic = extended ? DccpPacketType.LONG_GENERIC_HEADER : DccpPacketType.SHORT_GENERIC_HEADER;
        return extended ? Bytes.u48(buffer, offset + generic + 2) : Bytes.u24(buffer, offset + generic + 1);
    }

    /** The 48-bit Acknowledgement Number; a short one is extended against {@code gss} (§7.6). */
    public long ackNumber(long gss) {
        long raw = ackNumber();
        return extended ? raw : SequenceNumbers.extendShort((int) raw, gss);
    }

    /**
     * The 32-bit Service Code of a Request or Response, as an {@code int} holding its bits.
     *
     * @throws IllegalStateException for other types
     */
    public int serviceCode() {
        requireOk();
        if (!type.hasServiceCode()) {
            throw new IllegalStateException(type.rfcName() + " has no Service Code");
        }
        return (int) Bytes.u32(buffer, offset + headerLength - 4);
    }

    /**
     * The Reset Code (0-255) of a Reset; see {@link ResetCode#forReceived(int)}.
     *
     * @throws IllegalStateException for other types
     */
    public int resetCode() {
        return resetByte(0);
    }

    /** Data 1 of a Reset. */
    public int resetData1() {
        return resetByte(1);
    }

    /** Data 2 of a Reset. */
    public int resetData2() {
        return resetByte(2);
    }

    /** Data 3 of a Reset. */
    public int resetData3() {
        return resetByte(3);
    }

    private int resetByte(int index) {
        requireOk();
        if (type != DccpPacketType.RESET) {
            throw new IllegalStateException(type.rfcName() + " has no Reset Code");
        }
        return Bytes.u8(buffer, offset + headerLength - 4 + index);
    }

    /** Length of the fixed header of this type (generic header, subheader, type fields). */
    public int headerLength() {
        requireOk();
        return headerLength;
    }

    /** Absolute index of the first option byte (the end of the fixed header). */
    public int optionsOffset() {
        requireOk();
        return offset + headerLength;
    }

    /** Length of the options area in bytes (from {@link #optionsOffset()} to {@link #dataOffset()}). */
    public int optionsLength() {
        requireOk();
        return dataOffsetBytes - headerLength;
    }

    /** Absolute index of the application data area (the Data Offset). */
    public int dataOffset() {
        requireOk();
        return offset + dataOffsetBytes;
    }

    /** Length of the application data area in bytes (may be 0). */
    public int dataLength() {
        requireOk();
        return length - dataOffsetBytes;
    }
}
