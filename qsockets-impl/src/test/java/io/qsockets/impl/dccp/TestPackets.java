package io.qsockets.impl.dccp;

import io.qsockets.impl.dccp.wire.DccpHeaderWriter;
import io.qsockets.impl.dccp.wire.DccpPacketType;
import io.qsockets.impl.dccp.wire.OptionsWriter;
import io.qsockets.impl.dccp.wire.ResetCode;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** Builds packets with the wire writer for injection in tests. */
final class TestPackets {

    private TestPackets() {
    }

    static ByteBuffer build(DccpPacketType type, boolean shortSeqnos, Endpoint from, Endpoint to, long seqno, long ackno,
            int serviceCode, Consumer<OptionsWriter> options) {
        ByteBuffer b = ByteBuffer.allocate(1500);
        DccpHeaderWriter w = new DccpHeaderWriter().wrap(b, 0, b.capacity()).begin(type, shortSeqnos)
                .ports(from.port, to.port).sequenceNumber(seqno);
        if (type.hasAckNumber()) {
            w.ackNumber(ackno);
        }
        if (type.hasServiceCode()) {
            w.serviceCode(serviceCode);
        }
        if (type == DccpPacketType.RESET) {
            w.reset(ResetCode.CLOSED, 0, 0, 0);
        }
        if (options != null) {
            options.accept(w.options());
        }
        if (type == DccpPacketType.REQUEST) {
            // as this stack's clients do: a listener answers only what pays for its Response (§18)
            while (20 + w.options().length() < DccpListener.REQUEST_LENGTH) {
                w.options().padding();
            }
        }
        int len = w.finish(0);
        b.position(0).limit(len);
        return b;
    }

    static ByteBuffer build(DccpPacketType type, Endpoint from, Endpoint to, long seqno, long ackno) {
        return build(type, false, from, to, seqno, ackno, 0, null);
    }
}
