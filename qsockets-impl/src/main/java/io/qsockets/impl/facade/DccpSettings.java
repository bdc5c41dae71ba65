package io.qsockets.impl.facade;

import io.qsockets.CongestionControl;
import io.qsockets.impl.dccp.ConnectionSettings;
import io.qsockets.impl.dccp.UnlimitedCongestionControl;
import io.qsockets.impl.dccp.ccid2.Ccid2Config;
import io.qsockets.impl.dccp.ccid2.Ccid2Control;

/** The DCCP settings of a socket's connections. Stateless. */
final class DccpSettings {
    /** The segment size CCID 2 sizes its initial window by (an Ethernet path). */
    static final int PATH_PACKET = 1_472;
    /**
     * Sequence Window (RFC 4340 §7.5.2): at least several times the packets in flight, or the
     * acknowledgements of a fast connection fall outside the window and are dropped.
     */
    static final int SEQUENCE_WINDOW = 10_000;
    /**
     * The Service Code of qsockets connections: "?QSK", from the private range RFC 5595 §2.3 sets
     * aside ('?' as the high byte), since applications SHOULD NOT use 0 (§2.4). A listener accepts
     * only Requests that carry it.
     */
    static final int SERVICE_CODE = 0x3F51_534B;
    /** Receive buffer asked for a DCCP socket (the kernel caps it at net.core.rmem_max). */
    static final int RECEIVE_BUFFER = 4 << 20;

    private DccpSettings() {
    }

    /** @return CCID 2 connections with the RFC's defaults elsewhere */
    static ConnectionSettings forSockets() {
        return forSockets(CongestionControl.CCID2);
    }

    /** @return connections with {@code cc} and the RFC's defaults elsewhere */
    static ConnectionSettings forSockets(CongestionControl cc) {
        return forSockets(cc, io.qsockets.QosParams.DEFAULT_CONNECT_TIMEOUT);
    }

    /** @return the connections a socket with {@code params} makes */
    static ConnectionSettings forSockets(io.qsockets.QosParams params) {
        return builder(params.congestionControl(), params.connectTimeout())
                .maxPacketSize(params.maxPacketSize())
                .keepAlive(params.keepAlive())
                .idleTimeout(params.peerIdleTimeout())
                .build();
    }

    /**
     * @param connectTimeout how long Requests are retried before the connection is given up
     * @return connections with {@code cc} and the RFC's defaults elsewhere
     */
    static ConnectionSettings forSockets(CongestionControl cc, java.time.Duration connectTimeout) {
        return builder(cc, connectTimeout).build();
    }

    private static ConnectionSettings.Builder builder(CongestionControl cc, java.time.Duration connectTimeout) {
        return ConnectionSettings.builder()
                .serviceCode(SERVICE_CODE)
                .requestGiveUp(connectTimeout)
                .maxPacketSize(io.qsockets.QosParams.DEFAULT_MAX_PACKET_SIZE)
                .sequenceWindow(SEQUENCE_WINDOW)
                .congestionControl(switch (cc) {
                    case CCID2 -> Ccid2Control.factory(Ccid2Config.builder().maxPacketSize(PATH_PACKET).build());
                    case NONE -> UnlimitedCongestionControl::new;
                });
    }
}
