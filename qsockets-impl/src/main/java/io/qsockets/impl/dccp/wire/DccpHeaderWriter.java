package io.qsockets.impl.dccp.wire;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Write-side flyweight that encodes a DCCP packet header of any type in place, without allocating
 * (RFC 4340 §5). Reserved bits are written as zero and the Checksum field as zero, as DCCP over
 * UDP requires (RFC 6773 §3.3: the UDP checksum protects the packet).
 *
 * <pre>{@code
 * writer.wrap(buf, 0, buf.capacity())
 *       .begin(DccpPacketType.DATA_ACK, false)          // long (48-bit) sequence numbers
 *       .ports(5001, 6001).sequenceNumber(gss).ackNumber(gsr);
 * writer.options().ndpCount(1).timestamp(now10us);
 * int length = writer.finish(payloadLength);            // pads options, sets Data Offset
 * buf.put(writer.dataOffset(), payload, 0, payloadLength);
 * }</pre>
 *
 * <p>Programmer errors throw with a message naming the value and what is allowed:
 * {@link IllegalArgumentException} for an out-of-range value or a field/form the type does not
 * have (short sequence numbers on a type that requires X=1, §5.1), {@link IllegalStateException}
 * for calls out of order, a required field never set, or a buffer too small.
 */
public final class DccpHeaderWriter {

    private static final int PORTS = 1;
    private static final int SEQNO = 2;
    private static final int ACKNO = 4;
    private static final int SERVICE = 8;
    private static final int RESET = 16;
    /** Largest header (Data Offset is 8 bits of 32-bit words). */
    private static final int MAX_HEADER = 255 * 4;

    private final OptionsWriter options = new OptionsWriter();

    private ByteBuffer buffer;
    private int offset;
    private int capacity;
    private DccpPacketType type;
    private boolean extended;
    private int headerLength;
    private int missing;
    private int dataOffset = -1;

    /**
     * Points the writer at [{@code offset}, {@code offset + capacity}) of {@code buffer}.
     *
     * @throws IllegalArgumentException if the range is not inside the buffer's capacity or the
     *     buffer is read-only
     */
    public DccpHeaderWriter wrap(ByteBuffer buffer, int offset, int capacity) {
        Checks.writableRange(buffer, offset, capacity);
        this.buffer = buffer;
        this.offset = offset;
        this.capacity = capacity;
        this.type = null;
        return this;
    }

    /** Starts a packet of {@code type} with 48-bit sequence numbers (X=1). */
    public DccpHeaderWriter begin(DccpPacketType type) {
        return begin(type, false);
    }

    /**
     * Starts a packet: zeroes the fixed header of {@code type}, writes Type and X, and positions
     * {@link #options()} right after it.
     *
     * @param shortSeqnos true for 24-bit sequence numbers (X=0), allowed only for Data, Ack and
     *     DataAck (§5.1) and only when the Allow Short Seqnos feature permits it (§7.6.1)
     */
    public DccpHeaderWriter begin(DccpPacketType type, boolean shortSeqnos) {
        Objects.requireNonNull(type, "type");
        if (buffer == null) {
            throw new IllegalStateException("wrap a buffer before begin()");
        }
        if (shortSeqnos && !type.allowsShortSeqnos()) {
            throw new IllegalArgumentException(type.rfcName() + " must use 48-bit sequence numbers (X=1, "
                    + "RFC 4340 §5.1); only DCCP-Data, DCCP-Ack and DCCP-DataAck may use short ones");
        }
        int fixed = type.headerLength(!shortSeqnos);
        if (fixed > capacity) {
            throw new IllegalStateException(type.rfcName() + " needs a " + fixed + "-byte header but the buffer range has "
                    + capacity + " bytes");
        }
        for (int i = 0; i < fixed; i++) {
            buffer.put(offset + i, (byte) 0);
        }
        this.type = type;
        this.extended = !shortSeqnos;
        this.headerLength = fixed;
        this.dataOffset = -1;
        Bytes.put8(buffer, offset + 4, fixed / 4);
        Bytes.put8(buffer, offset + 8, type.code() << 1 | (extended ? 1 : 0));
        missing = PORTS | SEQNO | (type.hasAckNumber() ? ACKNO : 0) | (type.hasServiceCode() ? SERVICE : 0)
                | (type == DccpPacketType.RESET ? RESET : 0);
        options.wrap(buffer, offset + fixed, Math.min(capacity, MAX_HEADER) - fixed, type);
        return this;
    }

    /** Sets Source Port and Destination Port (0-65535). */
    public DccpHeaderWriter ports(int source, int destination) {
        requireBegun();
        Checks.range("source port", source, 0, 0xFFFF);
        Checks.range("destination port", destination, 0, 0xFFFF);
        Bytes.put16(buffer, offset, source);
        Bytes.put16(buffer, offset + 2, destination);
        missing &= ~PORTS;
        return this;
    }

    /** Sets CCVal (0-15), for the HC-Sender CCID; 0 unless the CCID says otherwise. */
    public DccpHeaderWriter ccVal(int ccVal) {
        requireBegun();
        Checks.range("CCVal", ccVal, 0, 15);
        int b = Bytes.u8(buffer, offset + 5);
        Bytes.put8(buffer, offset + 5, ccVal << 4 | (b & 0x0F));
        return this;
    }

    /** Sets Checksum Coverage (0-15, §9.2); {@link #finish} checks it against the data length. */
    public DccpHeaderWriter checksumCoverage(int csCov) {
        requireBegun();
        Checks.range("CsCov", csCov, 0, 15);
        int b = Bytes.u8(buffer, offset + 5);
        Bytes.put8(buffer, offset + 5, (b & 0xF0) | csCov);
        return this;
    }

