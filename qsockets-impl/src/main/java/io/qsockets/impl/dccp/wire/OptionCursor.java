package io.qsockets.impl.dccp.wire;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Allocation-free iterator over the options of a DCCP header, from the end of the fixed header to
 * the Data Offset (RFC 4340 §5.8). It never reads outside that range and never throws on
 * malformed input.
 *
 * <p>Mandatory (§5.8.2) is folded into the option it precedes: the cursor does not return it as
 * an option but sets {@link #isMandatory()} on the next one. "Mandatory Padding" is valid and
 * behaves like two bytes of Padding (it is returned as a Padding with {@code isMandatory()}), as
 * §5.8.2 says. Mandatory as the last byte, or followed by Mandatory, ends the iteration with
 * {@link OptionStatus#MANDATORY_AT_END} / {@link OptionStatus#MANDATORY_REPEATED}. On a DCCP-Data
 * packet Mandatory options must be ignored (§5.8.2): they are returned as plain type-1 options and
 * never mark the next one.
 *
 * <p>Typed accessors ({@link #ndpCount()}, {@link #timestamp()}, ...) return {@code -1} when the
 * current option is not of their type or does not have a valid length ({@link #hasValidLength()}),
 * so a malformed option can never make the caller throw.
 *
 * <p>Typical use on the engine thread:
 * <pre>{@code
 * for (OptionStatus s = cursor.reset(header).next(); s == OptionStatus.OPTION; s = cursor.next()) {
 *     if (!cursor.hasValidLength()) { ... ignore it, or reset if cursor.isMandatory() ... }
 *     switch (cursor.type()) { case OptionType.TIMESTAMP: long ts = cursor.timestamp(); ... }
 * }
 * }</pre>
 */
public final class OptionCursor {

    private final CRC32C crc = new CRC32C();

    private ByteBuffer buffer;
    private int position;
    private int end;
    private boolean honourMandatory;
    private boolean finished;
    private int dataOffset;
    private int dataLength;

    private int type;
    private boolean mandatory;
    private int optionOffset;
    private int optionLength;

    /**
     * Iterates the options of a validated header; Mandatory is ignored if it is a DCCP-Data packet.
     *
     * @throws IllegalStateException if the header did not validate OK
     */
    public OptionCursor reset(DccpHeader header) {
        return reset(header.buffer(), header.optionsOffset(), header.dataOffset(),
                header.type() != DccpPacketType.DATA, header.dataOffset(), header.dataLength());
    }

    /**
     * Iterates the options in [{@code start}, {@code end}) of {@code buffer}, with no application
     * data ({@link #dataChecksumMatches()} then checks an empty area).
     *
     * @param honourMandatory false to treat Mandatory as a plain option (as on DCCP-Data packets)
     * @throws IllegalArgumentException if the range is not inside the buffer's limit
     */
    public OptionCursor reset(ByteBuffer buffer, int start, int end, boolean honourMandatory) {
        return reset(buffer, start, end, honourMandatory, end, 0);
    }

    private OptionCursor reset(ByteBuffer buffer, int start, int end, boolean honourMandatory,
            int dataOffset, int dataLength) {
        Checks.readableRange(buffer, start, end - start);
        this.buffer = buffer;
        this.position = start;
        this.end = end;
        this.honourMandatory = honourMandatory;
        this.finished = false;
        this.dataOffset = dataOffset;
        this.dataLength = dataLength;
        this.type = -1;
        this.mandatory = false;
        this.optionOffset = start;
        this.optionLength = 0;
        return this;
    }

    /** Advances to the next option and says what was found; after anything but OPTION, returns END. */
    public OptionStatus next() {
        if (buffer == null) {
            throw new IllegalStateException("reset the cursor before next()");
        }
        mandatory = false;
        type = -1;
        optionLength = 0;
        if (finished) {
            optionOffset = end;
            return OptionStatus.END;
        }
        while (true) {
            if (position >= end) {
                if (mandatory) {
                    type = OptionType.MANDATORY;
                    return finish(OptionStatus.MANDATORY_AT_END);
                }
                optionOffset = end;
                return finish(OptionStatus.END);
            }
            optionOffset = position;
            int t = Bytes.u8(buffer, position);
            if (t == OptionType.MANDATORY && honourMandatory) {
                type = OptionType.MANDATORY;
                if (mandatory) {
                    return finish(OptionStatus.MANDATORY_REPEATED);
                }
                mandatory = true;
                position++;
                continue;
            }
            type = t;
            if (OptionType.isSingleByte(t)) {
                optionLength = 1;
                position++;
                return OptionStatus.OPTION;
            }
            int len = position + 1 < end ? Bytes.u8(buffer, position + 1) : 0;
            if (len < 2 || len > end - position) {
                return finish(OptionStatus.BAD_LENGTH);
            }
            optionLength = len;
            position += len;
            return OptionStatus.OPTION;
        }
    }

    private OptionStatus finish(OptionStatus status) {
        finished = true;
        position = end;
        return status;
    }

    /** The current option's type (0-255), or -1 before the first option and at the end. */
    public int type() {
        return type;
    }

    /** True if the current option was preceded by Mandatory (§5.8.2). */
    public boolean isMandatory() {
        return mandatory;
    }

    /** True if RFC 4340 defines the current option's type. */
    public boolean isKnown() {
        return OptionType.isKnown(type);
    }

    /** True if the current option's length is valid for its type ({@link OptionType#isValidLength}). */
    public boolean hasValidLength() {
        return type >= 0 && optionLength > 0 && OptionType.isValidLength(type, optionLength);
    }

    /** Absolute index of the current option's type byte (after any Mandatory). */
    public int optionOffset() {
        return optionOffset;
    }

    /** Length of the current option: 1 for single-byte options, else its length byte. */
    public int optionLength() {
        return optionLength;
    }

    /** Absolute index of the current option's data (after the type and length bytes). */
    public int bodyOffset() {
        return OptionType.isSingleByte(type) ? optionOffset + 1 : optionOffset + 2;
    }

    /** Length of the current option's data: 0 for single-byte options, else length - 2. */
    public int bodyLength() {
        return OptionType.isSingleByte(type) || optionLength < 2 ? 0 : optionLength - 2;
    }

    /** The iterated buffer. */
    public ByteBuffer buffer() {
        return buffer;
    }

    private boolean is(int expected) {
        return type == expected && hasValidLength();
    }

    private boolean isFeatureOption() {
        return OptionType.isFeatureNegotiation(type) && hasValidLength();
    }

    /** The feature number of a Change/Confirm option, or -1. */
    public int featureNumber() {
        return isFeatureOption() ? Bytes.u8(buffer, optionOffset + 2) : -1;
    }

    /** Absolute index of the value area of a Change/Confirm option (after the feature number). */
    public int featureValuesOffset() {
        return optionOffset + 3;
    }

    /** Length of the value area of a Change/Confirm option, or -1. */
    public int featureValuesLength() {
        return isFeatureOption() ? optionLength - 3 : -1;
    }

    /** True for a Confirm L/R with no value (length 3): feature not understood or value invalid (§6.2). */
    public boolean isEmptyConfirm() {
        return (type == OptionType.CONFIRM_L || type == OptionType.CONFIRM_R) && optionLength == 3;
    }

    /**
     * The number of values in a Change/Confirm option: the value area divided by the feature's
     * value length (1 byte for features this codec does not know); -1 if the option is not a
     * feature option or the area is not a whole number of values.
     */
    public int featureValueCount() {
        int len = featureValuesLength();
        if (len < 0) {
            return -1;
        }
        int size = valueSize();
        return len % size == 0 ? len / size : -1;
    }

    /**
     * Value {@code index} of a Change/Confirm option (for a Confirm, index 0 is the confirmed value
     * and the rest the preference list), read with the feature's value length; -1 if absent.
     */
    public long featureValue(int index) {
        int count = featureValueCount();
        if (index < 0 || index >= count) {
            return -1;
        }
        int size = valueSize();
        return Bytes.uN(buffer, featureValuesOffset() + index * size, size);
    }

    private int valueSize() {
        FeatureNumber f = FeatureNumber.fromNumber(Bytes.u8(buffer, optionOffset + 2));
        return f == null ? 1 : f.valueLength();
    }

    /**
     * Whether the current Change/Confirm option is valid for a feature this codec knows (§6.6.8):
     * the option may be sent for the feature's rule (no Change R / Confirm L for non-negotiable
     * features), the value area is a whole number of values, non-negotiable options hold exactly
     * one value in range (Confirm may be empty), server-priority Change holds at least one value.
     * False for unknown features, which the caller handles as §6.6.7 says.
     */
    public boolean isValidFeatureOption() {
        int count = featureValueCount();
        if (count < 0) {
            return false;
        }
        FeatureNumber f = FeatureNumber.fromNumber(featureNumber());
        if (f == null) {
            return false;
        }
        boolean change = OptionType.isChange(type);
        if (f.isServerPriority()) {
            return !change || count >= 1;
        }
        if (type == OptionType.CHANGE_R || type == OptionType.CONFIRM_L) {
            return false;
        }
        if (count == 0) {
            return !change;
        }
        return count == 1 && f.isValidValue(featureValue(0));
    }

    /** The Init Cookie's data length (0-253), or -1; its bytes start at {@link #bodyOffset()}. */
    public int initCookieLength() {
        return is(OptionType.INIT_COOKIE) ? bodyLength() : -1;
    }

    /** The NDP Count value (1-6 bytes), or -1. */
    public long ndpCount() {
        return is(OptionType.NDP_COUNT) ? Bytes.uN(buffer, optionOffset + 2, bodyLength()) : -1;
    }

    /** The Timestamp Value (unsigned 32 bits, 10 µs units), or -1. */
    public long timestamp() {
        return is(OptionType.TIMESTAMP) ? Bytes.u32(buffer, optionOffset + 2) : -1;
    }

    /** The echoed Timestamp of a Timestamp Echo, or -1. */
    public long timestampEcho() {
        return is(OptionType.TIMESTAMP_ECHO) ? Bytes.u32(buffer, optionOffset + 2) : -1;
    }

    /**
     * The Elapsed Time of a Timestamp Echo in hundredths of milliseconds (0 when the option has
     * none, §13.3), or -1 if the current option is not a valid Timestamp Echo.
     */
    public long timestampEchoElapsed() {
        if (!is(OptionType.TIMESTAMP_ECHO)) {
            return -1;
        }
        return optionLength == 6 ? 0 : Bytes.uN(buffer, optionOffset + 6, optionLength - 6);
    }

    /** The Elapsed Time option's value in hundredths of milliseconds (2 or 4 bytes), or -1. */
    public long elapsedTime() {
        return is(OptionType.ELAPSED_TIME) ? Bytes.uN(buffer, optionOffset + 2, bodyLength()) : -1;
    }

    /** The CRC-32c carried by a Data Checksum option, or -1. */
    public long dataChecksum() {
        return is(OptionType.DATA_CHECKSUM) ? Bytes.u32(buffer, optionOffset + 2) : -1;
    }

    /**
     * Whether the current Data Checksum option matches the CRC-32c of the packet's application
     * data (§9.3); false if the option is not a valid Data Checksum.
     */
    public boolean dataChecksumMatches() {
        long carried = dataChecksum();
        return carried >= 0 && carried == Crc32c.compute(crc, buffer, dataOffset, dataLength);
    }
}
