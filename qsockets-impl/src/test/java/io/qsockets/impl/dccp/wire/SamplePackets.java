package io.qsockets.impl.dccp.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One realistic packet of every type (and the short-seqno forms of Data, Ack and DataAck) as a
 * CCID 2 connection exchanges them: feature negotiation in the handshake, Init Cookie, Ack
 * Vectors, NDP Count, timing options, Data Checksum, Data Dropped, Slow Receiver, Mandatory.
 * The seed corpus of the fuzz test and the input of the wire conformance test.
 */
public final class SamplePackets {

    /** A named packet. */
    public record Sample(String name, DccpPacketType type, boolean extended, long seqno, long ackno, byte[] bytes) {
    }

    static final int CLIENT_PORT = 40123;
    static final int SERVER_PORT = 5001;
    static final int SERVICE_CODE = 0x51534F43; // "QSOC"
    static final long CLIENT_ISS = 0x0000_7FFF_FFFF_FFF0L;
    static final long SERVER_ISS = 0x0000_0123_4567_89ABL;

    private static final byte[] COOKIE = "server-state:0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PAYLOAD = "frame 17: I-frame slice 3/8".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CCIDS = {2, 3};
    private static final byte[] ON = {1};
    private static final byte[] ON_OFF = {1, 0};

    private final ByteBuffer buf = ByteBuffer.allocate(1500);
    private final DccpHeaderWriter writer = new DccpHeaderWriter();
    private final List<Sample> samples = new ArrayList<>();

    private SamplePackets() {
    }

    /** Every sample, in connection order. */
    public static List<Sample> all() {
        SamplePackets s = new SamplePackets();
        s.build();
        return List.copyOf(s.samples);
    }

