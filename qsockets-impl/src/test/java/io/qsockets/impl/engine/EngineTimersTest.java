package io.qsockets.impl.engine;

import static io.qsockets.impl.engine.SimulatedLink.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.EngineConfig;
import io.qsockets.ManualNanoClock;
import io.qsockets.QSockets;
import io.qsockets.ThreadingMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The engine fires its timers in its duty cycle and sleeps until the earliest one. */
@Timeout(10)
class EngineTimersTest {

    @Test
    void timersFireInTheDutyCycleAtTheirDeadlines() {
        ManualNanoClock clock = new ManualNanoClock(1_000 * MS);
        try (DutyCycleEngine engine = (DutyCycleEngine) QSockets.init(EngineConfig.builder().clock(clock)
                .threadingMode(ThreadingMode.INVOKER).build())) {
            List<String> fired = new ArrayList<>();
            engine.execute(() -> {
                engine.timers().schedule(clock.nanoTime() + 30 * MS, (id, deadline, now) -> fired.add("rto@" + now / MS));
                engine.timers().schedule(clock.nanoTime() + 10 * MS, (id, deadline, now) -> fired.add("ack@" + now / MS));
            });
            assertThat(engine.nextDeadlineNanos()).isEqualTo(clock.nanoTime());
            engine.doWork();
            assertThat(fired).isEmpty();
            assertThat(engine.nextDeadlineNanos()).isEqualTo(1_010 * MS);
            clock.set(engine.nextDeadlineNanos());
            engine.doWork();
            assertThat(engine.nextDeadlineNanos()).isEqualTo(1_030 * MS);
            clock.set(1_100 * MS);
            engine.doWork();
            assertThat(fired).containsExactly("ack@1010", "rto@1100");
            assertThat(engine.nextDeadlineNanos()).isEqualTo(Long.MAX_VALUE);
        }
    }
}
