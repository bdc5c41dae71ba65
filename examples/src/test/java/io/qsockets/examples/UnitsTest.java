package io.qsockets.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class UnitsTest {

    @Test
    void ratesTakeDecimalSuffixes() {
        assertThat(Units.bitsPerSecond("4M")).isEqualTo(4_000_000);
        assertThat(Units.bitsPerSecond("500k")).isEqualTo(500_000);
        assertThat(Units.bitsPerSecond("1.5G")).isEqualTo(1_500_000_000L);
        assertThatThrownBy(() -> Units.bitsPerSecond("fast")).hasMessageContaining("rate 'fast' must be");
        assertThatThrownBy(() -> Units.bitsPerSecond("0")).hasMessageContaining("rate '0' must be");
    }

    @Test
    void addressesTakeHostAndPort() {
        assertThat(Units.address("127.0.0.1:5004", null).getPort()).isEqualTo(5004);
        assertThat(Units.address(":5005", null).getAddress().isAnyLocalAddress()).isTrue();
        assertThat(Units.address("7", "127.0.0.1").getAddress().isLoopbackAddress()).isTrue();
        assertThatThrownBy(() -> Units.address("host:99999", null)).hasMessageContaining("port from 0 to 65535");
    }
}
