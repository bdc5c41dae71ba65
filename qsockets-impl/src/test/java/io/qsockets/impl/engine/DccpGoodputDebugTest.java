package io.qsockets.impl.engine;

import io.qsockets.*;
import io.qsockets.impl.dccp.DccpConnection;
import java.net.*;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DccpGoodputDebugTest {
    @Test
    void flood() throws Exception {
        DutyCycleEngine engine = (DutyCycleEngine) QSockets.init(EngineConfig.builder().name("gp").build());
        QosParams params = QosParams.builder().engine(engine).transport(Transport.DCCP).build();
        QSocket rx = new QSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), params);
        QSocket tx = new QSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), params);
        AtomicLong got = new AtomicLong();
        Thread t = new Thread(() -> { DatagramPacket p = new DatagramPacket(new byte[2000], 2000); try { while (true) { rx.receive(p); got.incrementAndGet(); } } catch (Exception e) { } });
        t.start();
        DatagramPacket out = new DatagramPacket(new byte[1400], 1400, rx.getLocalSocketAddress());
        long end = System.nanoTime() + 2_000_000_000L;
        long n = 0;
        while (System.nanoTime() < end) { tx.send(out); n++; }
        CountDownLatchHolder.print(engine, tx, rx, got.get(), n);
        tx.close(); rx.close(); engine.close();
    }

    static final class CountDownLatchHolder {
        static void print(DutyCycleEngine engine, QSocket tx, QSocket rx, long got, long n) throws Exception {
            java.util.concurrent.CompletableFuture<String> f = new java.util.concurrent.CompletableFuture<>();
            engine.execute(() -> {
                StringBuilder sb = new StringBuilder();
                for (DccpConnection c : engine.endpointFor(tx.getLocalPort()).dccp().connections()) sb.append("TX ").append(c.stats()).append('\n');
                for (DccpConnection c : engine.endpointFor(rx.getLocalPort()).dccp().connections()) sb.append("RX ").append(c.stats()).append('\n');
                sb.append("rx malformed ").append(engine.endpointFor(rx.getLocalPort()).dccp().malformed());
                sb.append(" tx txfail ").append(engine.endpointFor(tx.getLocalPort()).dccp().transmitFailures());
                sb.append(" rx txfail ").append(engine.endpointFor(rx.getLocalPort()).dccp().transmitFailures());
                sb.append(" rx inbox dropped ").append(engine.endpointFor(rx.getLocalPort()).inbox().dropped());
                f.complete(sb.toString());
            });
            System.err.println("DBG sent " + n + " got " + got + "\n" + f.get());
        }
    }
}
