package io.qsockets.scheduler.dwcs;

import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.spi.PacketSchedulerProvider;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The module's disciplines are found by name through {@link ServiceLoader}. */
@Timeout(10)
class ProvidersTest {

    @Test
    void fifoDwcsAndEdfAreRegistered() {
        assertThat(ServiceLoader.load(PacketSchedulerProvider.class).stream().map(p -> p.get().name()))
                .contains("fifo", "dwcs", "edf");
        assertThat(new DwcsSchedulerProvider().description()).contains("window-constrained");
        assertThat(new EdfSchedulerProvider().description()).contains("earliest deadline first");
    }
}
