package io.qsockets.impl.dccp.wire;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Appends DCCP options (RFC 4340 §5.8) to a buffer without allocating, and pads them to a
 * multiple of 4 bytes with Padding ({@link #padToWord()}). Obtained from
 * {@link DccpHeaderWriter#options()}, or wrapped over any region.
 *
 * <p>Every encoder checks the RFC's rules and throws for programmer errors, naming the value and
 * what is allowed: {@link IllegalArgumentException} for a value out of range or an option the
 * packet type must not carry ({@link OptionType#isAllowedOn}), {@link IllegalStateException} when
 * the options area is full or the call sequence is wrong (Mandatory not followed by an option, a
 * vector left open).
 */
public final class OptionsWriter {

    private static final int MAX_BODY = OptionType.MAX_BODY_LENGTH;

    private final CRC32C crc = new CRC32C();

    private ByteBuffer buffer;
    private int start;
    private int limit;
    private int position;
    private DccpPacketType packetType;
    private boolean pendingMandatory;
    private int vectorType = -1;
    private int vectorStart;

    /**
     * Points the writer at [{@code offset}, {@code offset + capacity}) of {@code buffer}.
     *
     * @param packetType the type of the packet the options go on, checked against
     *     {@link OptionType#isAllowedOn}; {@code null} to skip that check
     * @throws IllegalArgumentException if the range is not inside the buffer's capacity
     */
    public OptionsWriter wrap(ByteBuffer buffer, int offset, int capacity, DccpPacketType packetType) {
        Checks.writableRange(buffer, offset, capacity);
        this.buffer = buffer;
        this.start = offset;
        this.limit = offset + capacity;
        this.position = offset;
        this.packetType = packetType;
        this.pendingMandatory = false;
        this.vectorType = -1;
        return this;
    }

    /** Absolute index of the first option byte. */
    public int start() {
        return start;
    }

    /** Absolute index where the next option goes. */
    public int position() {
        return position;
    }

    /** Bytes of options written so far. */
    public int length() {
        return position - start;
    }

    /**
     * Pads with Padding options to a multiple of 4 bytes from {@link #start()} (§5.8).
     *
     * @return the padded options length
     * @throws IllegalStateException if a Mandatory awaits its option or a vector is open
     */
    public int padToWord() {
        requireWritable();
        if (pendingMandatory) {
            throw new IllegalStateException("Mandatory must be followed by the option it marks");
        }
        int pad = (4 - (length() & 3)) & 3;
        ensure(pad);
        for (int i = 0; i < pad; i++) {
            buffer.put(position++, (byte) OptionType.PADDING);
        }
        return length();
    }

    /** Appends Padding (0). */
    public OptionsWriter padding() {
        return single(OptionType.PADDING);
    }

    /**
     * Appends Mandatory (1), marking the next option mandatory (§5.8.2).
     *
     * @throws IllegalArgumentException on DCCP-Data packets, which must not carry it
     * @throws IllegalStateException right after another Mandatory
     */
    public OptionsWriter mandatory() {
        allowed(OptionType.MANDATORY);
        if (pendingMandatory) {
            throw new IllegalStateException("Mandatory must not follow Mandatory (RFC 4340 §5.8.2)");
        }
        single(OptionType.MANDATORY);
        pendingMandatory = true;
        return this;
    }

    /** Appends Slow Receiver (2, §11.6). */
    public OptionsWriter slowReceiver() {
        return single(OptionType.SLOW_RECEIVER);
    }

    private OptionsWriter single(int type) {
        allowed(type);
        ensure(1);
        buffer.put(position++, (byte) type);
        pendingMandatory = false;
        return this;
    }

    /**
     * Appends Change L with one value: the value of a non-negotiable feature, or a one-entry
     * preference list of a server-priority feature (§6.1).
     */
    public OptionsWriter changeL(FeatureNumber feature, long value) {
        return featureValue(OptionType.CHANGE_L, feature, value);
    }

    /** Appends Change L of a server-priority feature with a preference list, most preferred first. */
    public OptionsWriter changeL(FeatureNumber feature, byte[] preferences) {
        return featureList(OptionType.CHANGE_L, feature, -1, preferences);
    }

    /**
     * Appends Change R with one value of a server-priority feature.
     *
     * @throws IllegalArgumentException for non-negotiable features, which never use Change R (§6.3.2)
     */
    public OptionsWriter changeR(FeatureNumber feature, long value) {
        return featureValue(OptionType.CHANGE_R, feature, value);
    }

    /** Appends Change R of a server-priority feature with a preference list, most preferred first. */
    public OptionsWriter changeR(FeatureNumber feature, byte[] preferences) {
        return featureList(OptionType.CHANGE_R, feature, -1, preferences);
    }

    /**
     * Appends Confirm L of a server-priority feature: the selected value, then the confirmer's
     * preference list (§6.2, §6.3.1). Non-negotiable features never use Confirm L.
     */
    public OptionsWriter confirmL(FeatureNumber feature, int value, byte[] preferences) {
        return featureList(OptionType.CONFIRM_L, feature, value, preferences);
    }

    /** Appends Confirm R of a non-negotiable feature with its one value (§6.3.2). */
    public OptionsWriter confirmR(FeatureNumber feature, long value) {
        if (feature.isServerPriority()) {
            throw new IllegalArgumentException("Confirm R of server-priority feature " + feature
                    + " carries the selected value and a preference list: use confirmR(feature, value, preferences)");
        }
        return featureValue(OptionType.CONFIRM_R, feature, value);
    }

    /** Appends Confirm R of a server-priority feature: the selected value, then the preference list. */
    public OptionsWriter confirmR(FeatureNumber feature, int value, byte[] preferences) {
        return featureList(OptionType.CONFIRM_R, feature, value, preferences);
    }

    /** Appends an empty Confirm L (length 3): feature unknown or value invalid (§6.2, §6.6.7). */
    public OptionsWriter emptyConfirmL(int featureNumber) {
        return featureOption(OptionType.CONFIRM_L, featureNumber, null, 0, 0);
    }

    /** Appends an empty Confirm R (length 3). */
    public OptionsWriter emptyConfirmR(int featureNumber) {
        return featureOption(OptionType.CONFIRM_R, featureNumber, null, 0, 0);
    }

    /**
     * Appends a feature negotiation option with raw values, for features this codec does not
     * model (CCID-specific 128-255 and future ones).
     *
     * @param optionType Change L/R or Confirm L/R (32-35)
     * @param values the value bytes; may be {@code null} when {@code length} is 0 (empty Confirm)
     */
    public OptionsWriter featureOption(int optionType, int featureNumber, byte[] values, int offset, int length) {
        if (!OptionType.isFeatureNegotiation(optionType)) {
            throw new IllegalArgumentException("feature option type must be 32-35 (Change/Confirm L/R), was " + optionType);
        }
        Checks.range("featureNumber", featureNumber, 0, 255);
        if (OptionType.isChange(optionType) && length < 1) {
            throw new IllegalArgumentException(OptionType.name(optionType) + " needs at least one value (RFC 4340 §6.1)");
        }
        Checks.range("values length", length, 0, MAX_BODY - 1);
        int p = begin(optionType, 1 + length);
        buffer.put(p, (byte) featureNumber);
        if (length > 0) {
            Objects.checkFromIndexSize(offset, length, values.length);
            buffer.put(p + 1, values, offset, length);
        }
        return this;
    }

    private OptionsWriter featureValue(int optionType, FeatureNumber feature, long value) {
        Objects.requireNonNull(feature, "feature");
        checkRule(optionType, feature);
        if (!feature.isValidValue(value)) {
            throw new IllegalArgumentException(feature + " value must be " + validValues(feature) + ", was " + value);
        }
        int size = feature.valueLength();
        int p = begin(optionType, 1 + size);
        buffer.put(p, (byte) feature.number());
        Bytes.putN(buffer, p + 1, value, size);
        return this;
    }

    private OptionsWriter featureList(int optionType, FeatureNumber feature, int selected, byte[] preferences) {
        Objects.requireNonNull(feature, "feature");
        Objects.requireNonNull(preferences, "preferences");
        if (!feature.isServerPriority()) {
            throw new IllegalArgumentException(OptionType.name(optionType) + " with a preference list is for "
                    + "server-priority features; " + feature + " is non-negotiable");
        }
        checkRule(optionType, feature);
        boolean confirm = selected >= 0 || !OptionType.isChange(optionType);
        if (confirm) {
            Checks.range(feature, "selected value", selected, 0, 255);
        } else if (preferences.length == 0) {
            throw new IllegalArgumentException(OptionType.name(optionType) + " needs at least one value (RFC 4340 §6.1)");
        }
        int values = preferences.length + (confirm ? 1 : 0);
        Checks.range("number of values", values, 0, MAX_BODY - 1);
        int p = begin(optionType, 1 + values);
        buffer.put(p++, (byte) feature.number());
        if (confirm) {
            buffer.put(p++, (byte) selected);
        }
        buffer.put(p, preferences, 0, preferences.length);
        return this;
    }

    private static void checkRule(int optionType, FeatureNumber feature) {
        if (!feature.isServerPriority() && (optionType == OptionType.CHANGE_R || optionType == OptionType.CONFIRM_L)) {
            throw new IllegalArgumentException(OptionType.name(optionType) + " must not be sent for non-negotiable feature "
                    + feature + " (RFC 4340 §6.3.2): use Change L / Confirm R");
        }
    }

    private static String validValues(FeatureNumber feature) {
        switch (feature) {
            case SEQUENCE_WINDOW:
                return "in [" + FeatureNumber.SEQUENCE_WINDOW_MIN + ", 2^46 - 1]";
            case ACK_RATIO:
                return "in [1, 65535]";
            default:
                return "in [0, 255]";
        }
    }

    /** Appends Init Cookie (§8.1.4) with 0 to 253 bytes; not on DCCP-Request or DCCP-Data. */
    public OptionsWriter initCookie(byte[] cookie, int offset, int length) {
        return option(OptionType.INIT_COOKIE, cookie, offset, length);
    }

    /** Appends NDP Count (§7.7) in the fewest bytes (1-6) that hold {@code count}. */
    public OptionsWriter ndpCount(long count) {
        if (!SequenceNumbers.isValid(count)) {
            throw new IllegalArgumentException("NDP Count must be in [0, 2^48 - 1], was " + count);
        }
        int size = Bytes.minimalLength(count);
        int p = begin(OptionType.NDP_COUNT, size);
        Bytes.putN(buffer, p, count, size);
        return this;
    }

    /** Appends Timestamp (§13.1), a 32-bit value in 10 µs units. */
    public OptionsWriter timestamp(long value) {
        Checks.range("Timestamp", value, 0, 0xFFFF_FFFFL);
        Bytes.put32(buffer, begin(OptionType.TIMESTAMP, 4), value);
        return this;
    }

    /** Appends Timestamp Echo without Elapsed Time (length 6, §13.3). */
    public OptionsWriter timestampEcho(long echo) {
        return timestampEcho(echo, 0);
    }

    /**
     * Appends Timestamp Echo with the smallest form that holds {@code elapsed} (hundredths of a
     * millisecond): none when 0, 2 bytes up to 65535, else 4 bytes, values above 2^32 - 1 sent as
     * 2^32 - 1 ("more than 11.9 hours", §13.2).
     */
    public OptionsWriter timestampEcho(long echo, long elapsed) {
        Checks.range("Timestamp Echo", echo, 0, 0xFFFF_FFFFL);
        Checks.range("Elapsed Time", elapsed, 0, Long.MAX_VALUE);
        int elapsedSize = elapsed == 0 ? 0 : elapsed <= 0xFFFF ? 2 : 4;
        int p = begin(OptionType.TIMESTAMP_ECHO, 4 + elapsedSize);
        Bytes.put32(buffer, p, echo);
        Bytes.putN(buffer, p + 4, Math.min(elapsed, 0xFFFF_FFFFL), elapsedSize);
        return this;
    }

    /**
     * Appends Elapsed Time (§13.2) in hundredths of a millisecond: 2 bytes up to 65535, else 4
     * bytes, values above 2^32 - 1 sent as 2^32 - 1. Only on packets with an Acknowledgement Number.
     */
    public OptionsWriter elapsedTime(long hundredthsOfMillis) {
        Checks.range("Elapsed Time", hundredthsOfMillis, 0, Long.MAX_VALUE);
        int size = hundredthsOfMillis <= 0xFFFF ? 2 : 4;
        Bytes.putN(buffer, begin(OptionType.ELAPSED_TIME, size), Math.min(hundredthsOfMillis, 0xFFFF_FFFFL), size);
        return this;
    }

    /** Appends Data Checksum (§9.3) carrying {@code crc32c}. */
    public OptionsWriter dataChecksum(long crc32c) {
        Checks.range("Data Checksum", crc32c, 0, 0xFFFF_FFFFL);
        Bytes.put32(buffer, begin(OptionType.DATA_CHECKSUM, 4), crc32c);
        return this;
    }

    /**
     * Appends Data Checksum with the CRC-32c of the application data in [{@code offset},
     * {@code offset + length}) of {@code data}; the buffer's position and limit are unchanged.
     */
    public OptionsWriter dataChecksum(ByteBuffer data, int offset, int length) {
        Objects.requireNonNull(data, "data");
        Objects.checkFromIndexSize(offset, length, data.capacity());
        return dataChecksum(Crc32c.compute(crc, data, offset, length));
    }

    /**
     * Appends Ack Vector cells (§11.4), splitting them over as many options of at most 253 cells
     * as needed (each continues the previous one).
     *
     * @param nonce 0 (type 38) or 1 (type 39)
     */
    public OptionsWriter ackVector(int nonce, byte[] cells, int offset, int length) {
        return vectorBytes(ackVectorType(nonce), cells, offset, length);
    }

    /** Appends Data Dropped blocks (§11.7), splitting them over options of at most 253 blocks. */
    public OptionsWriter dataDropped(byte[] blocks, int offset, int length) {
        return vectorBytes(OptionType.DATA_DROPPED, blocks, offset, length);
    }

    private OptionsWriter vectorBytes(int type, byte[] cells, int offset, int length) {
        Objects.requireNonNull(cells, "cells");
        Objects.checkFromIndexSize(offset, length, cells.length);
        if (length < 1) {
            throw new IllegalArgumentException(OptionType.name(type) + " needs at least one cell");
        }
        for (int done = 0; done < length; done += MAX_BODY) {
            int n = Math.min(MAX_BODY, length - done);
            buffer.put(begin(type, n), cells, offset + done, n);
        }
        return this;
    }

    /** Opens an Ack Vector to fill with {@link #ackVectorRun}; close it with {@link #endVector()}. */
    public OptionsWriter beginAckVector(int nonce) {
        return beginVector(ackVectorType(nonce));
    }

    /**
     * Appends a run of {@code packets} packets in {@code state}, walking back from the previous
     * run (the first run starts at the Acknowledgement Number), in cells of at most 64 packets.
     */
    public OptionsWriter ackVectorRun(AckVectorState state, long packets) {
        Objects.requireNonNull(state, "state");
        requireVector(OptionType.ACK_VECTOR_0, OptionType.ACK_VECTOR_1);
        return runs(state.code() << 6, 64, packets);
    }

    /** Opens a Data Dropped option to fill with blocks; close it with {@link #endVector()}. */
    public OptionsWriter beginDataDropped() {
        return beginVector(OptionType.DATA_DROPPED);
    }

    /** Appends Normal Blocks covering {@code packets} packets (at most 128 per block). */
    public OptionsWriter normalBlocks(long packets) {
        requireVector(OptionType.DATA_DROPPED, OptionType.DATA_DROPPED);
        return runs(0, 128, packets);
    }

    /** Appends Drop Blocks with {@code code} covering {@code packets} packets (at most 16 per block). */
    public OptionsWriter dropBlocks(DropCode code, long packets) {
        Objects.requireNonNull(code, "code");
        requireVector(OptionType.DATA_DROPPED, OptionType.DATA_DROPPED);
        return runs(0x80 | code.code() << 4, 16, packets);
    }

    /**
     * Closes the open Ack Vector or Data Dropped option.
     *
     * @throws IllegalStateException if none is open or it has no cell
     */
    public OptionsWriter endVector() {
        if (vectorType < 0) {
            throw new IllegalStateException("no Ack Vector or Data Dropped option is open");
        }
        int len = position - vectorStart;
        if (len < 3) {
            throw new IllegalStateException(OptionType.name(vectorType) + " needs at least one cell");
        }
        buffer.put(vectorStart + 1, (byte) len);
        vectorType = -1;
        return this;
    }

    private OptionsWriter beginVector(int type) {
        begin(type, 0);
        vectorType = type;
        vectorStart = position - 2;
        return this;
    }

    private OptionsWriter runs(int head, int maxPerCell, long packets) {
        Checks.range("packets", packets, 1, Long.MAX_VALUE);
        while (packets > 0) {
            int n = (int) Math.min(packets, maxPerCell);
            if (position - vectorStart - 2 == MAX_BODY) {
                int type = vectorType;
                endVector();
                beginVector(type);
            }
            ensure(1);
            buffer.put(position++, (byte) (head | (n - 1)));
            packets -= n;
        }
        return this;
    }

    private void requireVector(int typeA, int typeB) {
        if (vectorType != typeA && vectorType != typeB) {
            throw new IllegalStateException("open the option first with "
                    + (typeA == OptionType.DATA_DROPPED ? "beginDataDropped()" : "beginAckVector(nonce)")
                    + (vectorType < 0 ? "" : "; " + OptionType.name(vectorType) + " is open"));
        }
    }

    private static int ackVectorType(int nonce) {
        if (nonce != 0 && nonce != 1) {
            throw new IllegalArgumentException("Ack Vector nonce must be 0 or 1, was " + nonce);
        }
        return OptionType.ACK_VECTOR_0 + nonce;
    }

    /**
     * Appends an option of any type: single-byte types (0-31) take no body; multi-byte types
     * (32-255, e.g. CCID-specific 128-255) a body of 0 to 253 bytes. The length is checked with
     * {@link OptionType#isValidLength}.
     */
    public OptionsWriter option(int type, byte[] body, int offset, int length) {
        Checks.range("option type", type, 0, 255);
        if (OptionType.isSingleByte(type)) {
            if (length != 0) {
                throw new IllegalArgumentException("single-byte option " + type + " takes no body, got " + length + " bytes");
            }
            return type == OptionType.MANDATORY ? mandatory() : single(type);
        }
        Checks.range(OptionType.name(type), "body length", length, 0, MAX_BODY);
        if (!OptionType.isValidLength(type, length + 2)) {
            throw new IllegalArgumentException(OptionType.name(type) + " (" + type + ") cannot have length "
                    + (length + 2) + " (RFC 4340 §5.8)");
        }
        if (length > 0) {
            Objects.requireNonNull(body, "body");
            Objects.checkFromIndexSize(offset, length, body.length);
        }
        int p = begin(type, length);
        if (length > 0) {
            buffer.put(p, body, offset, length);
        }
        return this;
    }

    /** Writes the type and length bytes of a multi-byte option and returns the body's index. */
    private int begin(int type, int bodyLength) {
        allowed(type);
        if (vectorType >= 0) {
            throw new IllegalStateException(OptionType.name(vectorType) + " is open: call endVector() first");
        }
        ensure(2 + bodyLength);
        buffer.put(position, (byte) type);
        buffer.put(position + 1, (byte) (2 + bodyLength));
        position += 2 + bodyLength;
        pendingMandatory = false;
        return position - bodyLength;
    }

    private void allowed(int type) {
        requireWritable();
        if (packetType != null && !OptionType.isAllowedOn(type, packetType)) {
            throw new IllegalArgumentException(OptionType.name(type) + " (" + type + ") must not be sent on "
                    + packetType.rfcName() + " (RFC 4340 §5.8, Table 3)");
        }
    }

    private void requireWritable() {
        if (buffer == null) {
            throw new IllegalStateException("wrap a buffer before writing options");
        }
    }

    private void ensure(int bytes) {
        if (bytes > limit - position) {
            throw new IllegalStateException("options need " + bytes + " more bytes but only " + (limit - position)
                    + " remain (options area [" + start + ", " + limit + "))");
        }
    }
}