    private void build() {
        long c = CLIENT_ISS;
        long sv = SERVER_ISS;

        start(DccpPacketType.REQUEST, false, true, c).serviceCode(SERVICE_CODE);
        writer.options().mandatory().changeR(FeatureNumber.CCID, CCIDS)
                .changeL(FeatureNumber.CCID, CCIDS)
                .changeR(FeatureNumber.SEND_ACK_VECTOR, ON)
                .changeL(FeatureNumber.SEQUENCE_WINDOW, 1000)
                .changeL(FeatureNumber.ALLOW_SHORT_SEQNOS, ON_OFF)
                .changeR(FeatureNumber.SEND_NDP_COUNT, 1)
                .timestamp(1_000_000);
        add("request", 0, null);

        start(DccpPacketType.RESPONSE, false, false, sv).ackNumber(c).serviceCode(SERVICE_CODE);
        writer.options().confirmL(FeatureNumber.CCID, 2, CCIDS)
                .confirmR(FeatureNumber.CCID, 2, CCIDS)
                .confirmL(FeatureNumber.SEND_ACK_VECTOR, 1, ON_OFF)
                .confirmR(FeatureNumber.SEQUENCE_WINDOW, 1000)
                .confirmR(FeatureNumber.ALLOW_SHORT_SEQNOS, 1, ON_OFF)
                .confirmL(FeatureNumber.SEND_NDP_COUNT, 1, ON)
                .changeL(FeatureNumber.ACK_RATIO, 2)
                .initCookie(COOKIE, 0, COOKIE.length)
                .timestampEcho(1_000_000, 12)
                .timestamp(77_000);
        add("response", 0, null);

        start(DccpPacketType.ACK, false, true, c + 1).ackNumber(sv);
        writer.options().initCookie(COOKIE, 0, COOKIE.length)
                .confirmR(FeatureNumber.ACK_RATIO, 2)
                .beginAckVector(0).ackVectorRun(AckVectorState.RECEIVED, 1).endVector()
                .elapsedTime(40)
                .timestampEcho(77_000, 40);
        add("ack (handshake)", 0, null);

        start(DccpPacketType.DATA, false, true, c + 2);
        writer.options().ndpCount(1).timestamp(1_000_500).dataChecksum(ByteBuffer.wrap(PAYLOAD), 0, PAYLOAD.length);
        add("data", PAYLOAD.length, PAYLOAD);

        start(DccpPacketType.DATA, true, true, c + 3);
        writer.options().dataChecksum(ByteBuffer.wrap(PAYLOAD), 0, PAYLOAD.length);
        add("data (short seqnos)", PAYLOAD.length, PAYLOAD);

        start(DccpPacketType.ACK, true, false, sv + 1).ackNumber(c + 3);
        writer.options().slowReceiver()
                .beginAckVector(0).ackVectorRun(AckVectorState.RECEIVED, 2).ackVectorRun(AckVectorState.NOT_YET_RECEIVED, 1)
                .ackVectorRun(AckVectorState.RECEIVED, 1).endVector()
                .elapsedTime(70_000);
        add("ack (short seqnos)", 0, null);

        start(DccpPacketType.DATA_ACK, false, false, sv + 2).ackNumber(c + 3);
        writer.options().ndpCount(1)
                .beginAckVector(1).ackVectorRun(AckVectorState.RECEIVED, 1).ackVectorRun(AckVectorState.RECEIVED_ECN_MARKED, 1)
                .ackVectorRun(AckVectorState.RECEIVED, 2).endVector()
                .beginDataDropped().normalBlocks(1).dropBlocks(DropCode.RECEIVE_BUFFER, 1).endVector()
                .timestampEcho(1_000_500, 100_000)
                .dataChecksum(ByteBuffer.wrap(PAYLOAD), 0, PAYLOAD.length);
        add("dataack", PAYLOAD.length, PAYLOAD);

        start(DccpPacketType.DATA_ACK, true, true, c + 4).ackNumber(sv + 2);
        writer.options().beginAckVector(0).ackVectorRun(AckVectorState.RECEIVED, 2).endVector().timestamp(1_000_900);
        add("dataack (short seqnos)", PAYLOAD.length, PAYLOAD);

        start(DccpPacketType.SYNC, false, false, sv + 3).ackNumber(c + 4);
        writer.options().mandatory().changeL(FeatureNumber.SEQUENCE_WINDOW, 5000).timestamp(78_000);
        add("sync (padded, PMTU probe)", 64, new byte[64]);

        start(DccpPacketType.SYNC_ACK, false, true, c + 5).ackNumber(sv + 3);
        writer.options().confirmR(FeatureNumber.SEQUENCE_WINDOW, 5000).timestampEcho(78_000).elapsedTime(3);
        add("syncack", 0, null);

        start(DccpPacketType.CLOSE_REQ, false, false, sv + 4).ackNumber(c + 5);
        writer.options().ndpCount(2).timestamp(79_000);
        add("closereq", 0, null);

        start(DccpPacketType.CLOSE, false, true, c + 6).ackNumber(sv + 4);
        writer.options().ndpCount(1).timestampEcho(79_000, 5).elapsedTime(5);
        add("close", 0, null);

        byte[] text = "Closed".getBytes(StandardCharsets.US_ASCII);
        start(DccpPacketType.RESET, false, false, sv + 5).ackNumber(c + 6).reset(ResetCode.CLOSED, 0, 0, 0);
        writer.options().ndpCount(1);
        add("reset", text.length, text);

        byte[] error = "Mandatory Failure: Change L(126)".getBytes(StandardCharsets.US_ASCII);
        start(DccpPacketType.RESET, false, false, sv + 6).ackNumber(c + 6).reset(ResetCode.MANDATORY_ERROR, 32, 3, 126);
        add("reset (mandatory error)", error.length, error);
    }

    private DccpHeaderWriter start(DccpPacketType type, boolean shortSeqnos, boolean fromClient, long seqno) {
        writer.wrap(buf, 0, buf.capacity()).begin(type, shortSeqnos).sequenceNumber(SequenceNumbers.add(seqno, 0))
                .ports(fromClient ? CLIENT_PORT : SERVER_PORT, fromClient ? SERVER_PORT : CLIENT_PORT);
        return writer;
    }

    private void add(String name, int dataLength, byte[] data) {
        int length = writer.finish(dataLength);
        if (data != null) {
            buf.put(writer.dataOffset(), data, 0, dataLength);
        }
        byte[] bytes = new byte[length];
        buf.get(0, bytes);
        DccpHeader h = new DccpHeader();
        if (h.wrap(ByteBuffer.wrap(bytes), 0, length).validate() != ParseResult.OK) {
            throw new IllegalStateException(name + " does not validate: " + h.result());
        }
        long ackno = h.hasAckNumber() ? h.ackNumber() : -1;
        samples.add(new Sample(name, h.type(), h.hasExtendedSeqnos(), h.sequenceNumber(), ackno, bytes));
    }
}
