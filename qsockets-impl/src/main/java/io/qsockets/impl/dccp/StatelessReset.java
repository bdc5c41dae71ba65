package io.qsockets.impl.dccp;

import io.qsockets.impl.dccp.wire.DccpHeader;
import io.qsockets.impl.dccp.wire.DccpHeaderWriter;
import io.qsockets.impl.dccp.wire.DccpPacketType;
import io.qsockets.impl.dccp.wire.ResetCode;
import io.qsockets.impl.dccp.wire.SequenceNumbers;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The Reset sent where no sequence variables exist (CLOSED, LISTEN, TIMEWAIT): its numbers are
 * taken from the received packet as RFC 4340 §8.3.1 says.
 */
final class StatelessReset {

    private StatelessReset() {
    }

    /** Sends the Reset answering {@code p}; the caller checked that {@code p} is not a Reset. */
    static void send(DccpHeaderWriter w, ConnectionOwner owner, DccpHeader p, InetSocketAddress to, ResetCode code) {
        long seqno = p.hasAckNumber() ? SequenceNumbers.add(p.ackNumber(), 1) : 0;
        long ackno = p.sequenceNumber();
        if (!p.hasExtendedSeqnos()) {
            seqno &= SequenceNumbers.SHORT_MASK;
            ackno &= SequenceNumbers.SHORT_MASK;
        }
        ByteBuffer buf = owner.packetBuffer();
        w.wrap(buf, 0, buf.capacity()).begin(DccpPacketType.RESET)
                .ports(p.destinationPort(), p.sourcePort())
                .sequenceNumber(seqno).ackNumber(ackno).reset(code, 0, 0, 0);
        int length = w.finish(0);
        buf.position(0).limit(length);
        owner.transmit(buf, to);
    }
}
