package io.qsockets.impl.dccp;

import io.qsockets.impl.dccp.wire.FeatureNumber;
import io.qsockets.impl.dccp.wire.OptionCursor;
import io.qsockets.impl.dccp.wire.OptionType;
import io.qsockets.impl.dccp.wire.OptionsWriter;
import io.qsockets.impl.dccp.wire.ResetCode;
import io.qsockets.impl.dccp.wire.SequenceNumbers;

/**
 * Feature negotiation of one connection (RFC 4340 §6): the values of the known features at both
 * locations, the Changes this side keeps sending until confirmed (§6.6.3), the Confirms owed to
 * the peer, and the reordering guards FGSR/FGSS (§6.6.4, connection-wide variant). Engine-thread
 * confined; nothing is allocated after construction.
 */
final class FeatureNegotiation {

    /** Index of a feature located at this endpoint ("L" from our side). */
    static final int LOCAL = 0;
    /** Index of a feature located at the peer. */
    static final int REMOTE = 1;

    private static final int FEATURES = 10;
    private static final int MAX_CONFIRMS = 32;
    private static final byte[] BOOLEANS_0 = {0, 1};
    private static final byte[] BOOLEANS_1 = {1, 0};

    private final boolean server;
    private final long[][] value = new long[2][FEATURES];
    private final boolean[][] changing = new boolean[2][FEATURES];
    private final byte[][][] prefs = new byte[2][FEATURES][];
    private final long localSequenceWindow;
    private final int localAckRatio;

    private final int[] confirmType = new int[MAX_CONFIRMS];
    private final int[] confirmFeature = new int[MAX_CONFIRMS];
    private final long[] confirmValue = new long[MAX_CONFIRMS];
    private final boolean[] confirmEmpty = new boolean[MAX_CONFIRMS];
    private int confirms;

    private long fgsr;
    private boolean fgsrSet;
    private long fgss;
    private boolean sawFeatureOption;

    private ResetCode error;
    private int errorData1;
    private int errorData2;
    private int errorData3;

    FeatureNegotiation(ConnectionSettings s, boolean server) {
        this.server = server;
        this.localSequenceWindow = s.sequenceWindow();
        this.localAckRatio = s.ackRatio();
        for (FeatureNumber f : FeatureNumber.values()) {
            value[LOCAL][f.number()] = f.initialValue();
            value[REMOTE][f.number()] = f.initialValue();
        }
        byte[] ccid = {(byte) s.ccid()};
        prefs[LOCAL][1] = ccid;
        prefs[REMOTE][1] = ccid;
        prefs[LOCAL][2] = BOOLEANS_0;
        prefs[REMOTE][2] = BOOLEANS_0;
        prefs[LOCAL][4] = new byte[] {1};
        prefs[REMOTE][4] = BOOLEANS_0;
        byte[] ackVector = s.sendAckVector() ? BOOLEANS_1 : BOOLEANS_0;
        prefs[LOCAL][6] = ackVector;
        prefs[REMOTE][6] = ackVector;
        byte[] ndp = s.sendNdpCount() ? BOOLEANS_1 : BOOLEANS_0;
        prefs[LOCAL][7] = ndp;
        prefs[REMOTE][7] = ndp;
        prefs[LOCAL][8] = new byte[] {(byte) s.minimumChecksumCoverage()};
        byte[] anyCoverage = new byte[16];
        for (int i = 0; i < 16; i++) {
            anyCoverage[i] = (byte) i;
        }
        prefs[REMOTE][8] = anyCoverage;
        prefs[LOCAL][9] = BOOLEANS_0;
        prefs[REMOTE][9] = BOOLEANS_0;
    }

