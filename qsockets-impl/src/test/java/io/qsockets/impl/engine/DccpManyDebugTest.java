package io.qsockets.impl.engine;

import io.qsockets.*;
import io.qsockets.impl.dccp.DccpConnection;
import java.net.*;
import java.util.*;
import org.junit.jupiter.api.Test;

class DccpManyDebugTest {
    @Test
    void many() throws Exception {
        ManualNanoClock clock = new ManualNanoClock();
        DutyCycleEngine engine = (DutyCycleEngine) QSockets.init(EngineConfig.builder().name("many").clock(clock)
                .threadingMode(ThreadingMode.INVOKER).build());
        QosParams params = QosParams.builder().engine(engine).transport(Transport.DCCP).build();
        QSocket server = new QSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), params);
        server.setSoTimeout(1);
        List<QSocket> clients = new ArrayList<>();
        for (int i = 0; i < 200; i++) clients.add(new QSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), params));
        for (QSocket c : clients) c.send(new DatagramPacket(new byte[32], 32, server.getLocalSocketAddress()));
        int got = 0;
        for (int k = 0; k < 2000; k++) {
            engine.doWork();
            try { while (true) { server.receive(new DatagramPacket(new byte[64], 64)); got++; } } catch (SocketTimeoutException e) { }
        }
        System.err.println("DBG got " + got);
        Endpoint es = engine.endpointFor(server.getLocalPort());
        System.err.println("DBG server conns " + es.dccp().connections().size() + " malformed " + es.dccp().malformed() + " txfail " + es.dccp().transmitFailures());
        var l = es.dccp().listener(); System.err.println("DBG listener responses " + l.responsesSent() + " resets " + l.resetsSent() + " suppressed " + l.resetsSuppressed() + " badCookies " + l.badCookies() + " accepted " + l.accepted());
        Map<Object, Integer> states = new TreeMap<>();
        long clientTx = 0;
        for (QSocket c : clients) { Endpoint e = engine.endpointFor(c.getLocalPort()); clientTx += e.dccp().transmitFailures(); for (DccpConnection dc : e.dccp().connections()) states.merge(dc.state().toString(), 1, Integer::sum); }
        System.err.println("DBG client states " + states + " clientTxFail " + clientTx);
        engine.close();
    }
}
