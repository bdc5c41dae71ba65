package io.qsockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PacketFlagsTest {

    @Test
    void defaultsRetransmitWithoutLimits() {
        assertThat(PacketFlags.NONE.reliable()).isFalse();
        assertThat(PacketFlags.NONE.maxAttempts()).isEqualTo(PacketFlags.UNLIMITED_ATTEMPTS);
        assertThat(PacketFlags.NONE.graceNanos()).isEqualTo(PacketFlags.NO_GRACE);
    }

    @Test
    void retransmissionChoicesAreKeptAndCopied() {
        PacketFlags f = PacketFlags.builder().deadline(Duration.ofMillis(150)).maxAttempts(3)
                .grace(Duration.ofMillis(200)).priority(7).build();
        assertThat(f.maxAttempts()).isEqualTo(3);
        assertThat(f.graceNanos()).isEqualTo(200_000_000L);
        assertThat(f.toBuilder().build()).isEqualTo(f).hasSameHashCodeAs(f);
        assertThat(f.toBuilder().maxAttempts(4).build()).isNotEqualTo(f);
        assertThat(f.toString()).contains("maxAttempts=3", "grace=PT0.2S");

        PacketFlags r = PacketFlags.builder().deadline(Duration.ofMillis(150)).reliable(true).build();
        assertThat(r.reliable()).isTrue();
        assertThat(r.toBuilder().build()).isEqualTo(r);
        assertThat(r).isNotEqualTo(r.toBuilder().reliable(false).build());
        assertThat(r.toString()).contains("reliable");
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> PacketFlags.builder().maxAttempts(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1").hasMessageContaining("255");
        assertThatThrownBy(() -> PacketFlags.builder().maxAttempts(256))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256");
        assertThatThrownBy(() -> PacketFlags.builder().grace(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("grace period PT0S");
        assertThatThrownBy(() -> PacketFlags.builder().grace(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThat(PacketFlags.builder().grace(Duration.ofMillis(5)).grace(null).build().graceNanos())
                .isEqualTo(PacketFlags.NO_GRACE);
    }

    @Test
    void reliableExcludesGivingUp() {
        assertThatThrownBy(() -> PacketFlags.builder().reliable(true).maxAttempts(2).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("maxAttempts 2");
        assertThatThrownBy(() -> PacketFlags.builder().reliable(true).grace(Duration.ofMillis(50)).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("grace period");
    }
}
