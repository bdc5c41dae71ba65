package io.qsockets.classifier.htb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qsockets.DwcsAttributes;
import io.qsockets.KernelOffloadException;
import io.qsockets.KernelStats;
import io.qsockets.SchedulerAttributes;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The parts of the HTB path that need no kernel: host checks, rates, counters. */
@Timeout(10)
class HtbUnitTest {
    private static final long ALL_CAPABILITIES = 0x1ff_ffff_ffffL;
    private static final Path TC = Path.of("/usr/sbin/tc");
    private static final Path IP = Path.of("/usr/sbin/ip");

    @Test
    void offLinuxTheMessageSaysTheUserLevelPathWorks() {
        HostFacts mac = new HostFacts("Mac OS X", -1, null, null, "/usr/bin");

        assertThatThrownBy(() -> mac.require("en0")).isInstanceOf(KernelOffloadException.class)
                .hasMessageContaining("Linux traffic control").hasMessageContaining("this is Mac OS X")
                .hasMessageContaining("user-level path works here");
    }

    @Test
    void withoutTcTheMessageSaysWhichPackageToInstall() {
        HostFacts noTc = new HostFacts("Linux", ALL_CAPABILITIES, null, IP, "/usr/bin:/usr/sbin");

        assertThatThrownBy(() -> noTc.require("eth0")).isInstanceOf(KernelOffloadException.class)
                .hasMessageContaining("tc is not on PATH (/usr/bin:/usr/sbin)").hasMessageContaining("iproute2");
    }

    @Test
    void withoutCapNetAdminTheMessageSaysHowToGetIt() {
        long allButNetAdmin = ALL_CAPABILITIES & ~(1L << HostFacts.CAP_NET_ADMIN);
        HostFacts unprivileged = new HostFacts("Linux", allButNetAdmin, TC, IP, "/usr/sbin");

        assertThatThrownBy(() -> unprivileged.require("eth0")).isInstanceOf(KernelOffloadException.class)
                .hasMessageContaining("CAP_NET_ADMIN").hasMessageContaining("eth0").hasMessageContaining("run it as root")
                .hasMessageContaining("AmbientCapabilities=CAP_NET_ADMIN");
    }

    @Test
    void aPrivilegedLinuxHostPasses() {
        new HostFacts("Linux", 1L << HostFacts.CAP_NET_ADMIN, TC, IP, "/usr/sbin").require("eth0");
    }

    @Test
    void aPacedSocketIsGuaranteedOnePacketPerPeriodUpToTheLink() {
        long link = 10_000_000;
        // 1500-byte packets every 5 ms: 2.4 Mbit/s
        assertThat(HtbRates.socketRate(SchedulerAttributes.paced(Duration.ofMillis(5)), 1500, link))
                .isEqualTo(2_400_000);
        assertThat(HtbRates.socketRate(DwcsAttributes.of(Duration.ofMillis(5), 1, 4), 1500, link))
                .isEqualTo(2_400_000);
        assertThat(HtbRates.socketRate(SchedulerAttributes.paced(Duration.ofNanos(1000)), 1500, link)).isEqualTo(link);
        assertThat(HtbRates.socketRate(SchedulerAttributes.paced(Duration.ofSeconds(10)), 100, link))
                .isEqualTo(HtbRates.MIN_RATE);
    }

    @Test
    void unpacedSocketsAndTheDefaultClassGetOnePercentOfTheLink() {
        assertThat(HtbRates.socketRate(SchedulerAttributes.unpaced(), 1500, 10_000_000)).isEqualTo(100_000);
        assertThat(HtbRates.defaultRate(10_000_000)).isEqualTo(100_000);
        assertThat(HtbRates.defaultRate(100_000)).isEqualTo(HtbRates.MIN_RATE);
        assertThat(HtbRates.defaultRate(1_000)).isEqualTo(1_000);
    }

    @Test
    void countersAreReadFromTcOutput() {
        String out = """
                class htb 1:10 parent 1:1 prio 0 rate 2400Kbit ceil 10Mbit burst 1600b cburst 1600b
                 Sent 1234567 bytes 890 pkt (dropped 3, overlimits 17 requeues 0)
                 backlog 14Kb 10p requeues 0
                 lended: 880 borrowed: 10 giants: 0
                 tokens: 100000 ctokens: 20000
                """;

        KernelStats s = ClassCounters.parse(out, "1:10", 2_400_000, 10_000_000);

        assertThat(s).isEqualTo(new KernelStats("1:10", 2_400_000, 10_000_000, 1_234_567, 890, 3, 17, 14 * 1024, 10));
    }

    @Test
    void outputWithoutCountersIsReported() {
        assertThatThrownBy(() -> ClassCounters.parse("", "1:10", 1, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1:10");
    }
}
