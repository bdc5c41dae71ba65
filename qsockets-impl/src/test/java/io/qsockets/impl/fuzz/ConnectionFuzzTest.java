package io.qsockets.impl.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.qsockets.impl.dccp.ConnectionOwner;
import io.qsockets.impl.dccp.ConnectionSettings;
import io.qsockets.impl.dccp.ConnectionState;
import io.qsockets.impl.dccp.DccpConnection;
import io.qsockets.impl.dccp.DccpListener;
import io.qsockets.impl.dccp.UnlimitedCongestionControl;
import io.qsockets.impl.dccp.ccid2.Ccid2Config;
import io.qsockets.impl.dccp.ccid2.Ccid2Control;
import io.qsockets.impl.dccp.wire.DccpHeader;
import io.qsockets.impl.dccp.wire.DccpHeaderWriter;
import io.qsockets.impl.dccp.wire.DccpPacketType;
import io.qsockets.impl.dccp.wire.FeatureNumber;
import io.qsockets.impl.dccp.wire.OptionCursor;
import io.qsockets.impl.dccp.wire.OptionStatus;
import io.qsockets.impl.dccp.wire.OptionType;
import io.qsockets.impl.dccp.wire.OptionsWriter;
import io.qsockets.impl.dccp.wire.ParseResult;
import io.qsockets.impl.dccp.wire.ResetCode;
import io.qsockets.impl.dccp.wire.SequenceNumbers;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the DCCP state machine on simulated time. One endpoint, either a
 * {@link DccpListener} (the fuzzer is the client) or a client {@link DccpConnection} (the fuzzer
 * is the server), receives a sequence of packets the fuzzer builds with the wire writer: any
 * type, sequence and acknowledgement numbers near the ones in use or anywhere, fuzzed options
 * (features, Init Cookies echoed or forged, Ack Vectors, timing, Mandatory, unknown types) and
 * sometimes a corrupted byte; between packets time advances, timers fire, the application sends
 * data, closes or resets.
 *
 * <p>Nothing may throw; every packet the endpoint sends must parse cleanly and fit the maximum
 * packet size; a CLOSED connection stays CLOSED and is reported closed at most once; acks and
 * losses name only data packets sent; the listener's state does not grow with the Requests it
 * answers and a connection's state does not grow with the packets it handles.
 */
@Timeout(FuzzTargets.TIMEOUT_SECONDS)
class ConnectionFuzzTest {

    @FuzzTest(maxDuration = FuzzTargets.MAX_DURATION)
    void endpoint(FuzzedDataProvider data) {
        new Session(data).run();
    }

    private static final class Session implements ConnectionOwner {
        private static final int LOCAL_PORT = 6001;
        private static final int REMOTE_PORT = 5001;
        private static final InetSocketAddress PEER = new InetSocketAddress("10.0.0.1", REMOTE_PORT);
        private static final int SERVICE_CODE = 0x51534F43;
        private static final int MAX_STEPS = 300;
        private static final long SECOND = 1_000_000_000L;

        private final FuzzedDataProvider data;
        private final ConnectionSettings settings;
        private final ByteBuffer scratch = ByteBuffer.allocate(2048);
        private final ByteBuffer out = ByteBuffer.allocate(2048);
        private final DccpHeaderWriter writer = new DccpHeaderWriter();
        private final DccpHeader in = new DccpHeader();
        private final DccpHeader sent = new DccpHeader();
        private final OptionCursor options = new OptionCursor();
        private final Set<Long> dataSent = new HashSet<>();
        private final Set<DccpConnection> closed = new HashSet<>();
        private final byte[] cookie = new byte[OptionType.MAX_BODY_LENGTH];
        private int cookieLength;

        private DccpListener listener;
        private long listenerFootprint;
        private DccpConnection connection;
        private long connectionFootprint;
        private long now;
        private long ourSeqno;
        private long theirSeqno;

        Session(FuzzedDataProvider data) {
            this.data = data;
            this.settings = ConnectionSettings.builder()
                    .serviceCode(data.consumeBoolean() ? 0 : SERVICE_CODE)
                    .sequenceWindow(data.consumeLong(FeatureNumber.SEQUENCE_WINDOW_MIN, 1000))
                    .serverHoldsTimeWait(data.consumeBoolean())
                    .congestionControl(data.consumeBoolean()
                            ? Ccid2Control.factory(Ccid2Config.builder().historyCapacity(64).maxCwnd(32).build())
                            : UnlimitedCongestionControl::new)
                    .build();
            this.now = data.consumeLong(0, 1L << 60);
            this.ourSeqno = data.consumeLong(0, SequenceNumbers.MAX);
        }

