package io.qsockets.examples.demo;

import io.qsockets.Engine;
import io.qsockets.EngineConfig;
import io.qsockets.QSocket;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.impl.rtc.Rtc;
import io.qsockets.linkemu.LinkProfile;
import io.qsockets.linkemu.UdpLinkEmulator;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * One experiment's host and network on loopback: a link emulator (the bottleneck: its rate, a
 * propagation delay and a tail-drop queue), one engine whose egress rate is the link's capacity
 * (the device queue every stream of the host goes through, as the papers' root qdisc), and the
 * RTC the stream emulators share. Not thread-safe; closed by the experiment that made it.
 */
final class Testbed implements Bed {
    /** The engine sends at this share of the link rate, so the link's own queue stays short. */
    static final double EGRESS_SHARE = 0.95;
    static final int IP_UDP_HEADERS = 28;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** Makes loopback testbeds. */
    static final Bed.Factory FACTORY = (name, scheduler, settings) -> start(name, scheduler,
            settings.linkBitsPerSecond(), settings.delay(), settings.seed());

    private final UdpLinkEmulator link;
    private final Engine engine;
    private final Rtc rtc;

    private Testbed(UdpLinkEmulator link, Engine engine, Rtc rtc) {
        this.link = link;
        this.engine = engine;
        this.rtc = rtc;
    }

    /**
     * @param name names the engine and RTC threads
     * @param scheduler the engine's discipline: "dwcs", "edf" or "fifo"
     * @param linkBitsPerSecond the bottleneck's rate
     * @param delay the one-way propagation delay
     * @param seed the link's random seed
     */
    static Testbed start(String name, String scheduler, long linkBitsPerSecond, Duration delay, long seed)
            throws IOException {
        LinkProfile forward = LinkProfile.builder().rateBitsPerSecond(linkBitsPerSecond).overheadBytes(IP_UDP_HEADERS)
                .delay(delay).queueLimitPackets(100).seed(seed).build();
        LinkProfile back = LinkProfile.builder().delay(delay).seed(seed + 1).build();
        UdpLinkEmulator link = UdpLinkEmulator.builder().aToB(forward).bToA(back).socketBufferBytes(4 << 20).start();
        Engine engine = null;
        try {
            engine = QSockets.init(EngineConfig.builder().name(name + "-engine").scheduler(scheduler)
                    .egressRate(Math.round(linkBitsPerSecond * EGRESS_SHARE)).build());
            return new Testbed(link, engine, Rtc.start(name + "-rtc"));
        } catch (RuntimeException e) {
            if (engine != null) {
                engine.close();
            }
            link.close();
            throw e;
        }
    }

    @Override
    public QosParams.Builder params() {
        return QosParams.builder().engine(engine);
    }

    @Override
    public Rtc rtc() {
        return rtc;
    }

    @Override
    public DatagramSocket receiver() throws IOException {
        return receiverAt(new InetSocketAddress(LOOPBACK, 0));
    }

    /** @return a plain receiving socket bound to {@code address}, with a large buffer and a short timeout */
    static DatagramSocket receiverAt(InetSocketAddress address) throws IOException {
        DatagramSocket s = new DatagramSocket(address);
        s.setReceiveBufferSize(4 << 20);
        s.setSoTimeout(50);
        return s;
    }

    @Override
    public QSocket managed(QosParams params) throws IOException {
        return new QSocket(loopbackAnyPort(), params);
    }

    /** Attached to the engine with no QoS: the engine is the device queue every datagram goes through. */
    @Override
    public DatagramSocket unmanaged(QosParams params) throws IOException {
        return QSockets.attach(new DatagramSocket(loopbackAnyPort()), params);
    }

    @Override
    public Perturbation perturbation(DemoSettings settings) throws IOException {
        return new BulkTransfer(this, settings.bulkBacklog());
    }

    /** @return an unbound-port loopback address for senders */
    static InetSocketAddress loopbackAnyPort() {
        return new InetSocketAddress(LOOPBACK, 0);
    }

    /** Joins a sender to a receiver through the bottleneck. */
    @Override
    public InetSocketAddress route(DatagramSocket from, DatagramSocket to) throws IOException {
        return link.addRoute((InetSocketAddress) from.getLocalSocketAddress(),
                (InetSocketAddress) to.getLocalSocketAddress()).relayForA();
    }

    UdpLinkEmulator link() {
        return link;
    }

    @Override
    public void close() {
        rtc.close();
        engine.close();
        link.close();
    }
}