    /** Opens the negotiations this side starts with (§6.6.1): features whose wanted value differs from the initial one. */
    void startNegotiations(ConnectionSettings s, long iss) {
        fgss = iss;
        changing[LOCAL][FeatureNumber.CCID.number()] = s.ccid() != FeatureNumber.CCID.initialValue();
        changing[REMOTE][FeatureNumber.CCID.number()] = s.ccid() != FeatureNumber.CCID.initialValue();
        changing[LOCAL][FeatureNumber.SEQUENCE_WINDOW.number()] = s.sequenceWindow() != FeatureNumber.SEQUENCE_WINDOW.initialValue();
        changing[LOCAL][FeatureNumber.ACK_RATIO.number()] = s.ackRatio() != FeatureNumber.ACK_RATIO.initialValue();
        changing[LOCAL][FeatureNumber.ECN_INCAPABLE.number()] = true;
        changing[REMOTE][FeatureNumber.SEND_ACK_VECTOR.number()] = s.sendAckVector();
        changing[REMOTE][FeatureNumber.SEND_NDP_COUNT.number()] = s.sendNdpCount();
        changing[LOCAL][FeatureNumber.MINIMUM_CHECKSUM_COVERAGE.number()] = s.minimumChecksumCoverage() != 0;
    }

    /** Sets the reordering guard FGSS: the last packet that carried new Changes (§6.6.4). */
    void setFgss(long seqno) {
        fgss = seqno;
    }

    /** Sets the reordering guard FGSR to ISR - 1 (§6.6.4). */
    void setInitialSequenceReceived(long isr) {
        fgsr = SequenceNumbers.add(isr, -1);
        fgsrSet = true;
    }

    long value(int location, FeatureNumber f) {
        return value[location][f.number()];
    }

    boolean isChanging(int location, FeatureNumber f) {
        return changing[location][f.number()];
    }

