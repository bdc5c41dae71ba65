package io.qsockets.examples.qperf;

import io.qsockets.BackPressure;
import io.qsockets.DwcsAttributes;
import io.qsockets.PacketFlags;
import io.qsockets.QSocket;
import io.qsockets.SchedulerAttributes;
import io.qsockets.Transport;
import io.qsockets.examples.Engines;
import io.qsockets.examples.ExitCodes;
import io.qsockets.examples.Units;
import io.qsockets.examples.sensor.ReadingWire;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * An iperf-like tool over QSocket (the DCCP/TP paper's customised iperf): the client sends
 * datagrams at a rate, paced by the scheduler, optionally with a deadline each; the server
 * measures throughput, loss, the share on time and the jitter, and sends its report back.
 */
@Command(name = "qperf", mixinStandardHelpOptions = true,
        description = {"Measures a QSocket path, like iperf: qperf --server on one side, qperf --client HOST:PORT "
                + "on the other.", "Exit codes: 0 report received (client) or test done (server), 1 no report or "
                + "nothing received, 2 bad usage, 3 failure."})
public final class QperfCommand implements Callable<Integer> {
    private static final int REPORT_WAIT_MS = 3_000;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Role role;

    static final class Role {
        @Option(names = {"-s", "--server"}, description = "run as server") boolean server;
        @Option(names = {"-c", "--client"}, paramLabel = "HOST:PORT", description = "run as client to the server")
        String client;
    }

    @Option(names = {"-p", "--port"}, defaultValue = "5201", description = "server port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = {"-t", "--time"}, defaultValue = "10", description = "seconds to send (default: ${DEFAULT-VALUE})")
    double time;

    @Option(names = {"-b", "--bandwidth"}, defaultValue = "1M", description = "rate in bit/s, k/M/G "
            + "(default: ${DEFAULT-VALUE})")
    String bandwidth;

    @Option(names = {"-l", "--length"}, defaultValue = "1200", description = "datagram bytes (default: ${DEFAULT-VALUE})")
    int length;

    @Option(names = "--deadline", description = "ms each datagram stays useful; the server counts those on time")
    Long deadlineMs;

    @Option(names = "--scheduler", defaultValue = "fifo", description = "fifo, dwcs or edf (default: ${DEFAULT-VALUE})")
    String scheduler;

    @Option(names = "--lossless", description = "with --deadline: send late datagrams anyway (default: drop them)")
    boolean lossless;

    @Option(names = "--transport", defaultValue = "UDP", description = "${COMPLETION-CANDIDATES} "
            + "(default: ${DEFAULT-VALUE})")
    Transport transport;

    @Option(names = "--plain", description = "client sends from a plain DatagramSocket, paced by itself")
    boolean plain;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Option(names = "--once", description = "server: exit after one test")
    boolean once;

    @Option(names = "--idle-timeout", defaultValue = "5", description = "server: seconds of silence that end a test "
            + "(default: ${DEFAULT-VALUE})")
    double idleTimeout;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535 || length < QperfWire.DATA_HEADER || length > 65_507 || !(time > 0)
                || !(idleTimeout > 0)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "-p " + port + " must be 0-65535, -l "
                    + length + " between " + QperfWire.DATA_HEADER + " and 65507, -t " + time + " and --idle-timeout "
                    + idleTimeout + " positive");
        }
        return role.server ? serve() : client();
    }

    private int serve() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(port))) {
            socket.setReceiveBufferSize(4 << 20);
            socket.setSoTimeout(100);
            out.printf(Locale.ROOT, "qperf server listening on %s%n", socket.getLocalSocketAddress());
            out.flush();
            DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
            QperfStats stats = null;
            SocketAddress peer = null;
            long lastHeard = 0;
            while (true) {
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    if (stats != null && System.nanoTime() - lastHeard > idleTimeout * 1e9) {
                        finish(out, socket, peer, stats, -1);
                        stats = null;
                        if (once) {
                            return ExitCodes.EXPECTATION_NOT_MET;
                        }
                    }
                    continue;
                }
                int kind = QperfWire.kind(p.getData(), p.getOffset(), p.getLength());
                if (kind == QperfWire.DATA) {
                    if (stats == null) {
                        stats = new QperfStats();
                        peer = p.getSocketAddress();
                        out.printf(Locale.ROOT, "test from %s%n", peer);
                        out.flush();
                    }
                    lastHeard = System.nanoTime();
                    byte[] b = p.getData();
                    stats.onData(QperfWire.long1(b, p.getOffset()), QperfWire.long2(b, p.getOffset()),
                            QperfWire.long3(b, p.getOffset()), p.getLength(), ReadingWire.nowMicros());
                } else if (kind == QperfWire.END && stats != null && p.getSocketAddress().equals(peer)) {
                    long sent = QperfWire.long1(p.getData(), p.getOffset());
                    boolean any = stats.received() > 0;
                    finish(out, socket, peer, stats, sent);
                    stats = null;
                    if (once) {
                        return any ? ExitCodes.OK : ExitCodes.EXPECTATION_NOT_MET;
                    }
                }
            }
        }
    }

    private void finish(PrintWriter out, DatagramSocket socket, SocketAddress peer, QperfStats stats, long sent)
            throws IOException {
        Map<String, String> report = stats.report(sent);
        byte[] reply = QperfWire.report(QperfReport.toText(report));
        for (int i = 0; i < 2; i++) {
            socket.send(new DatagramPacket(reply, reply.length, peer));
        }
        print(out, "qperf server report for " + peer, report);
    }

    private void print(PrintWriter out, String title, Map<String, String> report) {
        if (json) {
            out.println(QperfReport.toJson(report));
        } else {
            out.println(title);
            out.print(QperfReport.toTable(report));
        }
        out.flush();
    }

    private int client() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        InetSocketAddress server;
        long bits;
        try {
            server = Units.address(role.client, "127.0.0.1");
            bits = Units.bitsPerSecond(bandwidth);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        double pps = bits / (8.0 * (length + 28));
        try (Engines.Chosen engine = Engines.choose(scheduler, "0");
                DatagramSocket socket = plain ? new DatagramSocket() : new QSocket(engine.params().transport(transport)
                        .attributes(attributes(pps)).backPressure(BackPressure.BLOCK).sendQueueCapacity(2).build())) {
            socket.setSoTimeout(REPORT_WAIT_MS);
            if (!json) {
                out.printf(Locale.ROOT, "qperf client -> %s: %d B datagrams at %s (%.0f/s) for %.1f s, %s%s%n",
                        server, length, Units.formatBits(bits), pps, time,
                        plain ? "plain DatagramSocket" : "QSocket, scheduler " + scheduler,
                        deadlineMs == null ? "" : ", deadline " + deadlineMs + " ms" + (lossless ? " (lossless)" : ""));
                out.flush();
            }
            long sent = send(socket, server, pps);
            byte[] end = new byte[13];
            QperfWire.end(end, sent);
            DatagramPacket reply = new DatagramPacket(new byte[65_536], 65_536);
            for (int attempt = 0; attempt < 3; attempt++) {
                socket.send(new DatagramPacket(end, end.length, server));
                try {
                    while (true) {
                        socket.receive(reply);
                        if (QperfWire.kind(reply.getData(), reply.getOffset(), reply.getLength()) == QperfWire.REPORT) {
                            Map<String, String> report = QperfReport.parse(
                                    QperfWire.text(reply.getData(), reply.getOffset(), reply.getLength()));
                            print(out, "server report", report);
                            return ExitCodes.OK;
                        }
                    }
                } catch (SocketTimeoutException e) {
                    // ask again
                }
            }
            spec.commandLine().getErr().printf(Locale.ROOT, "qperf: no report from %s after sending %d datagrams "
                    + "(is qperf --server running there?)%n", server, sent);
            return ExitCodes.EXPECTATION_NOT_MET;
        }
    }

    private SchedulerAttributes attributes(double pps) {
        if ("fifo".equals(scheduler)) {
            return SchedulerAttributes.rate(pps);
        }
        long period = Math.max(1, Math.round(1e9 / pps));
        return new DwcsAttributes(period, 1, 1,
                lossless ? EnumSet.of(DwcsAttributes.Flag.LOSSLESS) : EnumSet.noneOf(DwcsAttributes.Flag.class));
    }

    private long send(DatagramSocket socket, SocketAddress server, double pps) throws IOException {
        byte[] buf = new byte[length];
        DatagramPacket packet = new DatagramPacket(buf, length, server);
        PacketFlags flags = deadlineMs == null ? PacketFlags.NONE
                : PacketFlags.NONE.withDeadline(Duration.ofMillis(deadlineMs));
        long start = System.nanoTime();
        long end = start + Math.round(time * 1e9);
        double gap = 1e9 / pps;
        long seq = 0;
        while (true) {
            long now = System.nanoTime();
            if (now - end >= 0) {
                break;
            }
            if (plain) {
                long due = start + Math.round(seq * gap);
                if (due - now > 0) {
                    LockSupport.parkNanos(due - now);
                    continue;
                }
            }
            long sentMicros = ReadingWire.nowMicros();
            QperfWire.data(buf, seq, sentMicros, deadlineMs == null ? 0 : sentMicros + deadlineMs * 1000);
            if (socket instanceof QSocket q) {
                q.send(packet, flags);
            } else {
                socket.send(packet);
            }
            seq++;
        }
        if (socket instanceof QSocket q) {
            long until = System.nanoTime() + 2_000_000_000L;
            while (q.info().queueLength() > 0 && System.nanoTime() - until < 0) {
                LockSupport.parkNanos(1_000_000);
            }
        }
        return seq;
    }
}
