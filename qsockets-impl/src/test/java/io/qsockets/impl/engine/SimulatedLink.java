package io.qsockets.impl.engine;

import io.qsockets.Engine;
import io.qsockets.EngineConfig;
import io.qsockets.ManualNanoClock;
import io.qsockets.QSockets;
import io.qsockets.ThreadingMode;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

/**
 * Test fixture: an INVOKER engine on a manual clock and a plain loopback receiver. Steps the clock
 * and the engine together, so every departure happens at a known simulated time.
 */
final class SimulatedLink implements AutoCloseable {
    static final long MS = 1_000_000L;

    final ManualNanoClock clock = new ManualNanoClock();
    final Engine engine;
    final DatagramSocket receiver;

    SimulatedLink(long egressBitsPerSecond) throws SocketException {
        engine = QSockets.init(EngineConfig.builder().name("simulated").clock(clock)
                .threadingMode(ThreadingMode.INVOKER).egressRate(egressBitsPerSecond).build());
        receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        receiver.setReceiveBufferSize(4 << 20);
        receiver.setSoTimeout(5_000);
    }

    SimulatedLink() throws SocketException {
        this(0);
    }

    InetSocketAddress receiverAddress() {
        return (InetSocketAddress) receiver.getLocalSocketAddress();
    }

    DatagramPacket packetTo(byte[] payload) {
        return new DatagramPacket(payload, payload.length, receiverAddress());
    }

    /** Sets the clock to {@code nanos} and runs duty cycles until the engine has nothing to do now. */
    void runAt(long nanos) {
        clock.set(nanos);
        while (engine.doWork() > 0) {
            // keep cycling: a batch limit may leave work for the next cycle
        }
    }

    /** Receives {@code n} datagrams (each waits at most the receiver's 5 s timeout). */
    List<byte[]> receive(int n) throws IOException {
        List<byte[]> got = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
            receiver.receive(p);
            got.add(java.util.Arrays.copyOf(p.getData(), p.getLength()));
        }
        return got;
    }

    @Override
    public void close() {
        engine.close();
        receiver.close();
    }
}
