package io.qsockets.benchmarks;

import io.qsockets.QSocket;
import java.net.DatagramSocket;
import java.net.SocketException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of opening and closing a socket: {@code new QSocket()} (default QoS, so the default
 * "fifo" engine, which the first creation starts) against {@code new DatagramSocket()}, both
 * bound to the wildcard address and an ephemeral port, in one run (DESIGN §12: ≤ 1.10×).
 *
 * <pre>
 * java -jar benchmarks/target/qsockets-benchmarks.jar SocketCreationBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SocketCreationBenchmark {

    @Benchmark
    public boolean datagramSocket() throws SocketException {
        DatagramSocket socket = new DatagramSocket();
        socket.close();
        return socket.isClosed();
    }

    @Benchmark
    public boolean qsocket() throws SocketException {
        QSocket socket = new QSocket();
        socket.close();
        return socket.isClosed();
    }
}
