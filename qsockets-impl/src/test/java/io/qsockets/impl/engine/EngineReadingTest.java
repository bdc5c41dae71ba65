package io.qsockets.impl.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.EngineConfig;
import io.qsockets.ManualNanoClock;
import io.qsockets.QSockets;
import io.qsockets.ThreadingMode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine reads its reading sockets in its duty cycle and wakes from sleep when a datagram comes. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EngineReadingTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    record Arrival(String payload, InetSocketAddress from, long now, String thread) {
    }

    private static DatagramChannel bound() throws IOException {
        DatagramChannel c = DatagramChannel.open();
        c.bind(new InetSocketAddress(LOOPBACK, 0));
        return c;
    }

    private static void send(DatagramChannel from, DatagramChannel to, String text) throws IOException {
        from.send(ByteBuffer.wrap(text.getBytes()), to.getLocalAddress());
    }

    private static List<Arrival> collectInto(List<Arrival> got, ByteBuffer d, InetSocketAddress from, long now) {
        byte[] b = new byte[d.remaining()];
        d.get(b);
        got.add(new Arrival(new String(b), from, now, Thread.currentThread().getName()));
        return got;
    }

    /** Runs duty cycles until {@code done} holds; fails after 5 s. */
    private static void cycleUntil(DutyCycleEngine engine, BooleanSupplier done) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!done.getAsBoolean()) {
            engine.doWork();
            assertThat(System.nanoTime()).as("condition not met in 5 s").isLessThan(end);
        }
    }

    @Test
    void anInvokerEngineHandsEachDatagramToItsSinkWithSenderAndTime() throws Exception {
        ManualNanoClock clock = new ManualNanoClock();
        clock.set(42);
        DutyCycleEngine engine = (DutyCycleEngine) QSockets.init(EngineConfig.builder().name("reader").clock(clock)
                .threadingMode(ThreadingMode.INVOKER).build());
        try (DatagramChannel a = bound(); DatagramChannel b = bound(); DatagramChannel peer = bound()) {
            List<Arrival> atA = new CopyOnWriteArrayList<>();
            List<Arrival> atB = new CopyOnWriteArrayList<>();
            engine.startReading(a, (d, from, now) -> collectInto(atA, d, from, now));
            engine.startReading(b, (d, from, now) -> collectInto(atB, d, from, now));
            engine.doWork();
            send(peer, a, "one");
            send(peer, b, "two");
            send(peer, a, "three");
            cycleUntil(engine, () -> atA.size() == 2 && atB.size() == 1);
            assertThat(atA).extracting(Arrival::payload).containsExactly("one", "three");
            assertThat(atB).extracting(Arrival::payload).containsExactly("two");
            assertThat(atA.get(0).from()).isEqualTo(peer.getLocalAddress());
            assertThat(atA.get(0).now()).isEqualTo(42);
            assertThat(a.isBlocking()).isFalse();
        } finally {
            engine.close();
        }
    }

    @Test
    void aFloodOnOneSocketDoesNotStarveAnotherAndAFailingSinkDoesNotStopReading() throws Exception {
        DutyCycleEngine engine = (DutyCycleEngine) QSockets.init(EngineConfig.builder().name("fair-reader")
                .threadingMode(ThreadingMode.INVOKER).build());
        try (DatagramChannel busy = bound(); DatagramChannel quiet = bound(); DatagramChannel peer = bound()) {
            busy.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 1 << 20);
            List<Arrival> atBusy = new CopyOnWriteArrayList<>();
            List<Arrival> atQuiet = new CopyOnWriteArrayList<>();
            engine.startReading(busy, (d, from, now) -> {
                collectInto(atBusy, d, from, now);
                if (atBusy.size() == 1) {
                    throw new IllegalStateException("a sink bug");
                }
            });
            engine.startReading(quiet, (d, from, now) -> collectInto(atQuiet, d, from, now));
            engine.doWork();
            for (int i = 0; i < 500; i++) {
                send(peer, busy, "b" + i);
            }
            send(peer, quiet, "q");
            cycleUntil(engine, () -> !atQuiet.isEmpty());
            assertThat(atBusy.size()).as("the quiet socket was read within the first cycles").isLessThan(500);
            cycleUntil(engine, () -> atBusy.size() == 500);
            assertThat(atBusy.get(499).payload()).isEqualTo("b499");
        } finally {
            engine.close();
        }
    }

    @Test
    void aSleepingAgentEngineWakesForADatagramAndReadsOnItsOwnThread() throws Exception {
        DutyCycleEngine engine = (DutyCycleEngine) QSockets.init(EngineConfig.builder().name("waking-reader")
                .threadingMode(ThreadingMode.AGENT).build());
        try (DatagramChannel a = bound(); DatagramChannel peer = bound()) {
            List<Arrival> got = new CopyOnWriteArrayList<>();
            CountDownLatch registered = new CountDownLatch(1);
            CountDownLatch arrived = new CountDownLatch(2);
            engine.startReading(a, (d, from, now) -> {
                collectInto(got, d, from, now);
                arrived.countDown();
            });
            engine.execute(registered::countDown);
            assertThat(registered.await(5, TimeUnit.SECONDS)).isTrue();
            send(peer, a, "wake");
            send(peer, a, "again");
            assertThat(arrived.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(got).extracting(Arrival::thread).containsOnly("waking-reader");
            // the engine, asleep in its selector, still runs commands posted to it
            CountDownLatch ran = new CountDownLatch(1);
            engine.execute(ran::countDown);
            assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        } finally {
            engine.close();
        }
        assertThat(engine.isClosed()).isTrue();
    }
}
