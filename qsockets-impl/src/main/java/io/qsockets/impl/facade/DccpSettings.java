package io.qsockets.impl.facade;

import io.qsockets.impl.dccp.ConnectionSettings;
import io.qsockets.impl.dccp.ccid2.Ccid2Config;
import io.qsockets.impl.dccp.ccid2.Ccid2Control;

/** The DCCP settings of a socket's connections. Stateless. */
final class DccpSettings {
    /** Packets as large as a UDP datagram: an application may send what a DatagramSocket sends. */
    static final int MAX_PACKET = 65_507;
    /** The segment size CCID 2 sizes its initial window by (an Ethernet path). */
    static final int PATH_PACKET = 1_472;

    private DccpSettings() {
    }

    /** @return CCID 2 connections with the RFC's defaults elsewhere */
    static ConnectionSettings forSockets() {
        return ConnectionSettings.builder()
                .maxPacketSize(MAX_PACKET)
                .congestionControl(Ccid2Control.factory(Ccid2Config.builder().maxPacketSize(PATH_PACKET).build()))
                .build();
    }
}
