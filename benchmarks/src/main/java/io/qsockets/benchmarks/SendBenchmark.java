package io.qsockets.benchmarks;

import io.qsockets.BackPressure;
import io.qsockets.Engine;
import io.qsockets.EngineConfig;
import io.qsockets.IdleStrategy;
import io.qsockets.QInfo;
import io.qsockets.QSocket;
import io.qsockets.QSockets;
import io.qsockets.QosParams;
import io.qsockets.SchedulerAttributes;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Sustained send throughput on loopback from one thread: {@link QSocket#send(DatagramPacket)}
 * (UDP transport, "fifo" scheduler, unpaced, blocking back-pressure) against the JDK's
 * {@link DatagramChannel#send(ByteBuffer, java.net.SocketAddress)} and
 * {@link DatagramSocket#send(DatagramPacket)}, same payload bytes, same reused destination, in
 * one run (DESIGN §12: QSocket throughput ≥ 0.95× of DatagramChannel).
 *
 * <p>The destination is a {@link DatagramChannel} bound on 127.0.0.1 that nobody reads: once its
 * receive buffer is full the kernel drops what arrives, which costs the sender the same on every
 * side. A QSocket send only copies the payload into the socket's bounded send queue; its engine
 * thread transmits. With blocking back-pressure the queue stays full in steady state, so the
 * measured rate is what the engine transmits. Each QSocket trial has an engine of its own, built
 * with the {@code idle} strategy; the machine's two cores then run the benchmark thread and the
 * engine thread, where the JDK sides use one.
 *
 * <pre>
 * java -jar benchmarks/target/qsockets-benchmarks.jar SendBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class SendBenchmark {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** The receiving end and the payload, shared by every side. */
    @State(Scope.Thread)
    public static class Target {
        @Param({"64", "1400"})
        public int payloadBytes;

        DatagramChannel receiver;
        InetSocketAddress destination;
        byte[] payload;

        @Setup(Level.Trial)
        public void open() throws IOException {
            receiver = DatagramChannel.open();
            receiver.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            receiver.bind(new InetSocketAddress(LOOPBACK, 0));
            destination = (InetSocketAddress) receiver.getLocalAddress();
            payload = new byte[payloadBytes];
            Arrays.fill(payload, (byte) 0x5a);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            receiver.close();
        }
    }

    /** Baseline: a plain channel sending a heap buffer over the same bytes. */
    @State(Scope.Thread)
    public static class ChannelSide {
        DatagramChannel channel;
        ByteBuffer buffer;

        @Setup(Level.Trial)
        public void open(Target target) throws IOException {
            channel = DatagramChannel.open();
            channel.bind(new InetSocketAddress(LOOPBACK, 0));
            buffer = ByteBuffer.wrap(target.payload);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            channel.close();
        }
    }

    /** Second baseline: what a QSocket replaces, a plain DatagramSocket. */
    @State(Scope.Thread)
    public static class SocketSide {
        DatagramSocket socket;
        DatagramPacket packet;

        @Setup(Level.Trial)
        public void open(Target target) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
            packet = new DatagramPacket(target.payload, target.payload.length, target.destination);
        }

        @TearDown(Level.Trial)
        public void close() {
            socket.close();
        }
    }

    /** A QSocket on an engine of its own per trial. */
    @State(Scope.Thread)
    public static class QSocketSide {
        @Param({"default", "busySpin"})
        public String idle;

        Engine engine;
        QSocket socket;
        DatagramPacket packet;

        @Setup(Level.Trial)
        public void open(Target target) throws IOException {
            IdleStrategy strategy = switch (idle) {
                case "default" -> IdleStrategy.defaultStrategy();
                case "busySpin" -> IdleStrategy.busySpin();
                default -> throw new IllegalArgumentException("idle must be default or busySpin, got " + idle);
            };
            engine = QSockets.init(EngineConfig.builder().name("send-bench-" + idle).scheduler("fifo")
                    .idleStrategy(strategy).build());
            QosParams params = QosParams.builder().engine(engine).attributes(SchedulerAttributes.unpaced())
                    .sendQueueCapacity(QosParams.DEFAULT_SEND_QUEUE_CAPACITY).backPressure(BackPressure.BLOCK).build();
            socket = new QSocket(new InetSocketAddress(LOOPBACK, 0), params);
            packet = new DatagramPacket(target.payload, target.payload.length, target.destination);
        }

        @TearDown(Level.Trial)
        public void close() {
            QInfo info = socket.info();
            socket.close();
            engine.close();
            // a sanity line in the run's log: every submitted datagram was sent (or still queued)
            System.out.printf(Locale.ROOT, "%n[%s] submitted %d, sent %d, dropped %d, queued %d%n", idle,
                    info.submittedPackets(), info.sentPackets(), info.droppedPackets(), info.queueLength());
        }
    }

    @Benchmark
    public int datagramChannel(Target target, ChannelSide side) throws IOException {
        side.buffer.clear();
        return side.channel.send(side.buffer, target.destination);
    }

    @Benchmark
    public void datagramSocket(SocketSide side) throws IOException {
        side.socket.send(side.packet);
    }

    @Benchmark
    public void qsocket(QSocketSide side) throws IOException {
        side.socket.send(side.packet);
    }
}
