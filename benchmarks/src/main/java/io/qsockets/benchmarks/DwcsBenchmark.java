package io.qsockets.benchmarks;

import io.qsockets.DwcsAttributes;
import io.qsockets.NanoClock;
import io.qsockets.PacketFlags;
import io.qsockets.spi.DropReason;
import io.qsockets.spi.PacketScheduler;
import io.qsockets.spi.PacketSchedulerProvider;
import io.qsockets.spi.ScheduledPacket;
import io.qsockets.spi.SchedulerContext;
import java.util.EnumSet;
import java.util.ServiceLoader;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one packet through the "dwcs" scheduler: one {@code dequeue} and one
 * {@code enqueue}, with 1 to 100 000 backlogged streams (DESIGN §12: ≤ 150 ns at 10 000
 * streams, growing with the logarithm of the stream count).
 *
 * <p>Every stream has the same period {@code T} and loss tolerance {@code x/y} between 0/4 and
 * 3/8, and holds two packets. Each operation dequeues at the simulated time {@code now}, submits
 * the packet it got again at the tail of its stream (so every stream stays backlogged and nothing
 * is allocated), and advances {@code now} by {@code T / streams}: the link carries exactly the
 * offered load, so no deadline is missed and no packet dropped. Two shapes:
 *
 * <ul>
 *   <li>{@code equalDeadlines}: work-conserving streams in phase, so every head has the same
 *       deadline and each decision goes through the window-constraint rules (the worst case of
 *       the order);
 *   <li>{@code paced}: paced streams in staggered phases, so each packet also moves its stream
 *       from the pending heap (before its period starts) to the ready heap.
 * </ul>
 *
 * <pre>
 * java -jar benchmarks/target/qsockets-benchmarks.jar DwcsBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class DwcsBenchmark {
    private static final long PERIOD = 1_000_000_000L;

    /** Backlogged streams. */
    @Param({"1", "100", "10000", "100000"})
    public int streams;

    /** The shape of the schedule (see the class comment). */
    @Param({"equalDeadlines", "paced"})
    public String shape;

    private PacketScheduler scheduler;
    private long now;
    private long step;
    private long sequence;

    /** Creates the scheduler through the SPI and fills every stream with two packets. */
    @Setup(Level.Trial)
    public void setUp() {
        PacketSchedulerProvider provider = ServiceLoader.load(PacketSchedulerProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("dwcs")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no 'dwcs' scheduler on the class path"));
        scheduler = provider.create(new Context());
        boolean paced = shape.equals("paced");
        step = PERIOD / streams;
        for (int i = 0; i < streams; i++) {
            int y = 4 + i % 5;
            EnumSet<DwcsAttributes.Flag> flags = paced ? EnumSet.noneOf(DwcsAttributes.Flag.class)
                    : EnumSet.of(DwcsAttributes.Flag.WORK_CONSERVING);
            scheduler.addStream(i, new DwcsAttributes(PERIOD, i % 4, y, flags));
            // staggered phases: stream i's first period starts at i * step, when its turn comes; it is
            // served at once, so its next period starts one period later: it waits in the pending heap
            long submitted = paced ? i * step : 0;
            for (int k = 0; k < 2; k++) {
                scheduler.enqueue(new Packet(i, submitted, sequence++), submitted);
            }
        }
        now = 0;
    }

    /** One packet: dequeue, and enqueue it again. */
    @Benchmark
    public ScheduledPacket dequeueAndEnqueue() {
        ScheduledPacket p = scheduler.dequeue(now);
        if (p != null) {
            Packet q = (Packet) p;
            q.submitted = now;
            q.sequence = sequence++;
            scheduler.enqueue(q, now);
        }
        now += step;
        return p;
    }

    /** A reusable unit packet. */
    static final class Packet implements ScheduledPacket {
        final int stream;
        long submitted;
        long sequence;
        ScheduledPacket next;

        Packet(int stream, long submitted, long sequence) {
            this.stream = stream;
            this.submitted = submitted;
            this.sequence = sequence;
        }

        @Override
        public int streamId() {
            return stream;
        }

        @Override
        public int length() {
            return 64;
        }

        @Override
        public long submittedNanos() {
            return submitted;
        }

        @Override
        public long deadlineNanos() {
            return NO_DEADLINE;
        }

        @Override
        public PacketFlags flags() {
            return PacketFlags.NONE;
        }

        @Override
        public long sequence() {
            return sequence;
        }

        @Override
        public ScheduledPacket schedulerNext() {
            return next;
        }

        @Override
        public void schedulerNext(ScheduledPacket next) {
            this.next = next;
        }
    }

    /** The engine's side: a clock nobody reads on this path, and drops that must not happen. */
    final class Context implements SchedulerContext {
        @Override
        public NanoClock clock() {
            return () -> now;
        }

        @Override
        public void dropped(ScheduledPacket packet, DropReason reason) {
            throw new IllegalStateException("the benchmark's schedule is feasible, yet a packet was dropped: " + reason);
        }
    }
}