        void run() {
            SplittableRandom rng = new SplittableRandom(data.consumeLong());
            if (data.consumeBoolean()) {
                listener = new DccpListener(settings, LOCAL_PORT, this, rng);
                listenerFootprint = Footprint.of(listener);
            } else {
                connection = DccpConnection.connect(settings, PEER, LOCAL_PORT, REMOTE_PORT, now, this, rng);
                connectionFootprint = Footprint.of(connection);
            }
            for (int step = 0; step < MAX_STEPS && data.remainingBytes() > 0; step++) {
                switch (data.consumeInt(0, 9)) {
                    case 0, 1, 2, 3, 4 -> deliver();
                    case 5, 6 -> advanceTime();
                    case 7 -> sendData();
                    case 8 -> {
                        if (connection != null) {
                            connection.close(now);
                        }
                    }
                    default -> {
                        if (connection != null) {
                            connection.reset(data.pickValue(ResetCode.values()), now);
                        }
                    }
                }
            }
            if (listener != null) {
                assertThat(Footprint.of(listener)).as("listener state").isEqualTo(listenerFootprint);
            }
            if (connection != null) {
                assertThat(Footprint.of(connection)).as("connection state").isLessThanOrEqualTo(connectionFootprint);
            }
        }

        private void advanceTime() {
            now += data.consumeBoolean() ? data.consumeLong(0, 2 * SECOND) : data.consumeLong(0, 600 * SECOND);
            if (connection != null && connection.nextTimerNanos() <= now) {
                connection.onTimers(now);
                assertThat(connection.nextTimerNanos()).as("timers still due after onTimers").isGreaterThan(now);
            }
        }

        private void sendData() {
            if (connection != null && connection.canSendData()) {
                long seqno = connection.sendData(ByteBuffer.wrap(data.consumeBytes(data.consumeInt(0, 64))), now);
                if (seqno >= 0) {
                    dataSent.add(seqno);
                }
            }
        }

        private void deliver() {
            int length;
            try {
                length = build();
            } catch (IllegalArgumentException | IllegalStateException e) {
                return; // the fuzzer asked the writer for something it refuses to write
            }
            if (data.consumeInt(0, 7) == 0 && length > 0) {
                out.put(data.consumeInt(0, length - 1), data.consumeByte());
            }
            if (in.wrap(out, 0, length).validate() != ParseResult.OK) {
                return;
            }
            if (connection != null && connection.state() != ConnectionState.CLOSED) {
                ConnectionState before = connection.state();
                connection.receive(in, now);
                if (before == ConnectionState.CLOSED) {
                    assertThat(connection.state()).isEqualTo(ConnectionState.CLOSED);
                }
            } else if (listener != null) {
                DccpConnection c = listener.onPacket(in, PEER, now);
                if (c != null) {
                    assertThat(c.state()).isIn(ConnectionState.OPEN, ConnectionState.RESPOND, ConnectionState.CLOSED);
                    connection = c;
                    connectionFootprint = Footprint.of(c);
                }
            }
        }

        private int build() {
            DccpPacketType type = data.pickValue(DccpPacketType.values());
            boolean shortSeqnos = type.allowsShortSeqnos() && data.consumeInt(0, 3) == 0;
            ourSeqno = SequenceNumbers.add(ourSeqno, data.consumeBoolean() ? 1 : data.consumeLong(-200, 200));
            boolean oddPorts = data.consumeInt(0, 15) == 0;
            writer.wrap(out, 0, out.capacity()).begin(type, shortSeqnos)
                    .ports(oddPorts ? data.consumeInt(0, 0xFFFF) : REMOTE_PORT, oddPorts ? data.consumeInt(0, 0xFFFF) : LOCAL_PORT)
                    .sequenceNumber(shortSeqnos ? ourSeqno & SequenceNumbers.SHORT_MASK : ourSeqno);
            if (type.hasAckNumber()) {
                long ackno = data.consumeBoolean() ? theirSeqno
                        : data.consumeBoolean() ? SequenceNumbers.add(theirSeqno, data.consumeLong(-200, 200))
                        : data.consumeLong(0, SequenceNumbers.MAX);
                writer.ackNumber(shortSeqnos ? ackno & SequenceNumbers.SHORT_MASK : ackno);
            }
            if (type.hasServiceCode()) {
                writer.serviceCode(data.consumeBoolean() ? settings.serviceCode() : data.consumeInt());
            }
            if (type == DccpPacketType.RESET) {
                writer.reset(data.consumeInt(0, 255), data.consumeInt(0, 255), data.consumeInt(0, 255), data.consumeInt(0, 255));
            }
            if (data.consumeInt(0, 7) == 0) {
                writer.ccVal(data.consumeInt(0, 15));
            }
            OptionsWriter o = writer.options();
            for (int n = data.consumeInt(0, 6); n > 0; n--) {
                option(o, true);
            }
            int payload = type.isDataPacket() ? data.consumeInt(0, 64) : data.consumeInt(0, 7) == 0 ? data.consumeInt(0, 16) : 0;
            int length = writer.finish(payload);
            for (int i = writer.dataOffset(); i < length; i++) {
                out.put(i, (byte) i);
            }
            return length;
        }