    boolean anyChanging() {
        for (int loc = 0; loc < 2; loc++) {
            for (int n = 1; n < FEATURES; n++) {
                if (changing[loc][n]) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean hasConfirms() {
        return confirms > 0;
    }

    /** For Init Cookies: the packed state (values and changing marks). */
    int pack(byte[] dst, int at) {
        for (int loc = 0; loc < 2; loc++) {
            for (FeatureNumber f : FeatureNumber.values()) {
                at = putN(dst, at, value[loc][f.number()], f.valueLength());
            }
        }
        int mask = 0;
        for (int loc = 0; loc < 2; loc++) {
            for (int n = 1; n < FEATURES; n++) {
                if (changing[loc][n]) {
                    mask |= 1 << (loc * FEATURES + n);
                }
            }
        }
        return putN(dst, at, mask, 4);
    }

    /** Size in bytes of {@link #pack}. */
    static int packedLength() {
        int n = 4;
        for (FeatureNumber f : FeatureNumber.values()) {
            n += 2 * f.valueLength();
        }
        return n;
    }

    /** Restores {@link #pack}ed state; false if a value is invalid. */
    boolean unpack(byte[] src, int at) {
        for (int loc = 0; loc < 2; loc++) {
            for (FeatureNumber f : FeatureNumber.values()) {
                long v = getN(src, at, f.valueLength());
                if (!f.isValidValue(v)) {
                    return false;
                }
                value[loc][f.number()] = v;
                at += f.valueLength();
            }
        }
        int mask = (int) getN(src, at, 4);
        for (int loc = 0; loc < 2; loc++) {
            for (int n = 1; n < FEATURES; n++) {
                changing[loc][n] = (mask & (1 << (loc * FEATURES + n))) != 0;
            }
        }
        return true;
    }

    /** Writes the low {@code n} bytes of {@code v} big-endian at {@code dst[at]}; returns the index after them. */
    static int putN(byte[] dst, int at, long v, int n) {
        for (int k = n - 1; k >= 0; k--) {
            dst[at + k] = (byte) v;
            v >>>= 8;
        }
        return at + n;
    }

    /** Reads {@code n} bytes big-endian from {@code src[at]}. */
    static long getN(byte[] src, int at, int n) {
        long v = 0;
        for (int k = 0; k < n; k++) {
            v = v << 8 | (src[at + k] & 0xFF);
        }
        return v;
    }

    /** Writes every Change still unconfirmed (§6.6.3); not on DCCP-Data. */
    void writeChanges(OptionsWriter w) {
        for (FeatureNumber f : FeatureNumber.values()) {
            int n = f.number();
            if (changing[LOCAL][n]) {
                if (f.isServerPriority()) {
                    w.changeL(f, prefs[LOCAL][n]);
                } else {
                    w.changeL(f, f == FeatureNumber.SEQUENCE_WINDOW ? localSequenceWindow : localAckRatio);
                }
            }
            if (changing[REMOTE][n] && f.isServerPriority()) {
                w.changeR(f, prefs[REMOTE][n]);
            }
        }
    }

    /** Bytes {@link #writeChanges} needs at most. */
    int changeBytes() {
        int n = 0;
        for (int loc = 0; loc < 2; loc++) {
            for (int f = 1; f < FEATURES; f++) {
                if (changing[loc][f]) {
                    n += 3 + (prefs[loc][f] == null || f == 3 || f == 5 ? 6 : prefs[loc][f].length);
                }
            }
        }
        return n;
    }

    /** Bytes {@link #writeConfirms} needs at most. */
    int confirmBytes() {
        int n = 0;
        for (int i = 0; i < confirms; i++) {
            byte[] p = confirmFeature[i] < FEATURES ? prefs[confirmType[i] == OptionType.CONFIRM_L ? LOCAL : REMOTE][confirmFeature[i]] : null;
            n += 3 + (confirmEmpty[i] ? 0 : 7 + (p == null ? 0 : p.length));
        }
        return n;
    }

    /** Writes the Confirms owed (each once, §6.6.3) and forgets them; only on packets with an Acknowledgement Number. */
    void writeConfirms(OptionsWriter w) {
        for (int i = 0; i < confirms; i++) {
            int type = confirmType[i];
            int number = confirmFeature[i];
            if (confirmEmpty[i]) {
                w.featureOption(type, number, null, 0, 0);
                continue;
            }
            FeatureNumber f = FeatureNumber.fromNumber(number);
            int loc = type == OptionType.CONFIRM_L ? LOCAL : REMOTE;
            if (f.isServerPriority()) {
                if (type == OptionType.CONFIRM_L) {
                    w.confirmL(f, (int) confirmValue[i], prefs[loc][number]);
                } else {
                    w.confirmR(f, (int) confirmValue[i], prefs[loc][number]);
                }
            } else {
                w.confirmR(f, confirmValue[i]);
            }
        }
        confirms = 0;
    }

    /** Call before the options of one packet. */
    void beginPacket() {
        sawFeatureOption = false;
        error = null;
    }

    /** Call after the options of one valid packet: advances FGSR. */
    void endPacket(long seqno) {
        if (sawFeatureOption && (!fgsrSet || SequenceNumbers.after(seqno, fgsr))) {
            fgsr = seqno;
            fgsrSet = true;
        }
    }

    /**
     * Processes the current Change/Confirm option of {@code c} on a packet with {@code seqno} and
     * {@code ackno} (-1 if none), following the pseudocode of §6.6.2.
     *
     * @return false if the connection must be reset: see {@link #error()}
     */
    boolean process(OptionCursor c, long seqno, long ackno) {
        int type = c.type();
        boolean mandatory = c.isMandatory();
        int number = c.bodyLength() >= 1 ? c.buffer().get(c.bodyOffset()) & 0xFF : -1;
        boolean change = OptionType.isChange(type);
        if (number < 0) {
            return !mandatory || fail(ResetCode.MANDATORY_ERROR, c);
        }
        FeatureNumber f = FeatureNumber.fromNumber(number);
        int loc = type == OptionType.CHANGE_L || type == OptionType.CONFIRM_L ? REMOTE : LOCAL;
        int reply = replyType(type);
        if (f == null) {
            if (mandatory) {
                return fail(ResetCode.MANDATORY_ERROR, c);
            }
            if (change) {
                queueConfirm(reply, number, 0, true);
            }
            return true;
        }
        if (fgsrSet && !SequenceNumbers.after(seqno, fgsr)) {
            return true;
        }
        if (!change && (ackno < 0 || SequenceNumbers.before(ackno, fgss))) {
            return true;
        }
        sawFeatureOption = true;
        boolean valid = c.isValidFeatureOption();
        if (change) {
            if (!valid) {
                if (mandatory) {
                    return fail(ResetCode.MANDATORY_ERROR, c);
                }
                queueConfirm(reply, number, 0, true);
                return true;
            }
            long v;
            if (f.isServerPriority()) {
                v = reconcile(prefs[loc][number], c, 0);
                if (v < 0) {
                    if (mandatory) {
                        return fail(ResetCode.MANDATORY_ERROR, c);
                    }
                    v = value[loc][number];
                }
            } else {
                v = c.featureValue(0);
            }
            value[loc][number] = v;
            changing[loc][number] = false;
            queueConfirm(reply, number, v, false);
            return true;
        }
        if (!changing[loc][number]) {
            return true;
        }
        if (c.isEmptyConfirm()) {
            changing[loc][number] = false;
            return !f.isRequired() || fail(ResetCode.OPTION_ERROR, c);
        }
        if (!valid) {
            return fail(ResetCode.OPTION_ERROR, c);
        }
        long selected = c.featureValue(0);
        if (f.isServerPriority()) {
            long expected = reconcile(prefs[loc][number], c, 1);
            if (expected < 0) {
                expected = value[loc][number];
            }
            if (selected != expected) {
                return fail(ResetCode.OPTION_ERROR, c);
            }
        } else if (selected != (f == FeatureNumber.SEQUENCE_WINDOW ? localSequenceWindow : localAckRatio)) {
            return fail(ResetCode.OPTION_ERROR, c);
        }
        value[loc][number] = selected;
        changing[loc][number] = false;
        return true;
    }

    /**
     * Server-priority reconciliation (§6.3.1): the first entry of the server's list that the
     * client's list also holds; -1 if none.
     */
    private long reconcile(byte[] ours, OptionCursor c, int firstTheirs) {
        int count = c.featureValueCount();
        if (server) {
            for (byte b : ours) {
                for (int i = firstTheirs; i < count; i++) {
                    if (c.featureValue(i) == (b & 0xFF)) {
                        return b & 0xFF;
                    }
                }
            }
        } else {
            for (int i = firstTheirs; i < count; i++) {
                long v = c.featureValue(i);
                for (byte b : ours) {
                    if (v == (b & 0xFF)) {
                        return v;
                    }
                }
            }
        }
        return -1;
    }

    private static int replyType(int type) {
        switch (type) {
            case OptionType.CHANGE_L:
                return OptionType.CONFIRM_R;
            case OptionType.CHANGE_R:
                return OptionType.CONFIRM_L;
            default:
                return -1;
        }
    }

    private void queueConfirm(int type, int number, long v, boolean empty) {
        for (int i = 0; i < confirms; i++) {
            if (confirmType[i] == type && confirmFeature[i] == number) {
                confirmValue[i] = v;
                confirmEmpty[i] = empty;
                return;
            }
        }
        if (confirms == MAX_CONFIRMS) {
            return;
        }
        confirmType[confirms] = type;
        confirmFeature[confirms] = number;
        confirmValue[confirms] = v;
        confirmEmpty[confirms] = empty;
        confirms++;
    }

    private boolean fail(ResetCode code, OptionCursor c) {
        error = code;
        errorData1 = c.type();
        errorData2 = c.bodyLength() >= 1 ? c.buffer().get(c.bodyOffset()) & 0xFF : 0;
        errorData3 = c.bodyLength() >= 2 ? c.buffer().get(c.bodyOffset() + 1) & 0xFF : 0;
        return false;
    }

    ResetCode error() {
        return error;
    }

    int errorData1() {
        return errorData1;
    }

    int errorData2() {
        return errorData2;
    }

    int errorData3() {
        return errorData3;
    }
}
