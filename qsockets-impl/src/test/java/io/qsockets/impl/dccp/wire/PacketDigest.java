package io.qsockets.impl.dccp.wire;

import java.nio.ByteBuffer;

/**
 * Reads everything the read side offers about a packet (header fields, every option through every
 * typed accessor, Ack Vector and Data Dropped cells, the Data Checksum) and folds it into one
 * number, with positions relative to the packet's start. Allocation-free, so it also serves the
 * allocation test.
 */
public final class PacketDigest {

    private final DccpHeader header = new DccpHeader();
    private final OptionCursor options = new OptionCursor();
    private final AckVectorCursor vector = new AckVectorCursor();
    private final DataDroppedCursor dropped = new DataDroppedCursor();

    private long hash;
    /** Counts of each {@link ParseResult} seen. */
    final long[] results = new long[ParseResult.values().length];
    /** Counts of each {@link OptionStatus} seen. */
    final long[] statuses = new long[OptionStatus.values().length];
    /** Ack Vector and Data Dropped cells walked. */
    long cells;
    /** Data Checksum options that matched. */
    long checksumsMatched;

    public long digest(ByteBuffer buffer, int offset, int length) {
        hash = 17;
        ParseResult r = header.wrap(buffer, offset, length).validate();
        results[r.ordinal()]++;
        mix(r.ordinal());
        if (r != ParseResult.OK) {
            return hash;
        }
        DccpPacketType type = header.type();
        mix(type.code());
        mix(header.hasExtendedSeqnos() ? 1 : 0);
        mix(header.sourcePort());
        mix(header.destinationPort());
        mix(header.dataOffsetWords());
        mix(header.ccVal());
        mix(header.checksumCoverage());
        mix(header.checksum());
        mix(header.sequenceNumber());
        mix(header.sequenceNumber(0x0000_8000_0000_0000L));
        long ackno = 0;
        if (header.hasAckNumber()) {
            ackno = header.ackNumber();
            mix(ackno);
            mix(header.ackNumber(SequenceNumbers.MAX));
        }
        if (type.hasServiceCode()) {
            mix(header.serviceCode());
        }
        if (type == DccpPacketType.RESET) {
            mix(header.resetCode());
            mix(header.resetData1());
            mix(header.resetData2());
            mix(header.resetData3());
        }
        mix(header.headerLength());
        mix(header.optionsOffset() - offset);
        mix(header.optionsLength());
        mix(header.dataOffset() - offset);
        mix(header.dataLength());
        mix(header.packetLength());

        vector.start(ackno);
        dropped.start(ackno);
        options.reset(header);
        OptionStatus s;
        do {
            s = options.next();
            statuses[s.ordinal()]++;
            mix(s.ordinal());
            mix(options.type());
            mix(options.isMandatory() ? 1 : 0);
            mix(options.optionOffset() - offset);
            if (s == OptionStatus.OPTION) {
                option();
            }
        } while (s == OptionStatus.OPTION);
        return hash;
    }

    private void option() {
        mix(options.optionLength());
        mix(options.bodyOffset() - options.optionOffset());
        mix(options.bodyLength());
        mix(options.isKnown() ? 1 : 0);
        mix(options.hasValidLength() ? 1 : 0);
        mix(options.featureNumber());
        mix(options.featureValuesLength());
        int count = options.featureValueCount();
        mix(count);
        for (int i = -1; i <= count; i++) {
            mix(options.featureValue(i));
        }
        mix(options.isValidFeatureOption() ? 1 : 0);
        mix(options.isEmptyConfirm() ? 1 : 0);
        mix(options.initCookieLength());
        mix(options.ndpCount());
        mix(options.timestamp());
        mix(options.timestampEcho());
        mix(options.timestampEchoElapsed());
        mix(options.elapsedTime());
        mix(options.dataChecksum());
        if (options.dataChecksumMatches()) {
            checksumsMatched++;
            mix(1);
        }
        if (vector.load(options)) {
            mix(vector.nonce());
            while (vector.next()) {
                cells++;
                mix(vector.state().code());
                mix(vector.runLength());
                mix(vector.highSeqno());
                mix(vector.lowSeqno());
            }
        }
        if (dropped.load(options)) {
            while (dropped.next()) {
                cells++;
                mix(dropped.isDropBlock() ? 1 + dropped.dropCode().code() : 0);
                mix(dropped.runLength());
                mix(dropped.highSeqno());
                mix(dropped.lowSeqno());
            }
        }
    }

    private void mix(long v) {
        hash = hash * 0x9E3779B97F4A7C15L + v;
        hash ^= hash >>> 29;
    }
}
