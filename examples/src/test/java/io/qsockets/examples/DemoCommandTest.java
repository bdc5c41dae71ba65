package io.qsockets.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The demo, run short. */
class DemoCommandTest {

    @Test
    @Timeout(60)
    void shortVideoDemoKeepsTheManagedStreamAndWritesItsFiles(@TempDir Path dir) throws Exception {
        Cli.Result r = Cli.run("demo", "--seconds", "5", "--only", "video", "--out", dir.toString());
        assertThat(r.code()).as(r.out() + r.err()).isIn(ExitCodes.OK, ExitCodes.EXPECTATION_NOT_MET);
        assertThat(r.out()).contains("bulk transfer starts").contains("bulk transfer stops")
                .contains("20 fps video, managed vs unmanaged (Fig. 4, 5): bulk transfer from 2 s to 4 s");
        Matcher m = Pattern.compile("  managed\\s+(\\d+\\.\\d)\\s+(\\d+\\.\\d)\\s+(\\d+\\.\\d).*?(\\d+) of\\s+\\d+\\s*$",
                Pattern.MULTILINE).matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Double.parseDouble(m.group(2))).as("managed fps during the perturbation").isGreaterThan(18);
        assertThat(m.group(4)).as("managed I-frames lost").isEqualTo("0");
        Matcher u = Pattern.compile("  unmanaged\\s+(\\d+\\.\\d)\\s+(\\d+\\.\\d)").matcher(r.out());
        assertThat(u.find()).isTrue();
        assertThat(Double.parseDouble(u.group(2))).as("unmanaged fps during").isLessThan(Double.parseDouble(m.group(2)));
        for (String f : new String[] {"video.csv", "video-fps.png", "video-jitter.png"}) {
            assertThat(Files.size(dir.resolve(f))).as(f).isPositive();
        }
        assertThat(Files.readAllLines(dir.resolve("video.csv"))).hasSize(6)
                .first().isEqualTo("second,managed_fps,managed_jitter_ms,managed_lost_frames,unmanaged_fps,"
                        + "unmanaged_jitter_ms,unmanaged_lost_frames");
    }

    @Test
    @Timeout(60)
    void shortSensorDemoHasNoLateReadingWithLossyEdf(@TempDir Path dir) throws Exception {
        Cli.Result r = Cli.run("demo", "--seconds", "4", "--only", "sensor", "--out", dir.toString());
        Matcher lossy = Pattern.compile("  lossy EDF\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)").matcher(r.out());
        assertThat(lossy.find()).as(r.out()).isTrue();
        assertThat(Long.parseLong(lossy.group(1))).isPositive();
        Matcher lossless = Pattern.compile("  lossless EDF\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)").matcher(r.out());
        assertThat(lossless.find()).isTrue();
        long readings = Long.parseLong(lossy.group(1));
        long lossyLate = Long.parseLong(lossy.group(3));
        // the README's full run shows 0; a short run on a loaded test machine may see a scheduling stall
        assertThat(lossyLate).as("late readings with lossy EDF").isLessThanOrEqualTo(readings / 100)
                .isLessThan(Long.parseLong(lossless.group(3)));
        assertThat(lossless.group(4)).as("lossless EDF loses nothing").isEqualTo("0");
        assertThat(r.out()).contains("  plain socket");
        assertThat(Files.size(dir.resolve("sensor-missed.png"))).isPositive();
        assertThat(Files.readAllLines(dir.resolve("sensor.csv")).get(0)).startsWith("second,lossy_edf_taken,");
    }

    @Test
    @Timeout(10)
    void tooShortRunsAreRefused() {
        Cli.Result r = Cli.run("demo", "--seconds", "2");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--seconds 2 must be between 4 and 600");
    }
}
