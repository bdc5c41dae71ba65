package io.qsockets.benchmarks;

import io.qsockets.classifier.InodeClassifier;
import io.qsockets.classifier.NativeSocket;
import io.qsockets.classifier.SocketLocator;
import io.qsockets.spi.SocketIdentity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
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
 * The cost of socket identity with {@code sockets} UDP sockets open (bound to loopback):
 *
 * <ul>
 *   <li>{@code locateOne}: the inode and descriptor of one socket, with the descriptor table
 *       cached (what giving a socket its kernel class costs), one read of
 *       {@code /proc/net/udp} and {@code udp6} each;
 *   <li>{@code locateAll}: every socket at once, from scratch (tables and descriptors read once);
 *       divide by {@code sockets} for the cost per socket;
 *   <li>{@code classify} and {@code streamOfInode}: the classifier's per-lookup cost once the
 *       sockets are registered and resolved, by socket and by inode.
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/qsockets-benchmarks.jar SocketLookupBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class SocketLookupBenchmark {

    /** Open sockets. */
    @Param({"10", "1000"})
    public int sockets;

    private final List<DatagramChannel> channels = new ArrayList<>();
    private final List<SocketIdentity> identities = new ArrayList<>();
    private long[] inodes;
    private SocketLocator locator;
    private InodeClassifier classifier;
    private int next;

    /** Opens and registers the sockets. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        for (int i = 0; i < sockets; i++) {
            channels.add(DatagramChannel.open().bind(loopback));
        }
        locator = new SocketLocator();
        classifier = new InodeClassifier(new SocketLocator());
        inodes = new long[sockets];
        for (int i = 0; i < sockets; i++) {
            SocketIdentity identity = new SocketIdentity(channels.get(i), null, -1);
            identities.add(identity);
            classifier.classify(identity);
            inodes[i] = locator.locate(channels.get(i)).inode();
        }
        if (classifier.streamOf(inodes[0]) != 0) {
            throw new IllegalStateException("the classifier did not resolve its sockets");
        }
    }

    /** Closes the sockets. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        for (DatagramChannel c : channels) {
            c.close();
        }
    }

    private int nextIndex() {
        int i = next;
        next = i + 1 == sockets ? 0 : i + 1;
        return i;
    }

    /** @return one socket's identity */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public NativeSocket locateOne() {
        return locator.locate(channels.get(nextIndex()));
    }

    /** @return every socket's identity, from a fresh locator */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public List<NativeSocket> locateAll() {
        return new SocketLocator().locateAll(channels);
    }

    /** @return the stream of a registered socket */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public int classify() {
        return classifier.classify(identities.get(nextIndex()));
    }

    /** @return the stream of a registered socket's inode */
    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public int streamOfInode() {
        return classifier.streamOf(inodes[nextIndex()]);
    }
}
