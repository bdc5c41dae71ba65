package io.qsockets.impl.dccp;

import io.qsockets.impl.dccp.wire.DccpHeader;
import io.qsockets.impl.dccp.wire.DccpHeaderWriter;
import io.qsockets.impl.dccp.wire.DccpPacketType;
import io.qsockets.impl.dccp.wire.OptionCursor;
import io.qsockets.impl.dccp.wire.OptionStatus;
import io.qsockets.impl.dccp.wire.OptionType;
import io.qsockets.impl.dccp.wire.OptionsWriter;
import io.qsockets.impl.dccp.wire.ResetCode;
import io.qsockets.impl.dccp.wire.SequenceNumbers;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The LISTEN state of one local port (RFC 4340 §8.5 Steps 2 and 3) for packets that match no
 * connection. It keeps no state per Request: each Request is answered with a Response carrying an
 * {@link InitCookie} (§8.1.4) that holds the sequence numbers and negotiated features, and the
 * {@link DccpConnection} is created only when an Ack or DataAck comes back with a valid cookie.
 * Anything else gets Reset(No Connection), or Reset(Bad Init Cookie) for a cookie that does not
 * verify; Resets are never answered and are rate-limited
 * ({@link ConnectionSettings#resetsPerSecond()}).
 *
 * <p>Nothing it sends can amplify a spoofed packet (§18): every packet it answers brings in its
 * length as credit, and a Response or Reset leaves only if the credit covers its length. A
 * {@link DccpConnection} pads its Requests to {@link #REQUEST_LENGTH} bytes, more than a Response
 * takes, so a real client is always answered; a minimal Request from elsewhere is answered once
 * enough of them came in.
 *
 * <p>A listener with a non-zero {@link ConnectionSettings#serviceCode()} answers Requests for
 * other Service Codes with Reset(Bad Service Code) (§8.1.2). Engine-thread confined.
 */
public final class DccpListener {
    /**
     * The length a client pads its Request to: more than the listener's Response (140 bytes with
     * this stack's options), so that answering it never sends more than came in.
     */
    public static final int REQUEST_LENGTH = 200;
    /** Most credit that answered packets may bank, in bytes. */
    static final long MAX_CREDIT = 65_536;
    /** The longest stateless Reset this listener sends. */
    private static final int RESET_LENGTH = 28;

    private final ConnectionSettings settings;
    private final int localPort;
    private final ConnectionOwner owner;
    private final RandomGenerator rng;
    private final InitCookie cookies;
    private final DccpHeaderWriter writer = new DccpHeaderWriter();
    private final OptionCursor cursor = new OptionCursor();
    private final RateLimiter resetLimiter;
    private final byte[] cookie = new byte[InitCookie.LENGTH];

    private long responses;
    private long resets;
    private long resetsSuppressed;
    private long badCookies;
    private long accepted;
    /** Bytes of packets to answer that answers have not yet spent. */
    private long credit;
    private long unanswered;

    /**
     * @param rng draws ISSs and cookie keys; use a cryptographically strong one outside tests
     *     (RFC 4340 §7.5.5)
     */
    public DccpListener(ConnectionSettings s, int localPort, ConnectionOwner owner, RandomGenerator rng) {
        this.settings = Objects.requireNonNull(s, "settings");
        if (localPort < 0 || localPort > 0xFFFF) {
            throw new IllegalArgumentException("localPort must be in [0, 65535], was " + localPort);
        }
        this.localPort = localPort;
        this.owner = Objects.requireNonNull(owner, "owner");
        this.rng = Objects.requireNonNull(rng, "rng");
        this.cookies = new InitCookie(rng, s.cookieLifetimeNanos());
        this.resetLimiter = new RateLimiter(s.resetsPerSecond());
    }

    /**
     * Handles a validated packet to this port that matched no connection. Over UDP the DCCP ports
     * need not be the UDP ports (RFC 6773 §3.8: a NAPT may translate the UDP ones), so the
     * listener answers as the DCCP port the packet was addressed to.
     *
     * @return the connection the packet completed (already OPEN; the owner heard
     *     {@link ConnectionOwner#opened}), or {@code null}
     */
    public DccpConnection onPacket(DccpHeader p, InetSocketAddress from, long now) {
        DccpConnection c = accept(p, from, now);
        if (c != null) {
            c.receive(p, now);
        }
        return c;
    }

    /**
     * As {@link #onPacket}, but a packet that completes a handshake is left for the caller: the
     * connection is returned in RESPOND before it has seen the packet, so that the caller can
     * register it first and then pass it the packet. A DataAck that carries the Init Cookie (the
     * client's Ack was lost) then delivers its data to a connection its owner knows (§8.5 Step 16).
     *
     * @return the connection the packet completes, not yet given the packet, or {@code null}
     */
    public DccpConnection accept(DccpHeader p, InetSocketAddress from, long now) {
        credit = Math.min(MAX_CREDIT, credit + p.packetLength());
        DccpPacketType type = p.type();
        if (type == DccpPacketType.REQUEST) {
            answerRequest(p, from, now);
            return null;
        }
        if ((type == DccpPacketType.ACK || type == DccpPacketType.DATA_ACK) && p.hasExtendedSeqnos()) {
            int at = findCookie(p);
            if (at >= 0) {
                DccpConnection c = null;
                if (cookies.verify(p.buffer(), at, cursor.bodyLength(), from, p.destinationPort(), p.sourcePort(), now)
                        && p.ackNumber() == cookies.iss()) {
                    c = DccpConnection.respond(settings, from, p.destinationPort(), p.sourcePort(), owner, cookies, now);
                }
                if (c == null) {
                    badCookies++;
                    reset(p, from, ResetCode.BAD_INIT_COOKIE, now);
                    return null;
                }
                accepted++;
                return c;
            }
        }
        if (type != DccpPacketType.RESET) {
            reset(p, from, ResetCode.NO_CONNECTION, now);
        }
        return null;
    }

    /** @return whether {@code p} carries an Init Cookie (only a client completing a handshake sends one) */
    public boolean carriesCookie(DccpHeader p) {
        return findCookie(p) >= 0;
    }

    private int findCookie(DccpHeader p) {
        cursor.reset(p);
        for (OptionStatus s = cursor.next(); s == OptionStatus.OPTION; s = cursor.next()) {
            if (cursor.type() == OptionType.INIT_COOKIE && cursor.hasValidLength()) {
                return cursor.bodyOffset();
            }
        }
        return -1;
    }

    private void answerRequest(DccpHeader p, InetSocketAddress from, long now) {
        // RFC 4340 §19.8, RFC 5595 §2.5: 4294967295 is invalid and never accepted
        if (p.serviceCode() == ConnectionSettings.INVALID_SERVICE_CODE
                || settings.serviceCode() != 0 && p.serviceCode() != settings.serviceCode()) {
            reset(p, from, ResetCode.BAD_SERVICE_CODE, now);
            return;
        }
        long isr = p.sequenceNumber();
        long iss = rng.nextLong() & SequenceNumbers.MAX;
        FeatureNegotiation features = new FeatureNegotiation(settings, true);
        features.startNegotiations(settings, iss);
        features.setInitialSequenceReceived(isr);
        long echo = -1;
        cursor.reset(p);
        for (OptionStatus s = cursor.next(); s != OptionStatus.END; s = cursor.next()) {
            if (s != OptionStatus.OPTION) {
                if (s != OptionStatus.BAD_LENGTH || cursor.isMandatory()) {
                    reset(p, from, ResetCode.OPTION_ERROR, now);
                    return;
                }
                break;
            }
            int t = cursor.type();
            if (OptionType.isFeatureNegotiation(t)) {
                if (!features.process(cursor, isr, -1)) {
                    reset(p, from, features.error(), now);
                    return;
                }
            } else if (t == OptionType.TIMESTAMP && cursor.hasValidLength()) {
                echo = cursor.timestamp();
            } else if (cursor.isMandatory() && (!OptionType.isKnown(t) || !cursor.hasValidLength()
                    || !OptionType.isAllowedOn(t, DccpPacketType.REQUEST))) {
                reset(p, from, ResetCode.MANDATORY_ERROR, now);
                return;
            }
        }
        cookies.write(cookie, iss, isr, p.serviceCode(), features, from, p.destinationPort(), p.sourcePort(), now);
        ByteBuffer buf = owner.packetBuffer();
        writer.wrap(buf, 0, Math.min(buf.capacity(), settings.maxPacketSize())).begin(DccpPacketType.RESPONSE)
                .ports(p.destinationPort(), p.sourcePort()).sequenceNumber(iss).ackNumber(isr).serviceCode(p.serviceCode());
        OptionsWriter o = writer.options();
        features.writeConfirms(o);
        features.writeChanges(o);
        o.initCookie(cookie, 0, cookie.length);
        o.timestamp(Math.floorDiv(now, 10_000L) & 0xFFFF_FFFFL);
        if (echo >= 0) {
            o.timestampEcho(echo);
        }
        int length = writer.finish(0);
        if (length > credit) {
            unanswered++; // more than came in: a spoofed Request must not buy a larger answer
            return;
        }
        credit -= length;
        buf.position(0).limit(length);
        owner.transmit(buf, from);
        responses++;
    }

    private void reset(DccpHeader p, InetSocketAddress to, ResetCode code, long now) {
        if (credit < RESET_LENGTH || !resetLimiter.tryAcquire(now)) {
            resetsSuppressed++;
            return;
        }
        credit -= RESET_LENGTH;
        StatelessReset.send(writer, owner, p, to, code);
        resets++;
    }

    /** The local port. */
    public int localPort() {
        return localPort;
    }

    /** Responses sent (one per Request accepted). */
    public long responsesSent() {
        return responses;
    }

    /** Resets sent. */
    public long resetsSent() {
        return resets;
    }

    /** Requests left unanswered because the Response would have been larger than what came in. */
    public long unanswered() {
        return unanswered;
    }

    /** Resets the rate limit (or the credit) suppressed. */
    public long resetsSuppressed() {
        return resetsSuppressed;
    }

    /** Acks whose Init Cookie did not verify (forged, expired, or for another peer). */
    public long badCookies() {
        return badCookies;
    }

    /** Connections created from a valid cookie. */
    public long accepted() {
        return accepted;
    }
}
