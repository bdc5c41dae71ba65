package io.qsockets.examples.demo;

import io.qsockets.Engine;
import io.qsockets.EngineConfig;
import io.qsockets.KernelOffload;
import io.qsockets.QSocket;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.examples.kernel.NetworkNamespace;
import io.qsockets.impl.rtc.Rtc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A run on the kernel path: two network namespaces, a sending host and a receiving host, joined
 * by a veth pair. The engine of the sending host offloads its scheduling to the kernel: an HTB
 * root on the sending end of the veth shapes the link to the bottleneck rate, each managed socket
 * gets its own class (selected by {@code SO_PRIORITY}) ahead of the default class; the engine
 * still schedules its sockets among themselves at 95 % of the link (so EDF knows when a reading
 * can no longer arrive in time). Everything else, the unmanaged stream
 * and the perturbation (a bulk TCP flow, unrelated to the engine), shares the default class and
 * its 64-packet queue. GSO is limited to one segment on the sending end, so TCP hands HTB
 * ordinary packets. Needs root; {@link #close()} deletes both namespaces.
 */
final class KernelBed implements Bed {
    /** Packets the sending device (and so the HTB default class) queues. */
    static final int DEVICE_QUEUE = 64;
    private static final AtomicInteger RUNS = new AtomicInteger();

    /** Makes kernel beds. */
    static final Bed.Factory FACTORY = KernelBed::start;

    private final NetworkNamespace sender;
    private final NetworkNamespace receiver;
    private final String senderAddress;
    private final String receiverAddress;
    private final Engine engine;
    private final Rtc rtc;
    private final Thread cleanup;

    private KernelBed(NetworkNamespace sender, NetworkNamespace receiver, String senderAddress, String receiverAddress,
            Engine engine, Rtc rtc) {
        this.sender = sender;
        this.receiver = receiver;
        this.senderAddress = senderAddress;
        this.receiverAddress = receiverAddress;
        this.engine = engine;
        this.rtc = rtc;
        this.cleanup = new Thread(this::deleteNamespaces, "kernel-bed-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup); // Ctrl-C leaves no namespace behind
    }

    /** @return the prefix of the namespaces' names, for checking that none is left */
    static String namespacePrefix() {
        return "qsdemo" + ProcessHandle.current().pid() % 100_000 + "-";
    }

    static Bed start(String name, String scheduler, DemoSettings settings) {
        int run = RUNS.incrementAndGet();
        String prefix = namespacePrefix() + run;
        String device = "qsd" + ProcessHandle.current().pid() % 100_000 + "r" + run;
        String senderAddress = "10.79." + run % 250 + ".1";
        String receiverAddress = "10.79." + run % 250 + ".2";
        NetworkNamespace a = NetworkNamespace.create(prefix + "-snd");
        NetworkNamespace b = null;
        Engine engine = null;
        try {
            b = NetworkNamespace.create(prefix + "-rcv");
            NetworkNamespace.run("ip", "link", "add", device + "a", "netns", a.name(), "type", "veth", "peer", "name",
                    device + "b", "netns", b.name());
            a.ip("addr", "add", senderAddress + "/24", "dev", device + "a");
            b.ip("addr", "add", receiverAddress + "/24", "dev", device + "b");
            a.ip("link", "set", "dev", device + "a", "txqueuelen", Integer.toString(DEVICE_QUEUE), "gso_max_segs", "1",
                    "up");
            b.ip("link", "set", "dev", device + "b", "up");
            String dev = device + "a";
            long rate = settings.linkBitsPerSecond();
            engine = a.call(() -> QSockets.init(EngineConfig.builder().name(name + "-engine").scheduler(scheduler)
                    .egressRate(Math.round(rate * Testbed.EGRESS_SHARE))
                    .kernelOffload(KernelOffload.on(dev, rate)).build()));
            return new KernelBed(a, b, senderAddress, receiverAddress, engine, Rtc.start(name + "-rtc"));
        } catch (RuntimeException e) {
            if (engine != null) {
                engine.close();
            }
            if (b != null) {
                b.close();
            }
            a.close();
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
    public DatagramSocket receiver() {
        return receiver.call(() -> Testbed.receiverAt(new InetSocketAddress(receiverAddress, 0)));
    }

    /** A QSocket of the engine: once bound, it has its own HTB class. */
    @Override
    public QSocket managed(QosParams params) {
        return sender.call(() -> new QSocket(new InetSocketAddress(senderAddress, 0), params));
    }

    /** A plain socket of the sending host, unknown to the engine: it goes to the default class. */
    @Override
    public DatagramSocket unmanaged(QosParams params) {
        return sender.call(() -> new DatagramSocket(new InetSocketAddress(senderAddress, 0)));
    }

    @Override
    public InetSocketAddress route(DatagramSocket from, DatagramSocket to) {
        return (InetSocketAddress) to.getLocalSocketAddress();
    }

    @Override
    public Perturbation perturbation(DemoSettings settings) throws IOException {
        try {
            return TcpBulkFlow.open(sender, receiver, receiverAddress);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void close() {
        rtc.close();
        engine.close(); // removes the HTB root
        deleteNamespaces();
        try {
            Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    private void deleteNamespaces() {
        sender.close();
        receiver.close();
    }
}
