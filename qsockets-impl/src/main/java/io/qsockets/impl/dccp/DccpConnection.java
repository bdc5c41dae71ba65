package io.qsockets.impl.dccp;

import io.qsockets.impl.dccp.ackvec.AckVector;
import io.qsockets.impl.dccp.ackvec.AckVectorRecorder;
import io.qsockets.impl.dccp.ackvec.Seq48;
import io.qsockets.impl.dccp.wire.DataDroppedCursor;
import io.qsockets.impl.dccp.wire.DropCode;
import io.qsockets.impl.dccp.wire.DccpHeader;
import io.qsockets.impl.dccp.wire.DccpHeaderWriter;
import io.qsockets.impl.dccp.wire.DccpPacketType;
import io.qsockets.impl.dccp.wire.FeatureNumber;
import io.qsockets.impl.dccp.wire.OptionCursor;
import io.qsockets.impl.dccp.wire.OptionStatus;
import io.qsockets.impl.dccp.wire.OptionType;
import io.qsockets.impl.dccp.wire.OptionsWriter;
import io.qsockets.impl.dccp.wire.ResetCode;
import io.qsockets.impl.dccp.wire.SequenceNumbers;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * One DCCP connection with one peer (RFC 4340): the state machine of §8 with the receive
 * processing of §8.5, the sequence and acknowledgement validity windows of §7.5, Sync/SyncAck,
 * feature negotiation (§6), acknowledgements with Ack Vectors (§11), Timestamp/Timestamp Echo RTT
 * samples (§13) and NDP Count (§7.7), over UDP (RFC 6773: the owner sends each packet as one
 * datagram; the Checksum field is zero).
 *
 * <p><b>Threading:</b> engine-thread confined, no locks. Time is passed in ({@code now}, ns of the
 * engine clock); the connection never reads a clock. Malformed or out-of-window packets are
 * counted ({@link ConnectionStats#dropped}) and dropped; nothing thrown on the receive path.
 * Sending a data packet allocates nothing: the packet is built in the owner's
 * {@link ConnectionOwner#packetBuffer()}.
 *
 * <p><b>Timers:</b> the owner calls {@link #onTimers(long)} at or after {@link #nextTimerNanos()}.
 *
 * <p>Data carried on Requests and Responses is not delivered (§8.5 Step 16 allows delivering from
 * at most one; this stack sends none).
 */
public final class DccpConnection {

    /** Header and the fixed options (Timestamp, Timestamp Echo, NDP Count) of any packet, with padding. */
    private static final int BASE_HEADER = 28 + 6 + 10 + 8 + 3;
    /**
     * Room reserved in a data packet for the header and the options this stack adds once the
     * connection is open; the options that do not fit (Ack Vector cells, Confirms) wait for a
     * later packet. A PARTOPEN packet also repeats the Init Cookie (§8.1.5): a payload too large
     * to travel with it waits for OPEN, one round trip, rather than make the packet exceed
     * {@link ConnectionSettings#maxPacketSize()}.
     */
    static final int MAX_DATA_HEADER = BASE_HEADER;

    private static final SecureRandom SEEDS = new SecureRandom();
    private static final int MAX_VECTOR_CELLS = 2 * AckVector.MAX_CELLS_PER_OPTION;
    private static final int MAX_OPTIONS = 1020;
    /** A Request's generic header with 48-bit sequence numbers and its Service Code. */
    private static final int REQUEST_HEADER = 20;

    private final ConnectionSettings settings;
    private final ConnectionOwner owner;
    /** Where the peer is: its UDP address, which a NAT may rebind ({@link #moveTo}). */
    private InetSocketAddress peer;
    private final int localPort;
    private final int remotePort;
    private final boolean server;
    private final int serviceCode;
    private final FeatureNegotiation features;
    /**
     * Ack Vectors sent and remembered until the peer acknowledges one: the peer does so about once
     * per round trip (RFC 4341 §6.2), after this side sent up to half its window of acknowledgements
     * (Ack Ratio 2), so enough for a window of 2048 packets; fewer and the acknowledged record is
     * gone by then, the state is never freed and every Ack Vector grows to its largest.
     */
    static final int ACK_RECORDS = 1024;

    private final AckVectorRecorder recorder = new AckVectorRecorder(AckVectorRecorder.DEFAULT_CELL_CAPACITY, ACK_RECORDS);
    private final CongestionControl cc;
    private final DccpHeaderWriter writer = new DccpHeaderWriter();
    private final OptionCursor cursor = new OptionCursor();
    private final RateLimiter syncLimiter;
    private final byte[] vectorCells = new byte[MAX_VECTOR_CELLS];
    private final ByteBuffer vectorOut = ByteBuffer.wrap(vectorCells);
    private final ByteBuffer ackCells = ByteBuffer.allocate(MAX_OPTIONS);
    /** Data this side received and could not deliver, reported to the peer in Data Dropped. */
    private final ReceiveBufferDrops localDrops = new ReceiveBufferDrops();
    private final DataDroppedCursor droppedCursor = new DataDroppedCursor();
    /** Sequence numbers the packet being processed reports dropped at the peer (§11.7). */
    private final long[] peerDrops = new long[ReceiveBufferDrops.MAX_BLOCKS];
    private int peerDropCount;
    private boolean droppedStarted;
    private int peerDropsNew;
    /** The newest packet the peer reported with a Drop Code that counts as an ECN mark, or -1. */
    private long peerMarkedNew = -1;
    /** The Drop Code of each entry of {@link #peerDrops}. */
    private final DropCode[] peerDropCodes = new DropCode[ReceiveBufferDrops.MAX_BLOCKS];
    private long peerReceiveBufferDrops;
    private final byte[] cookie = new byte[253];
    private int cookieLength;

    private ConnectionState state;
    private long iss;
    private long isr;
    private long gss;
    private long gsr;
    private long gar;
    private long osr;
    private long swl;
    private long swh;
    private long awl;
    private long awh;

    private long retransmitAt = Long.MAX_VALUE;
    private long retransmitInterval;
    private long phaseStart;
    private long ackAt = Long.MAX_VALUE;
    private long featureAt = Long.MAX_VALUE;
    private long featureInterval;
    private long timeWaitEnd = Long.MAX_VALUE;
    private int dataSinceAck;
    private boolean ackOwed;
    private long ndpCount;
    private long echoValue = -1;
    private long echoArrival;
    private long srtt;
    private long rttvar;
    private boolean rttSampled;
    private boolean blocked;
    private boolean closedNotified;
    private boolean resetByPeer;
    /**
     * The sequence number of the last Sync that challenged a Request met on this established
     * connection, or -1. Only the peer's REQUEST state answers it with a Reset that acknowledges
     * it (§7.5.4): proof that the peer restarted, which no off-path sender can forge.
     */
    private long challengeSeqno = -1;
    /** When the last valid packet from the peer arrived (or the connection began). */
    private long lastHeard;
    /** When the last keepalive Sync left, or {@code Long.MIN_VALUE / 2}. */
    private long keepAliveSentAt = Long.MIN_VALUE / 2;
    /** Whether the peer was given up because it sent nothing for the idle timeout. */
    private boolean idledOut;
    /** When the connection began (its Request sent, or the cookie verified). */
    private long bornAt;
    /** The longest round trip a Timestamp Echo may claim: longer ones are stale or forged (§13). */
    static final long MAX_RTT_SAMPLE_NANOS = 60_000_000_000L;
    private long lastSent = -1;
    private long ccSequenceWindow = -1;

    private long packetsSent;
    private long packetsReceived;
    private long packetsLost;
    private long syncsSent;
    private final long[] dropped = new long[DropReason.values().length];

    private DccpConnection(ConnectionSettings settings, InetSocketAddress peer, int localPort, int remotePort,
            ConnectionOwner owner, boolean server, int serviceCode) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.owner = Objects.requireNonNull(owner, "owner");
        checkPort("localPort", localPort);
        checkPort("remotePort", remotePort);
        this.localPort = localPort;
        this.remotePort = remotePort;
        this.server = server;
        this.serviceCode = serviceCode;
        this.features = new FeatureNegotiation(settings, server);
        this.syncLimiter = new RateLimiter(settings.syncsPerSecond());
        this.srtt = settings.initialRttNanos();
        this.cc = Objects.requireNonNull(settings.congestionControl().create(new CongestionControl.Listener() {
            @Override
            public void onAcked(long seqno) {
                DropCode code = peerDropCode(seqno);
                if (code == null || code == DropCode.DELIVERED_CORRUPT) {
                    owner.acked(DccpConnection.this, seqno);
                } else {
                    owner.lost(DccpConnection.this, seqno); // received, but its data never reached the application
                }
                // RFC 4340 §11.7.2: Drop Code 0 and 1 are no congestion; 2 shrinks the window
                // (RFC 4341 §5.2); 3 to 7 count as ECN marks
                if (code == DropCode.RECEIVE_BUFFER) {
                    peerDropsNew++;
                } else if (code != null && code.ordinal() >= DropCode.CORRUPT.ordinal()) {
                    peerMarkedNew = seqno;
                }
            }

            @Override
            public void onLost(long seqno) {
                packetsLost++;
                owner.lost(DccpConnection.this, seqno);
            }
        }), "congestion control");
    }

    private static void checkPort(String what, int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException(what + " must be in [0, 65535], was " + port);
        }
    }

    /**
     * Opens a connection actively: chooses a random ISS, sends a Request and enters REQUEST.
     */
    public static DccpConnection connect(ConnectionSettings s, InetSocketAddress peer, int localPort, int remotePort,
            long now, ConnectionOwner owner) {
        return connect(s, peer, localPort, remotePort, now, owner, SEEDS);
    }

    /** As {@link #connect(ConnectionSettings, InetSocketAddress, int, int, long, ConnectionOwner)} with the ISS drawn from {@code rng}. */
    public static DccpConnection connect(ConnectionSettings s, InetSocketAddress peer, int localPort, int remotePort,
            long now, ConnectionOwner owner, RandomGenerator rng) {
        DccpConnection c = new DccpConnection(s, peer, localPort, remotePort, owner, false, s.serviceCode());
        c.iss = rng.nextLong() & SequenceNumbers.MAX;
        c.gss = SequenceNumbers.add(c.iss, -1);
        c.gar = c.iss;
        c.features.startNegotiations(s, c.iss);
        c.state = ConnectionState.REQUEST;
        c.phaseStart = now;
        c.retransmitInterval = s.requestTimeoutNanos();
        c.retransmitAt = now + c.retransmitInterval;
        c.lastHeard = now;
        c.bornAt = now;
        c.send(DccpPacketType.REQUEST, 0, null, now);
        return c;
    }

    /**
     * The server side of a handshake completed with a valid Init Cookie (Step 3): a connection in
     * RESPOND with the cookie's sequence numbers and feature state; the caller then passes it the
     * Ack that carried the cookie.
     */
    static DccpConnection respond(ConnectionSettings s, InetSocketAddress peer, int localPort, int remotePort,
            ConnectionOwner owner, InitCookie cookie, long now) {
        DccpConnection c = new DccpConnection(s, peer, localPort, remotePort, owner, true, cookie.serviceCode());
        if (!cookie.restoreFeatures(c.features)) {
            return null;
        }
        c.state = ConnectionState.RESPOND;
        c.iss = cookie.iss();
        c.gss = c.iss;
        c.gar = c.iss;
        c.features.setFgss(c.iss);
        c.isr = cookie.isr();
        c.gsr = c.isr;
        c.features.setInitialSequenceReceived(c.isr);
        c.updateWindows();
        c.cc.onSent(c.iss, now, false);
        c.lastHeard = now;
        c.bornAt = now;
        return c;
    }

    // ------------------------------------------------------------------ receive (RFC 4340 §8.5)

    /**
     * Processes one packet of this connection's flow: validated (Step 1) and demultiplexed
     * (Step 2) by the caller. Never throws for any packet content.
     */
    public void receive(DccpHeader p, long now) {
        DccpPacketType type = p.type();
        if (state == ConnectionState.CLOSED || state == ConnectionState.TIMEWAIT) {
            drop(DropReason.NO_CONNECTION);
            if (type != DccpPacketType.RESET && syncLimiter.tryAcquire(now)) {
                StatelessReset.send(writer, owner, p, peer, ResetCode.NO_CONNECTION);
                packetsSent++;
            }
            return;
        }
        // Step 4
        if (state == ConnectionState.REQUEST) {
            if ((type == DccpPacketType.RESPONSE || type == DccpPacketType.RESET)
                    && SequenceNumbers.inWindow(p.ackNumber(), awl, awh)) {
                isr = p.sequenceNumber();
                gsr = isr;
                features.setInitialSequenceReceived(isr);
                updateWindows();
            } else {
                drop(DropReason.UNEXPECTED_TYPE);
                if (type != DccpPacketType.RESET) {
                    sendResetPacket(ResetCode.PACKET_ERROR, p.sequenceNumber(), 0, 0, 0);
                }
                return;
            }
        }
        // A Request on an established connection: a stale duplicate, or the peer restarted on the
        // same address. A Sync asks which; a restarted peer answers it from REQUEST with a Reset
        // that acknowledges it (§7.5.4), whatever its sequence number. Below: half-open recovery.
        if (type == DccpPacketType.REQUEST && state.atLeast(ConnectionState.PARTOPEN)) {
            drop(DropReason.UNEXPECTED_TYPE);
            if (syncLimiter.tryAcquire(now)) {
                send(DccpPacketType.SYNC, p.sequenceNumber(), null, now);
                challengeSeqno = gss;
            }
            return;
        }
        if (type == DccpPacketType.RESET && challengeSeqno >= 0 && p.ackNumber() == challengeSeqno) {
            packetsReceived++;
            lastHeard = now;
            resetByPeer = true;
            ResetCode code = ResetCode.forReceived(p.resetCode());
            enterTimeWait(now, code == ResetCode.CLOSED ? null : code);
            return;
        }
        // Step 5
        long seqno;
        if (type == DccpPacketType.SYNC || type == DccpPacketType.SYNC_ACK) {
            seqno = p.sequenceNumber();
            if (SequenceNumbers.inWindow(p.ackNumber(), awl, awh) && SequenceNumbers.afterOrEqual(seqno, swl)) {
                gsr = SequenceNumbers.max(gsr, seqno);
                updateWindows();
            } else {
                drop(DropReason.SYNC_OUT_OF_WINDOW);
                return;
            }
        }
        // Step 6
        // §7.6.1: the sender's feature decides (Allow Short Seqnos/B for packets from B)
        if (!p.hasExtendedSeqnos() && features.value(FeatureNegotiation.REMOTE, FeatureNumber.ALLOW_SHORT_SEQNOS) == 0) {
            drop(DropReason.SHORT_SEQNOS);
            return;
        }
        seqno = p.sequenceNumber(gsr);
        long ackno = p.hasAckNumber() ? p.ackNumber(gss) : -1;
        long lswl = swl;
        long lawl = awl;
        // Step 4 already validated a Reset in REQUEST by its ackno and set GSR to its seqno; the
        // GSR + 1 bound would reject it, which Step 4's "continues in Step 9" rules out.
        boolean resetInRequest = state == ConnectionState.REQUEST && type == DccpPacketType.RESET;
        if (!resetInRequest
                && (type == DccpPacketType.CLOSE_REQ || type == DccpPacketType.CLOSE || type == DccpPacketType.RESET)) {
            lswl = SequenceNumbers.add(gsr, 1);
            lawl = gar;
        }
        if (SequenceNumbers.inWindow(seqno, lswl, swh) && (ackno < 0 || SequenceNumbers.inWindow(ackno, lawl, awh))) {
            gsr = SequenceNumbers.max(gsr, seqno);
            updateWindows();
            if (type != DccpPacketType.SYNC && ackno >= 0) {
                gar = SequenceNumbers.max(gar, ackno);
            }
        } else {
            drop(DropReason.OUT_OF_WINDOW);
            sendSync(type == DccpPacketType.RESET ? gsr : seqno, now, true);
            return;
        }
        // Step 7
        if ((server && (type == DccpPacketType.CLOSE_REQ || type == DccpPacketType.RESPONSE))
                || (!server && type == DccpPacketType.REQUEST)
                || (state.atLeast(ConnectionState.OPEN) && (type == DccpPacketType.REQUEST || type == DccpPacketType.RESPONSE)
                        && SequenceNumbers.afterOrEqual(seqno, osr))
                || (state == ConnectionState.RESPOND && type == DccpPacketType.DATA)) {
            drop(DropReason.UNEXPECTED_TYPE);
            sendSync(seqno, now, false);
            return;
        }
        packetsReceived++;
        lastHeard = now;
        // Step 8
        if (type == DccpPacketType.RESET) {
            // Step 9: options of a Reset are not acted upon, and a Reset is never answered.
            ResetCode code = ResetCode.forReceived(p.resetCode());
            resetByPeer = true;
            enterTimeWait(now, code == ResetCode.CLOSED ? null : code);
            return;
        }
        AckVectorRecorder.Outcome outcome = recorder.record(seqno, AckVector.RECEIVED);
        cc.onPeerPacket(seqno, !type.isDataPacket());
        if (!processOptions(p, type, seqno, ackno, now)) {
            return;
        }
        if (ackno >= 0 && type != DccpPacketType.SYNC && type != DccpPacketType.SYNC_ACK) {
            recorder.onAckOfAck(ackno);
            cc.onAck(ackno, ackCells, 0, ackCells.position(), now);
            if (peerDropsNew > 0) {
                peerReceiveBufferDrops += peerDropsNew;
                cc.onReceiveBufferDrops(peerDropsNew);
                peerDropsNew = 0;
            }
            if (peerMarkedNew >= 0) {
                cc.onCongestionMarked(peerMarkedNew);
                peerMarkedNew = -1;
            }
        }
        // Step 10
        if (state == ConnectionState.REQUEST) {
            state = ConnectionState.PARTOPEN;
            phaseStart = now;
            retransmitInterval = settings.partOpenTimeoutNanos();
            retransmitAt = now + retransmitInterval;
            owner.opened(this);
        }
        // Step 11
        if (state == ConnectionState.RESPOND) {
            if (type == DccpPacketType.REQUEST) {
                send(DccpPacketType.RESPONSE, gsr, null, now);
            } else {
                osr = seqno;
                enterOpen(now);
                owner.opened(this);
            }
        }
        // Step 12
        if (state == ConnectionState.PARTOPEN) {
            if (type == DccpPacketType.RESPONSE) {
                send(DccpPacketType.ACK, gsr, null, now);
            } else if (type != DccpPacketType.SYNC) {
                osr = seqno;
                enterOpen(now);
            }
        }
        // Step 13
        if (type == DccpPacketType.CLOSE_REQ && state.compareTo(ConnectionState.CLOSEREQ) < 0) {
            startClosing(DccpPacketType.CLOSE, ConnectionState.CLOSING, now);
        }
        // Step 14
        if (type == DccpPacketType.CLOSE) {
            sendReset(ResetCode.CLOSED, gsr, 0, 0, 0, now);
            return;
        }
        // Step 15
        if (type == DccpPacketType.SYNC) {
            send(DccpPacketType.SYNC_ACK, seqno, null, now);
        }
        // Step 16
        if (type == DccpPacketType.DATA || type == DccpPacketType.DATA_ACK) {
            receiveData(p, seqno, outcome, now);
        }
        if (features.hasConfirms() && ackAt == Long.MAX_VALUE && canAck()) {
            ackAt = now;
        }
        notifyWritable();
    }

    private boolean dataOk;

    /** Step 8: options. Returns false if the connection was reset. */
    private boolean processOptions(DccpHeader p, DccpPacketType type, long seqno, long ackno, long now) {
        ackCells.clear();
        peerDropCount = 0;
        droppedStarted = false;
        dataOk = true;
        features.beginPacket();
        cursor.reset(p);
        for (OptionStatus s = cursor.next(); ; s = cursor.next()) {
            if (s == OptionStatus.END) {
                break;
            }
            if (s == OptionStatus.MANDATORY_AT_END || s == OptionStatus.MANDATORY_REPEATED
                    || (s == OptionStatus.BAD_LENGTH && cursor.isMandatory())) {
                return optionReset(ResetCode.OPTION_ERROR, OptionType.MANDATORY, 0, 0, now);
            }
            if (s != OptionStatus.OPTION) {
                break;
            }
            int t = cursor.type();
            boolean mandatory = cursor.isMandatory();
            if (!OptionType.isAllowedOn(t, type) || (!cursor.hasValidLength() && !OptionType.isFeatureNegotiation(t))) {
                if (mandatory) {
                    return optionReset(ResetCode.MANDATORY_ERROR, t, bodyByte(0), bodyByte(1), now);
                }
                continue;
            }
            switch (t) {
                case OptionType.SLOW_RECEIVER:
                    cc.onSlowReceiver(); // §11.6; RFC 4341 §5.2: CCID 2 leaves slow start
                    break;
                case OptionType.PADDING:
                case OptionType.NDP_COUNT:
                case OptionType.ELAPSED_TIME:
                    break;
                case OptionType.DATA_DROPPED:
                    if (ackno >= 0) { // ignored on packets without an Acknowledgement Number
                        readDataDropped(ackno);
                    }
                    break;
                case OptionType.CHANGE_L:
                case OptionType.CHANGE_R:
                case OptionType.CONFIRM_L:
                case OptionType.CONFIRM_R:
                    if (!features.process(cursor, seqno, ackno)) {
                        return optionReset(features.error(), features.errorData1(), features.errorData2(),
                                features.errorData3(), now);
                    }
                    break;
                case OptionType.INIT_COOKIE:
                    if (type == DccpPacketType.RESPONSE && state == ConnectionState.REQUEST) {
                        cookieLength = cursor.bodyLength();
                        cursor.buffer().get(cursor.bodyOffset(), cookie, 0, cookieLength);
                    }
                    break;
                case OptionType.ACK_VECTOR_0:
                case OptionType.ACK_VECTOR_1:
                    if (cursor.bodyLength() <= ackCells.remaining()) {
                        ackCells.put(ackCells.position(), cursor.buffer(), cursor.bodyOffset(), cursor.bodyLength());
                        ackCells.position(ackCells.position() + cursor.bodyLength());
                    }
                    break;
                case OptionType.TIMESTAMP:
                    echoValue = cursor.timestamp();
                    echoArrival = now;
                    break;
                case OptionType.TIMESTAMP_ECHO:
                    rttSample(cursor.timestampEcho(), cursor.timestampEchoElapsed(), now);
                    break;
                case OptionType.DATA_CHECKSUM:
                    dataOk = cursor.dataChecksumMatches();
                    break;
                default:
                    if (mandatory) {
                        return optionReset(ResetCode.MANDATORY_ERROR, t, bodyByte(0), bodyByte(1), now);
                    }
                    break;
            }
        }
        features.endPacket(seqno);
        return true;
    }

    /** Collects the packets a Data Dropped option says never reached the peer's application. */
    private void readDataDropped(long ackno) {
        if (!droppedStarted) {
            droppedCursor.start(ackno);
            droppedStarted = true;
        }
        if (!droppedCursor.load(cursor)) {
            return;
        }
        while (droppedCursor.next()) {
            if (!droppedCursor.isDropBlock()) {
                continue;
            }
            for (long q = droppedCursor.highSeqno(); peerDropCount < peerDrops.length; q = Seq48.add(q, -1)) {
                peerDropCodes[peerDropCount] = droppedCursor.dropCode();
                peerDrops[peerDropCount++] = q;
                if (q == droppedCursor.lowSeqno()) {
                    break;
                }
            }
        }
    }

    /** @return the Drop Code the peer reported {@code seqno} with on the packet being processed, or null */
    private DropCode peerDropCode(long seqno) {
        for (int i = 0; i < peerDropCount; i++) {
            if (peerDrops[i] == seqno) {
                return peerDropCodes[i];
            }
        }
        return null;
    }

    private int bodyByte(int i) {
        return cursor.bodyLength() > i ? cursor.buffer().get(cursor.bodyOffset() + i) & 0xFF : 0;
    }

    private boolean optionReset(ResetCode code, int d1, int d2, int d3, long now) {
        drop(DropReason.OPTION_ERROR);
        code = code == null ? ResetCode.OPTION_ERROR : code;
        sendReset(code, gsr, d1, d2, d3, now);
        return false;
    }

    private void receiveData(DccpHeader p, long seqno, AckVectorRecorder.Outcome outcome, long now) {
        if (outcome == AckVectorRecorder.Outcome.DUPLICATE || outcome == AckVectorRecorder.Outcome.TOO_OLD) {
            drop(DropReason.DUPLICATE);
            return;
        }
        ackOwed = true;
        dataSinceAck++;
        boolean ackNow = dataSinceAck >= features.value(FeatureNegotiation.REMOTE, FeatureNumber.ACK_RATIO);
        if (!ackNow && ackAt == Long.MAX_VALUE) {
            ackAt = now + settings.ackDelayNanos();
        }
        deliver(p, seqno, now);
        if (ackNow) {
            sendAckIfOwed(now);
        }
    }

    private void deliver(DccpHeader p, long seqno, long now) {
        int cov = p.checksumCoverage();
        long minCov = features.value(FeatureNegotiation.LOCAL, FeatureNumber.MINIMUM_CHECKSUM_COVERAGE);
        if (!dataOk || (cov != 0 && (minCov == 0 || cov < minCov))) {
            drop(DropReason.DATA_CORRUPT);
            return;
        }
        // a Data or DataAck packet carries one application datagram, which may be empty
        ByteBuffer b = p.buffer();
        int oldPosition = b.position();
        int oldLimit = b.limit();
        b.limit(p.dataOffset() + p.dataLength()).position(p.dataOffset());
        try {
            if (!owner.delivered(this, b, seqno, now)) {
                localDrops.add(seqno); // reported in Data Dropped, Drop Code 2
            }
        } finally {
            b.limit(oldLimit).position(oldPosition);
        }
    }

    private void rttSample(long echo, long elapsed, long now) {
        if (echo < 0 || elapsed < 0) {
            return;
        }
        long units = (timestamp(now) - echo - elapsed) & 0xFFFF_FFFFL;
        // an echo of a timestamp this connection never sent (older than the connection, or than
        // any plausible round trip) is stale or forged: no sample (§13.1, §13.3)
        if (units * 10_000L > Math.min(MAX_RTT_SAMPLE_NANOS, now - bornAt + 10_000L)) {
            return;
        }
        long rtt = Math.max(units * 10_000L, 1);
        if (!rttSampled) {
            srtt = rtt;
            rttvar = rtt / 2;
            rttSampled = true;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - rtt)) / 4;
            srtt = (7 * srtt + rtt) / 8;
        }
        cc.onRttSample(rtt, now);
    }

    private static long timestamp(long now) {
        return Math.floorDiv(now, 10_000L) & 0xFFFF_FFFFL;
    }

    private void updateWindows() {
        long w = features.value(FeatureNegotiation.REMOTE, FeatureNumber.SEQUENCE_WINDOW);
        long wLocal = features.value(FeatureNegotiation.LOCAL, FeatureNumber.SEQUENCE_WINDOW);
        boolean early = state == ConnectionState.REQUEST || state == ConnectionState.RESPOND
                || state == ConnectionState.PARTOPEN || SequenceNumbers.subtract(gsr, isr) < w;
        swl = early ? SequenceNumbers.initialSequenceWindowLow(gsr, w, isr) : SequenceNumbers.sequenceWindowLow(gsr, w);
        swh = SequenceNumbers.sequenceWindowHigh(gsr, w);
        boolean earlyAck = SequenceNumbers.subtract(gss, iss) < wLocal;
        awl = earlyAck ? SequenceNumbers.initialAckWindowLow(gss, wLocal, iss) : SequenceNumbers.ackWindowLow(gss, wLocal);
        awh = gss;
        if (wLocal != ccSequenceWindow) {
            ccSequenceWindow = wLocal;
            cc.onSequenceWindow(wLocal);
        }
    }

    // ------------------------------------------------------------------ timers

    /** The next time {@link #onTimers} must run, or {@link Long#MAX_VALUE}. */
    public long nextTimerNanos() {
        long t = Math.min(retransmitAt, Math.min(ackAt, Math.min(featureAt, timeWaitEnd)));
        return state == ConnectionState.CLOSED ? Long.MAX_VALUE : Math.min(Math.min(t, livenessAt()), cc.nextTimerNanos());
    }

    /** When the open connection next probes its peer or gives it up, or {@code Long.MAX_VALUE}. */
    private long livenessAt() {
        if (state != ConnectionState.OPEN && state != ConnectionState.PARTOPEN) {
            return Long.MAX_VALUE;
        }
        long t = Long.MAX_VALUE;
        if (settings.idleTimeoutNanos() > 0) {
            t = lastHeard + settings.idleTimeoutNanos();
        }
        if (settings.keepAliveNanos() > 0) {
            t = Math.min(t, Math.max(lastHeard, keepAliveSentAt) + settings.keepAliveNanos());
        }
        return t;
    }

    /**
     * An open connection that has heard nothing for the keepalive interval probes its peer with a
     * Sync, which a live peer answers with a SyncAck (keeping NAT mappings open both ways); one
     * that has heard nothing for the idle timeout gives the peer up, on every congestion control.
     *
     * @return whether the peer was given up
     */
    private boolean checkLiveness(long now) {
        if (state != ConnectionState.OPEN && state != ConnectionState.PARTOPEN) {
            return false;
        }
        long idle = settings.idleTimeoutNanos();
        if (idle > 0 && now - lastHeard >= idle) {
            idledOut = true;
            reset(ResetCode.ABORTED, now);
            return true;
        }
        long keepAlive = settings.keepAliveNanos();
        if (keepAlive > 0 && now - Math.max(lastHeard, keepAliveSentAt) >= keepAlive) {
            keepAliveSentAt = now;
            send(DccpPacketType.SYNC, gsr, null, now);
        }
        return false;
    }

    /** @return whether the peer was given up because it sent nothing for the idle timeout */
    public boolean idledOut() {
        return idledOut;
    }

    /** Runs every timer due at {@code now}: retransmissions, give-ups, delayed acks, TIMEWAIT. */
    public void onTimers(long now) {
        if (state == ConnectionState.CLOSED) {
            return;
        }
        if (now >= timeWaitEnd) {
            timeWaitEnd = Long.MAX_VALUE;
            teardown(null);
            return;
        }
        if (now >= cc.nextTimerNanos()) {
            cc.onTimer(now);
            int limit = settings.deadPeerTimeouts();
            if (limit > 0 && cc.consecutiveTimeouts() >= limit) {
                reset(ResetCode.ABORTED, now); // the peer is silent: give it up and free the connection
                return;
            }
        }
        if (checkLiveness(now)) {
            return;
        }
        if (now >= retransmitAt) {
            retransmit(now);
        }
        if (state == ConnectionState.CLOSED || state == ConnectionState.TIMEWAIT) {
            return;
        }
        if (now >= ackAt) {
            sendAckIfOwed(now);
            ackAt = Long.MAX_VALUE;
        }
        if (now >= featureAt) {
            if (features.anyChanging() && state == ConnectionState.OPEN) {
                send(DccpPacketType.ACK, gsr, null, now);
                featureInterval = Math.min(2 * featureInterval, settings.maxBackoffNanos());
                featureAt = now + featureInterval;
            } else {
                featureAt = Long.MAX_VALUE;
            }
        }
        notifyWritable();
    }

    private void retransmit(long now) {
        long giveUp;
        switch (state) {
            case REQUEST:
                giveUp = settings.requestGiveUpNanos();
                break;
            case PARTOPEN:
                giveUp = settings.partOpenGiveUpNanos();
                break;
            case CLOSEREQ:
            case CLOSING:
                giveUp = settings.closeGiveUpNanos();
                break;
            default:
                retransmitAt = Long.MAX_VALUE;
                return;
        }
        if (now - phaseStart >= giveUp) {
            sendReset(ResetCode.ABORTED, gsr, 0, 0, 0, now);
            return;
        }
        retransmitInterval = Math.min(2 * retransmitInterval, settings.maxBackoffNanos());
        switch (state) {
            case REQUEST:
                send(DccpPacketType.REQUEST, 0, null, now);
                break;
            case PARTOPEN:
                send(DccpPacketType.ACK, gsr, null, now);
                break;
            case CLOSEREQ:
                send(DccpPacketType.CLOSE_REQ, gsr, null, now);
                break;
            default:
                send(DccpPacketType.CLOSE, gsr, null, now);
                break;
        }
        retransmitAt = Math.min(now + retransmitInterval, phaseStart + giveUp);
    }

    // ------------------------------------------------------------------ application calls

    /** Whether {@link #sendData} would send now: PARTOPEN or OPEN, and the congestion control allows it. */
    public boolean canSendData() {
        return (state == ConnectionState.OPEN || state == ConnectionState.PARTOPEN) && cc.canSend();
    }

    /**
     * Sends {@code payload} (position to limit; not moved) on one DCCP-DataAck (in PARTOPEN, or when
     * an acknowledgement is owed) or DCCP-Data packet.
     *
     * @return the packet's sequence number, or -1 if {@link #canSendData()} is false (the owner
     *     then hears {@link ConnectionOwner#writable} when it turns true)
     * @throws IllegalArgumentException if the payload exceeds {@link ConnectionSettings#maxPayload()}
     */
    public long sendData(ByteBuffer payload, long now) {
        Objects.requireNonNull(payload, "payload");
        if (payload.remaining() > settings.maxPayload()) {
            throw new IllegalArgumentException("payload of " + payload.remaining() + " bytes exceeds the maximum of "
                    + settings.maxPayload() + " (maxPacketSize " + settings.maxPacketSize() + ")");
        }
        int needed = BASE_HEADER + payload.remaining()
                + (state == ConnectionState.PARTOPEN && cookieLength > 0 ? cookieLength + 2 : 0);
        if (!canSendData() || needed > settings.maxPacketSize()) {
            blocked = true;
            return -1;
        }
        boolean withAck = state == ConnectionState.PARTOPEN || ackOwed || features.hasConfirms() || cc.ackOfAckDue();
        send(withAck ? DccpPacketType.DATA_ACK : DccpPacketType.DATA, gsr, payload, now);
        if (state == ConnectionState.PARTOPEN) {
            retransmitInterval = settings.partOpenTimeoutNanos();
            retransmitAt = now + retransmitInterval;
        }
        return gss;
    }

    /** Smoothed round-trip time (RFC 4340 §13 samples), or the initial RTT before the first sample. */
    public long srttNanos() {
        return srtt;
    }

    /** Sequence number of the last packet sent (any type), or -1 before the first. */
    public long lastSentSeqno() {
        return lastSent;
    }

    /**
     * Closes the connection (§8.3): a client (or a server with
     * {@link ConnectionSettings#serverHoldsTimeWait()}) sends Close and enters CLOSING; a server
     * sends CloseReq and enters CLOSEREQ; in REQUEST a Reset(Closed) ends it at once. No effect once
     * closing or closed.
     */
    public void close(long now) {
        switch (state) {
            case REQUEST:
            case RESPOND:
                sendReset(ResetCode.CLOSED, gsr, 0, 0, 0, now);
                break;
            case PARTOPEN:
            case OPEN:
                if (server && !settings.serverHoldsTimeWait()) {
                    startClosing(DccpPacketType.CLOSE_REQ, ConnectionState.CLOSEREQ, now);
                } else {
                    startClosing(DccpPacketType.CLOSE, ConnectionState.CLOSING, now);
                }
                break;
            default:
                break;
        }
    }

    /** Aborts the connection: sends Reset with {@code code} and enters CLOSED (§8.3.1). No effect once closed. */
    public void reset(ResetCode code, long now) {
        Objects.requireNonNull(code, "code");
        if (state != ConnectionState.CLOSED && state != ConnectionState.TIMEWAIT) {
            sendReset(code, gsr, 0, 0, 0, now);
        }
    }

    /**
     * Ends the connection without a packet: the peer cannot be reached (its host reported the port
     * unreachable), so a Reset would only draw another error. Enters CLOSED; no effect once closed.
     */
    public void abandon() {
        if (state != ConnectionState.CLOSED) {
            teardown(ResetCode.ABORTED);
        }
    }

    /** @return whether the connection ended because the peer sent a Reset */
    public boolean resetByPeer() {
        return resetByPeer;
    }

    /** The current state. */
    public ConnectionState state() {
        return state;
    }

    /** True if this side accepted the connection. */
    public boolean isServer() {
        return server;
    }

    /** The peer's address. */
    public InetSocketAddress peer() {
        return peer;
    }

    /** Local DCCP port. */
    public int localPort() {
        return localPort;
    }

    /** The peer's DCCP port. */
    public int remotePort() {
        return remotePort;
    }

    /** The Service Code of the connection. */
    public int serviceCode() {
        return serviceCode;
    }

    /** Initial sequence number sent (ISS). */
    public long iss() {
        return iss;
    }

    /** Initial sequence number received (ISR). */
    public long isr() {
        return isr;
    }

    /** Greatest sequence number sent (GSS). */
    public long gss() {
        return gss;
    }

    /** Greatest valid sequence number received (GSR). */
    public long gsr() {
        return gsr;
    }

    /** Greatest valid acknowledgement number received on a non-Sync (GAR). */
    public long gar() {
        return gar;
    }

    /** The value of {@code feature} at this endpoint ({@code local}) or at the peer. */
    public long featureValue(FeatureNumber feature, boolean local) {
        return features.value(local ? FeatureNegotiation.LOCAL : FeatureNegotiation.REMOTE, feature);
    }

    /** True while a Change this side sent for {@code feature} awaits its Confirm. */
    public boolean isNegotiating(FeatureNumber feature, boolean local) {
        return features.isChanging(local ? FeatureNegotiation.LOCAL : FeatureNegotiation.REMOTE, feature);
    }

    /**
     * @return whether {@code p}, with 48-bit sequence numbers, falls within this connection's
     *     sequence and acknowledgement windows (§7.5.3): only the peer, or someone on its path, can
     *     know them
     */
    public boolean isSequenceValid(DccpHeader p) {
        return p.hasExtendedSeqnos() && SequenceNumbers.inWindow(p.sequenceNumber(), swl, swh)
                && (!p.hasAckNumber() || SequenceNumbers.inWindow(p.ackNumber(), awl, awh));
    }

    /**
     * Sends a Sync to {@code candidate}, a new address the peer's packets came from (a NAT
     * rebound it), as a challenge: the peer answers with a SyncAck that acknowledges it, from its
     * new address if that is where it is. Rate-limited like every Sync.
     *
     * @return the Sync's sequence number, or -1 if the rate limit held it back
     */
    public long challengePath(InetSocketAddress candidate, long now) {
        if (!syncLimiter.tryAcquire(now)) {
            return -1;
        }
        InetSocketAddress current = peer;
        peer = candidate;
        try {
            send(DccpPacketType.SYNC, gsr, null, now);
        } finally {
            peer = current;
        }
        return gss;
    }

    /**
     * The peer answered a {@link #challengePath} challenge from {@code address}: it is there now.
     * An Ack (with the Ack Vector) leaves at once: the acknowledgements sent to the old address
     * were lost, and without them the peer's congestion control would wait for its retransmission
     * timeout, backed off to seconds by then, before it sent again.
     */
    public void moveTo(InetSocketAddress address, long now) {
        peer = Objects.requireNonNull(address, "address");
        if (state == ConnectionState.OPEN || state == ConnectionState.PARTOPEN) {
            send(DccpPacketType.ACK, gsr, null, now);
        }
    }

    /** Low and high ends of the sequence window [SWL, SWH] and acknowledgement window [AWL, AWH]. */
    public long[] windows() {
        return new long[] {swl, swh, awl, awh};
    }

    /** A snapshot of the counters. */
    public ConnectionStats stats() {
        return new ConnectionStats(state, cc.cwnd(), cc.pipe(), srtt, cc.rtoNanos(), packetsSent, packetsReceived,
                packetsLost, syncsSent, dropped);
    }

    @Override
    public String toString() {
        return "DccpConnection[" + (server ? "server " : "client ") + localPort + "->" + peer + ":" + remotePort
                + " " + state + " GSS=" + gss + " GSR=" + gsr + "]";
    }

    // ------------------------------------------------------------------ transitions

    private void enterOpen(long now) {
        state = ConnectionState.OPEN;
        retransmitAt = Long.MAX_VALUE;
        if (features.anyChanging()) {
            featureInterval = Math.max(srtt, settings.partOpenTimeoutNanos());
            featureAt = now + featureInterval;
        }
    }

    private void startClosing(DccpPacketType type, ConnectionState next, long now) {
        state = next;
        ackAt = Long.MAX_VALUE;
        featureAt = Long.MAX_VALUE;
        phaseStart = now;
        retransmitInterval = rttSampled ? Math.max(2 * srtt, 1) : settings.closeTimeoutNanos();
        retransmitAt = now + retransmitInterval;
        send(type, gsr, null, now);
    }

    private void enterTimeWait(long now, ResetCode reason) {
        state = ConnectionState.TIMEWAIT;
        retransmitAt = Long.MAX_VALUE;
        ackAt = Long.MAX_VALUE;
        featureAt = Long.MAX_VALUE;
        timeWaitEnd = now + settings.timeWaitNanos();
        notifyClosed(reason);
    }

    private void teardown(ResetCode reason) {
        state = ConnectionState.CLOSED;
        retransmitAt = Long.MAX_VALUE;
        ackAt = Long.MAX_VALUE;
        featureAt = Long.MAX_VALUE;
        timeWaitEnd = Long.MAX_VALUE;
        notifyClosed(reason);
    }

    private void notifyClosed(ResetCode reason) {
        if (!closedNotified) {
            closedNotified = true;
            owner.closed(this, reason);
        }
    }

    private void notifyWritable() {
        if (blocked && canSendData()) {
            blocked = false;
            owner.writable(this);
        }
    }

    private boolean canAck() {
        return state == ConnectionState.OPEN || state == ConnectionState.PARTOPEN || state == ConnectionState.RESPOND
                || state == ConnectionState.CLOSEREQ || state == ConnectionState.CLOSING;
    }

    private void sendAckIfOwed(long now) {
        if ((ackOwed || features.hasConfirms()) && canAck()) {
            send(DccpPacketType.ACK, gsr, null, now);
        }
    }

    // ------------------------------------------------------------------ send

    private void sendSync(long ackno, long now, boolean rateLimited) {
        if (rateLimited && !syncLimiter.tryAcquire(now)) {
            drop(DropReason.SYNC_RATE_LIMITED);
            return;
        }
        send(DccpPacketType.SYNC, ackno, null, now);
    }

    private void sendReset(ResetCode code, long ackno, int d1, int d2, int d3, long now) {
        sendResetPacket(code, ackno, d1, d2, d3);
        teardown(code == ResetCode.CLOSED ? null : code);
    }

    private void sendResetPacket(ResetCode code, long ackno, int d1, int d2, int d3) {
        ByteBuffer buf = owner.packetBuffer();
        gss = SequenceNumbers.add(gss, 1);
        writer.wrap(buf, 0, Math.min(buf.capacity(), settings.maxPacketSize())).begin(DccpPacketType.RESET)
                .ports(localPort, remotePort).sequenceNumber(gss).ackNumber(ackno & SequenceNumbers.MAX)
                .reset(code, d1 & 0xFF, d2 & 0xFF, d3 & 0xFF);
        transmit(buf, writer.finish(0));
        updateWindows();
    }

    /** With an Ack Vector: the drops the peer has not yet seen acknowledged (§11.7). */
    private void writeDataDropped(OptionsWriter o, int budget) {
        if (localDrops.isEmpty()) {
            return;
        }
        localDrops.pruneBelow(recorder.lowestSeqno());
        int n = localDrops.encode(gsr, Math.min(budget - o.position() - 2, 253));
        if (n > 0) {
            o.dataDropped(localDrops.blocks(), 0, n);
        }
    }

    /** @return data packets received whose data the owner could not deliver (receive queue full) */
    public long receiveBufferDrops() {
        return localDrops.recorded();
    }

    /** @return data packets the peer reported dropped in its receive buffer, or otherwise undelivered */
    public long peerReceiveBufferDrops() {
        return peerReceiveBufferDrops;
    }

    private void send(DccpPacketType type, long ackno, ByteBuffer payload, long now) {
        ByteBuffer buf = owner.packetBuffer();
        int payloadLength = payload == null ? 0 : payload.remaining();
        gss = SequenceNumbers.add(gss, 1);
        writer.wrap(buf, 0, Math.min(buf.capacity(), settings.maxPacketSize())).begin(type)
                .ports(localPort, remotePort).sequenceNumber(gss);
        if (type.hasAckNumber()) {
            writer.ackNumber(ackno);
        }
        if (type.hasServiceCode()) {
            writer.serviceCode(serviceCode);
        }
        OptionsWriter o = writer.options();
        // header bytes this packet may use: Data Offset limit and the packet size, less padding
        int budget = Math.min(MAX_OPTIONS, settings.maxPacketSize() - payloadLength) - 3;
        if (state == ConnectionState.PARTOPEN && cookieLength > 0 && type.hasAckNumber()) {
            o.initCookie(cookie, 0, cookieLength);
        }
        if (ndpCount > 0 && features.value(FeatureNegotiation.LOCAL, FeatureNumber.SEND_NDP_COUNT) == 1) {
            o.ndpCount(ndpCount & SequenceNumbers.MAX);
        }
        o.timestamp(timestamp(now));
        if (echoValue >= 0) {
            o.timestampEcho(echoValue, Math.max(0, Math.floorDiv(now - echoArrival, 10_000L)));
            echoValue = -1;
        }
        if (type.hasAckNumber() && type != DccpPacketType.RESET && o.position() + features.confirmBytes() <= budget) {
            features.writeConfirms(o);
        }
        if (type != DccpPacketType.DATA && type != DccpPacketType.CLOSE && type != DccpPacketType.CLOSE_REQ
                && o.position() + features.changeBytes() <= budget) {
            features.writeChanges(o);
        }
        boolean vector = false;
        if ((type == DccpPacketType.ACK || type == DccpPacketType.DATA_ACK)
                && features.value(FeatureNegotiation.LOCAL, FeatureNumber.SEND_ACK_VECTOR) == 1
                && ackno == gsr && recorder.started() && recorder.state(gsr) >= 0
                && recorder.state(gsr) != AckVector.NOT_RECEIVED) {
            int maxCells = Math.min(MAX_VECTOR_CELLS, budget - o.position() - 4);
            if (maxCells > 0) {
                int n = recorder.writeCells(gsr, vectorOut, 0, maxCells);
                o.ackVector(0, vectorCells, 0, n);
                vector = true;
                writeDataDropped(o, budget);
            }
        }
        if (type == DccpPacketType.REQUEST) {
            // a listener never answers with more than came in (§18): pay for the Response up front
            while (REQUEST_HEADER + o.length() < DccpListener.REQUEST_LENGTH) {
                o.padding();
            }
        }
        int length = writer.finish(payloadLength);
        if (payloadLength > 0) {
            buf.put(writer.dataOffset(), payload, payload.position(), payloadLength);
        }
        transmit(buf, length);
        boolean isData = type == DccpPacketType.DATA || type == DccpPacketType.DATA_ACK;
        ndpCount = type.isDataPacket() ? 0 : ndpCount + 1;
        if (vector) {
            recorder.onAckVectorSent(gss, gsr);
        }
        if (type.hasAckNumber()) {
            dataSinceAck = 0;
            ackOwed = false;
            ackAt = Long.MAX_VALUE;
        }
        if (type == DccpPacketType.SYNC) {
            syncsSent++;
        } else if (type.hasAckNumber() && ackno == gsr) {
            cc.onAckOfAckSent();
        }
        updateWindows();
        cc.onSent(gss, now, isData);
    }

    private void transmit(ByteBuffer buf, int length) {
        buf.position(0).limit(length);
        owner.transmit(buf, peer);
        packetsSent++;
        lastSent = gss;
    }

    private void drop(DropReason reason) {
        dropped[reason.ordinal()]++;
    }
}