        private void option(OptionsWriter o, boolean mayBeMandatory) {
            switch (data.consumeInt(0, 9)) {
                case 0, 1 -> {
                    byte[] values = data.consumeBytes(data.consumeInt(0, 8));
                    int feature = data.consumeBoolean() ? data.consumeInt(1, 9) : data.consumeInt(0, 255);
                    o.featureOption(data.consumeInt(OptionType.CHANGE_L, OptionType.CONFIRM_R), feature, values, 0, values.length);
                }
                case 2 -> {
                    byte[] echoed = cookie.clone();
                    if (data.consumeInt(0, 3) == 0 && cookieLength > 0) {
                        echoed[data.consumeInt(0, cookieLength - 1)] ^= (byte) data.consumeInt(1, 255);
                    }
                    o.initCookie(echoed, 0, data.consumeInt(0, 3) == 0 ? data.consumeInt(0, cookie.length) : cookieLength);
                }
                case 3 -> {
                    byte[] cells = data.consumeBytes(data.consumeInt(1, 40));
                    o.ackVector(data.consumeInt(0, 1), cells, 0, cells.length);
                }
                case 4 -> o.timestamp(data.consumeLong(0, 0xFFFF_FFFFL));
                case 5 -> o.timestampEcho(data.consumeLong(0, 0xFFFF_FFFFL), data.consumeLong(0, 0xFFFF_FFFFL));
                case 6 -> o.ndpCount(data.consumeLong(0, 0xFFFF_FFFF_FFFFL));
                case 7 -> {
                    if (mayBeMandatory) {
                        o.mandatory();
                        option(o, false);
                    }
                }
                case 8 -> {
                    byte[] body = data.consumeBytes(data.consumeInt(0, 16));
                    o.option(data.consumeInt(0, 255), body, 0, body.length);
                }
                default -> {
                    switch (data.consumeInt(0, 3)) {
                        case 0 -> o.elapsedTime(data.consumeLong(0, 0xFFFF_FFFFL));
                        case 1 -> o.slowReceiver();
                        case 2 -> o.padding();
                        default -> {
                            byte[] blocks = data.consumeBytes(data.consumeInt(1, 16));
                            o.dataDropped(blocks, 0, blocks.length);
                        }
                    }
                }
            }
        }

        @Override
        public ByteBuffer packetBuffer() {
            return scratch.clear();
        }

        @Override
        public void transmit(ByteBuffer packet, InetSocketAddress peer) {
            assertThat(peer).isEqualTo(PEER);
            assertThat(packet.remaining()).as("packet size").isBetween(1, settings.maxPacketSize());
            assertThat(sent.wrap(packet, packet.position(), packet.remaining()).validate()).as("our packet").isEqualTo(ParseResult.OK);
            OptionStatus status = options.reset(sent).next();
            while (status == OptionStatus.OPTION) {
                assertThat(options.hasValidLength()).as("option %d of our %s", options.type(), sent.type()).isTrue();
                if (sent.type() == DccpPacketType.RESPONSE && options.type() == OptionType.INIT_COOKIE) {
                    cookieLength = options.bodyLength();
                    packet.get(options.bodyOffset(), cookie, 0, cookieLength);
                }
                status = options.next();
            }
            assertThat(status).as("options of our %s", sent.type()).isEqualTo(OptionStatus.END);
            theirSeqno = sent.sequenceNumber(theirSeqno);
        }

        @Override
        public boolean delivered(DccpConnection c, ByteBuffer payload, long seqno, long at) {
            assertThat(payload.remaining()).isLessThanOrEqualTo(settings.maxPayload());
            return seqno % 5 != 0; // a full receive queue now and then: Data Dropped is written too
        }

        @Override
        public void acked(DccpConnection c, long seqno) {
            assertThat(dataSent).as("acked data packet").contains(seqno);
        }

        @Override
        public void lost(DccpConnection c, long seqno) {
            assertThat(dataSent).as("lost data packet").contains(seqno);
        }

        @Override
        public void opened(DccpConnection c) {
            assertThat(c.state()).isIn(ConnectionState.PARTOPEN, ConnectionState.OPEN);
        }

        @Override
        public void writable(DccpConnection c) {
            assertThat(c.state()).isIn(ConnectionState.PARTOPEN, ConnectionState.OPEN);
        }

        @Override
        public void closed(DccpConnection c, ResetCode reasonOrNull) {
            assertThat(closed.add(c)).as("closed reported once").isTrue();
        }
    }
}
