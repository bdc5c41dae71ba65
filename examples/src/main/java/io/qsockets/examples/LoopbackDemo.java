package io.qsockets.examples;

import io.qsockets.QInfo;
import io.qsockets.QSocket;
import io.qsockets.QosParams;
import io.qsockets.SchedulerAttributes;
import java.io.PrintWriter;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Two QSockets on loopback: the sender offers its datagrams in bursts, the scheduler paces them
 * to a steady rate, the receiver measures what arrives; then both sides' {@code info()} is
 * printed as a table.
 */
@Command(name = "loopback", mixinStandardHelpOptions = true,
        description = "A paced stream between two QSockets on loopback, and what info() reports.")
final class LoopbackDemo implements Callable<Integer> {

    @Option(names = "--rate", defaultValue = "50", description = "packets per second the sender is paced to "
            + "(default: ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--seconds", defaultValue = "3", description = "how long to stream (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--size", defaultValue = "1200", description = "payload bytes (default: ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--burst", defaultValue = "10", description = "datagrams the application offers at once "
            + "(default: ${DEFAULT-VALUE})")
    int burst;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        int total = (int) Math.round(rate * seconds);
        QosParams paced = QosParams.builder().attributes(SchedulerAttributes.rate(rate)).build();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (QSocket receiver = new QSocket(new InetSocketAddress(loopback, 0));
                QSocket sender = new QSocket(new InetSocketAddress(loopback, 0), paced)) {
            receiver.setSoTimeout(2_000);
            out.printf(Locale.ROOT, "streaming %d datagrams of %d B at %.1f packets/s, offered in bursts of %d%n",
                    total, size, rate, burst);
            out.flush();
            Thread producer = new Thread(() -> offer(sender, receiver.getLocalSocketAddress(), total), "demo-sender");
            producer.start();
            Arrivals arrivals = receive(receiver, total);
            producer.join();
            out.println();
            out.println("receiver measured");
            out.printf(Locale.ROOT, "%-18s %d of %d%n", "arrived", arrivals.count, total);
            out.printf(Locale.ROOT, "%-18s %.2f packets/s%n", "arrival rate", arrivals.rate());
            out.printf(Locale.ROOT, "%-18s %.1f µs%n", "arrival jitter", arrivals.jitterMicros());
            printSideBySide(out, settledInfo(sender, total), receiver.info());
            return arrivals.count == total ? 0 : 1;
        }
    }

    private void validate() {
        if (!(rate > 0) || rate > 1_000_000) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--rate " + rate + " must be between 0 (exclusive) and 1000000 packets/s");
        }
        if (!(seconds > 0) || seconds > 3600) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--seconds " + seconds + " must be between 0 (exclusive) and 3600");
        }
        if (size < 8 || size > 65_507) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--size " + size + " must be between 8 and 65507 bytes");
        }
        if (burst < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--burst " + burst + " must be >= 1");
        }
    }

    private void offer(QSocket sender, java.net.SocketAddress to, int total) {
        byte[] payload = new byte[size];
        DatagramPacket packet = new DatagramPacket(payload, size, to);
        long burstGapNanos = Math.round(burst * 1e9 / rate);
        long next = System.nanoTime();
        try {
            for (int seq = 0; seq < total; seq++) {
                if (seq % burst == 0 && seq > 0) {
                    next += burstGapNanos;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
                ByteBuffer.wrap(payload).putInt(seq);
                sender.send(packet);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Arrivals receive(QSocket receiver, int total) throws java.io.IOException {
        Arrivals a = new Arrivals();
        DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
        while (a.count < total) {
            try {
                receiver.receive(p);
            } catch (SocketTimeoutException e) {
                break;
            }
            a.record(System.nanoTime());
        }
        return a;
    }

    /**
     * The receiver can see the last datagram before the engine thread has counted it as sent:
     * wait (at most a second) for the sender's counters to account for everything.
     */
    private static QInfo settledInfo(QSocket sender, int total) {
        long until = System.nanoTime() + 1_000_000_000L;
        QInfo info = sender.info();
        while (info.sentPackets() + info.droppedPackets() < total && System.nanoTime() - until < 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            info = sender.info();
        }
        return info;
    }

    private static void printSideBySide(PrintWriter out, QInfo sender, QInfo receiver) {
        String[] left = sender.toTable().split(System.lineSeparator());
        String[] right = receiver.toTable().split(System.lineSeparator());
        out.println();
        out.printf(Locale.ROOT, "%-52s %s%n", "sender info()", "receiver info()");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            out.printf(Locale.ROOT, "%-52s %s%n", i < left.length ? left[i] : "", i < right.length ? right[i] : "");
        }
        out.flush();
    }

    /** Inter-arrival statistics: rate and standard deviation of the gaps. */
    private static final class Arrivals {
        int count;
        long first;
        long last;
        double sumGaps;
        double sumSquares;

        void record(long now) {
            if (count == 0) {
                first = now;
            } else {
                double gap = now - last;
                sumGaps += gap;
                sumSquares += gap * gap;
            }
            last = now;
            count++;
        }

        double rate() {
            return count < 2 ? 0 : (count - 1) * 1e9 / (last - first);
        }

        double jitterMicros() {
            if (count < 2) {
                return 0;
            }
            double n = count - 1;
            double mean = sumGaps / n;
            return Math.sqrt(Math.max(0, sumSquares / n - mean * mean)) / 1000;
        }
    }
}
