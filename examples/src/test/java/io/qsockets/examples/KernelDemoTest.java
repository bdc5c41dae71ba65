package io.qsockets.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.qsockets.examples.kernel.NetworkNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --kernel}: the video experiment in two network namespaces with the engine's HTB
 * offload and a bulk TCP flow as the perturbation. Needs root with {@code ip} and {@code tc};
 * without them the test of the run is skipped with the reason, and the demo's refusal is tested
 * instead.
 */
class KernelDemoTest {
    private static final String UNAVAILABLE = NetworkNamespace.unavailableReason();

    @Test
    @Timeout(120)
    void inNamespacesTheManagedStreamKeepsItsRateAndNothingIsLeftBehind(@TempDir Path dir) throws Exception {
        if (UNAVAILABLE != null) {
            System.out.println("skipped: " + UNAVAILABLE);
        }
        assumeTrue(UNAVAILABLE == null, UNAVAILABLE);
        String mine = "qsdemo" + ProcessHandle.current().pid() % 100_000 + "-"; // other programs may run too
        Cli.Result r = Cli.run("demo", "--kernel", "--seconds", "6", "--only", "video", "--out", dir.toString());
        assertThat(r.code()).as(r.out() + r.err()).isIn(ExitCodes.OK, ExitCodes.EXPECTATION_NOT_MET);
        assertThat(r.out()).contains("two network namespaces joined by a veth pair").contains("bulk TCP flow")
                .contains("bulk transfer starts").contains("bulk transfer stops");
        Matcher m = Pattern.compile("  managed\\s+(\\d+\\.\\d)\\s+(\\d+\\.\\d)\\s+(\\d+\\.\\d).*?(\\d+) of\\s+\\d+\\s*$",
                Pattern.MULTILINE).matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        double managed = Double.parseDouble(m.group(2));
        assertThat(managed).as("managed fps during the perturbation").isGreaterThanOrEqualTo(19.5);
        assertThat(m.group(4)).as("managed I-frames lost").isEqualTo("0");
        Matcher u = Pattern.compile("  unmanaged\\s+(\\d+\\.\\d)\\s+(\\d+\\.\\d)").matcher(r.out());
        assertThat(u.find()).isTrue();
        assertThat(Double.parseDouble(u.group(2))).as("unmanaged fps during the perturbation")
                .isLessThan(managed - 1);
        assertThat(Files.size(dir.resolve("video-fps.png"))).isPositive();
        // the veth pair lives inside the namespaces and goes with them
        assertThat(NetworkNamespace.run("ip", "netns", "list")).as("this run's namespaces afterwards")
                .doesNotContain(mine);
    }

    @Test
    @Timeout(20)
    void withoutRootOrIproute2TheKernelDemoSaysWhatIsMissing(@TempDir Path dir) {
        if (UNAVAILABLE == null) {
            System.out.println("skipped: namespaces can be made here, so the demo does not refuse");
        }
        assumeTrue(UNAVAILABLE != null, "namespaces can be made here");
        Cli.Result r = Cli.run("demo", "--kernel", "--out", dir.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("demo --kernel cannot run here").contains(UNAVAILABLE);
    }
}