    /** Sets the Sequence Number (48 bits; only its low 24 bits are sent with short sequence numbers). */
    public DccpHeaderWriter sequenceNumber(long seqno) {
        requireBegun();
        SequenceNumbers.requireValid(seqno, "sequence number");
        if (extended) {
            Bytes.put48(buffer, offset + 10, seqno);
        } else {
            Bytes.put24(buffer, offset + 9, seqno);
        }
        missing &= ~SEQNO;
        return this;
    }

    /**
     * Sets the Acknowledgement Number (48 bits; low 24 bits with short sequence numbers).
     *
     * @throws IllegalStateException for Request and Data, which have no acknowledgement subheader
     */
    public DccpHeaderWriter ackNumber(long ackno) {
        requireBegun();
        if (!type.hasAckNumber()) {
            throw new IllegalStateException(type.rfcName() + " has no Acknowledgement Number (RFC 4340 §5.1)");
        }
        SequenceNumbers.requireValid(ackno, "acknowledgement number");
        if (extended) {
            Bytes.put48(buffer, offset + DccpPacketType.LONG_GENERIC_HEADER + 2, ackno);
        } else {
            Bytes.put24(buffer, offset + DccpPacketType.SHORT_GENERIC_HEADER + 1, ackno);
        }
        missing &= ~ACKNO;
        return this;
    }

    /**
     * Sets the 32-bit Service Code (any bit pattern).
     *
     * @throws IllegalStateException for types other than Request and Response
     */
    public DccpHeaderWriter serviceCode(int serviceCode) {
        requireBegun();
        if (!type.hasServiceCode()) {
            throw new IllegalStateException(type.rfcName() + " has no Service Code (RFC 4340 §5.2, §5.3)");
        }
        Bytes.put32(buffer, offset + headerLength - 4, serviceCode & 0xFFFF_FFFFL);
        missing &= ~SERVICE;
        return this;
    }

    /** Sets the Reset Code and Data 1-3 of a Reset (§5.6). */
    public DccpHeaderWriter reset(ResetCode code, int data1, int data2, int data3) {
        Objects.requireNonNull(code, "code");
        return reset(code.code(), data1, data2, data3);
    }

    /**
     * Sets a Reset Code (0-255, including reserved and CCID-specific codes) and Data 1-3 (0-255).
     *
     * @throws IllegalStateException for types other than Reset
     */
    public DccpHeaderWriter reset(int code, int data1, int data2, int data3) {
        requireBegun();
        if (type != DccpPacketType.RESET) {
            throw new IllegalStateException(type.rfcName() + " has no Reset Code (RFC 4340 §5.6)");
        }
        Checks.range("Reset Code", code, 0, 255);
        Checks.range("Data 1", data1, 0, 255);
        Checks.range("Data 2", data2, 0, 255);
        Checks.range("Data 3", data3, 0, 255);
        int p = offset + headerLength - 4;
        Bytes.put8(buffer, p, code);
        Bytes.put8(buffer, p + 1, data1);
        Bytes.put8(buffer, p + 2, data2);
        Bytes.put8(buffer, p + 3, data3);
        missing &= ~RESET;
        return this;
    }

    /**
     * The writer for this packet's options, positioned after the fixed header and bound to its
     * type; the same instance for every packet.
     */
    public OptionsWriter options() {
        requireBegun();
        return options;
    }

    /** Absolute index of the first option byte (the end of the fixed header). */
    public int optionsOffset() {
        requireBegun();
        return offset + headerLength;
    }

    /**
     * Completes the header: pads the options to a word, writes Data Offset, and checks that every
     * field the type requires was set, that CsCov fits {@code dataLength} (§9.2) and that the
     * data fits the buffer range. Call it after every field and option; the application data is
     * then written at {@link #dataOffset()}.
     *
     * @return the packet's total length: header, options and {@code dataLength}
     */
    public int finish(int dataLength) {
        requireBegun();
        if (missing != 0) {
            throw new IllegalStateException(type.rfcName() + " is missing " + missingFields());
        }
        Checks.range("data length", dataLength, 0, Integer.MAX_VALUE);
        int header = headerLength + options.padToWord();
        int csCov = Bytes.u8(buffer, offset + 5) & 0x0F;
        if (csCov > 0 && (csCov - 1) * 4 > dataLength) {
            throw new IllegalArgumentException("CsCov " + csCov + " covers " + (csCov - 1) * 4
                    + " data bytes but the packet has " + dataLength + " (RFC 4340 §9.2)");
        }
        if (dataLength > capacity - header) {
            throw new IllegalStateException(dataLength + " data bytes do not fit after the " + header
                    + "-byte header: the buffer range has " + capacity + " bytes");
        }
        Bytes.put8(buffer, offset + 4, header / 4);
        dataOffset = offset + header;
        return header + dataLength;
    }

    /**
     * Absolute index where the application data goes.
     *
     * @throws IllegalStateException before {@link #finish}
     */
    public int dataOffset() {
        if (dataOffset < 0) {
            throw new IllegalStateException("finish() the header before asking for its data offset");
        }
        return dataOffset;
    }

    private String missingFields() {
        StringBuilder b = new StringBuilder();
        append(b, PORTS, "ports");
        append(b, SEQNO, "sequenceNumber");
        append(b, ACKNO, "ackNumber");
        append(b, SERVICE, "serviceCode");
        append(b, RESET, "reset code");
        return b.toString();
    }

    private void append(StringBuilder b, int bit, String name) {
        if ((missing & bit) != 0) {
            b.append(b.length() == 0 ? "" : ", ").append(name);
        }
    }

    private void requireBegun() {
        if (type == null) {
            throw new IllegalStateException("call begin(type) first");
        }
    }
}
