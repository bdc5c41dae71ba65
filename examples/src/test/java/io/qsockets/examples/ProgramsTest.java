package io.qsockets.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each program, run briefly in process against its peer, and what it prints. */
@Timeout(30)
class ProgramsTest {

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("'%s' in:%n%s", regex, text).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void videoClientReportsTheServersFrameRateAndNoLostIFrame() throws Exception {
        int port = Cli.freePort();
        CompletableFuture<Cli.Result> client = Cli.runAsync("video-client", "--bind", "127.0.0.1:" + port,
                "--seconds", "3.5", "--interval", "1");
        Thread.sleep(300); // let the client bind before the first frame leaves
        Cli.Result server = Cli.run("video-server", "--to", "127.0.0.1:" + port, "--seconds", "2", "--fps", "20");
        Cli.Result c = client.get(20, TimeUnit.SECONDS);

        assertThat(server.code()).as(server.err()).isZero();
        assertThat(server.out()).contains("QSocket, DWCS period 50 ms, loss 1/4, I-frames non-droppable")
                .contains("sent 40 frames (2 I-frames)");
        assertThat(c.code()).as(c.out() + c.err()).isZero();
        assertThat(c.out()).containsPattern("t=\\s+1\\.0 s  fps\\s+\\d+\\.\\d  jitter");
        assertThat(number(c.out(), "frames complete (\\d+)")).isBetween(36L, 40L);
        assertThat(number(c.out(), "\\(I-frames (\\d+)\\)")).isZero();
    }

    @Test
    void generatedStreamFromAPlainSocketIsReceivedToo() throws Exception {
        int port = Cli.freePort();
        CompletableFuture<Cli.Result> client = Cli.runAsync("video-client", "--bind", "127.0.0.1:" + port,
                "--seconds", "2");
        Thread.sleep(300);
        Cli.Result server = Cli.run("video-server", "--to", "127.0.0.1:" + port, "--seconds", "1", "--plain",
                "--generate", "--bitrate", "2M", "--gop", "IPPP");
        Cli.Result c = client.get(20, TimeUnit.SECONDS);
        assertThat(server.out()).contains("plain DatagramSocket").contains("sent 20 frames (5 I-frames)");
        assertThat(number(c.out(), "frames complete (\\d+)")).isBetween(18L, 20L);
    }

    @Test
    void collectorCountsTheSensorsReadingsAndLossyEdfDeliversAlmostNoneLate() throws Exception {
        int port = Cli.freePort();
        CompletableFuture<Cli.Result> collector = Cli.runAsync("collector", "--bind", "127.0.0.1:" + port,
                "--seconds", "3", "--interval", "1");
        Thread.sleep(300);
        Cli.Result sensor = Cli.run("sensor", "--to", "127.0.0.1:" + port, "--seconds", "2", "--mode", "lossy",
                "--device-rate", "4M");
        Cli.Result c = collector.get(20, TimeUnit.SECONDS);

        assertThat(sensor.code()).as(sensor.err()).isZero();
        long sent = number(sensor.out(), "readings \\d+: sent (\\d+)");
        assertThat(sent).isPositive();
        assertThat(c.code()).isZero();
        assertThat(c.out()).containsPattern("t=\\s+1\\.0 s  received\\s+\\d+  late\\s+\\d+  lost\\s+\\d+");
        // lossy EDF drops readings it could not deliver in time; the rest arrive
        long received = number(c.out(), "readings received (\\d+)");
        assertThat(received).isPositive().isLessThanOrEqualTo(sent);
        // a cold JVM on a loaded test machine may stall past the 20 ms guard now and then
        assertThat(number(c.out(), "readings received \\d+, late (\\d+)")).isLessThanOrEqualTo(received / 100 + 1);
    }

    @Test
    void qperfClientPrintsTheServersReportAsJson() throws Exception {
        int port = Cli.freePort();
        CompletableFuture<Cli.Result> server = Cli.runAsync("qperf", "--server", "-p", Integer.toString(port),
                "--once");
        Thread.sleep(300);
        Cli.Result client = Cli.run("qperf", "-c", "127.0.0.1:" + port, "-t", "1", "-b", "2M", "-l", "1000",
                "--deadline", "100", "--json");
        Cli.Result s = server.get(20, TimeUnit.SECONDS);

        assertThat(client.code()).as(client.err()).isZero();
        assertThat(client.out().strip()).startsWith("{\"sent\":").endsWith("}");
        long sent = number(client.out(), "\"sent\":(\\d+)");
        assertThat(sent).isBetween(150L, 260L); // 2 Mbit/s of 1028-byte datagrams: 243 per second at most
        assertThat(number(client.out(), "\"received\":(\\d+)")).isEqualTo(sent);
        assertThat(client.out()).contains("\"duplicates\":0").contains("\"with_deadline\":" + sent);
        // loopback, 100 ms deadline: all on time unless the loaded test machine stalls a thread
        assertThat(Double.parseDouble(client.out().replaceAll(".*\"on_time_percent\":([0-9.]+).*", "$1").strip()))
                .isGreaterThan(90.0);
        assertThat(s.code()).isZero();
        assertThat(s.out()).contains("qperf server report").contains("throughput").contains("jitter");
    }

    @Test
    void qperfClientWithoutServerExitsOneWithAClearMessage() throws Exception {
        Cli.Result client = Cli.run("qperf", "-c", "127.0.0.1:" + Cli.freePort(), "-t", "0.2", "-b", "100k");
        assertThat(client.code()).isEqualTo(ExitCodes.EXPECTATION_NOT_MET);
        assertThat(client.err()).contains("no report from").contains("is qperf --server running there?");
    }

    @Test
    void badArgumentsExitTwoNamingTheValue() {
        Cli.Result r = Cli.run("video-server", "--to", "127.0.0.1:5004", "--loss", "5/4");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--loss '5/4' must be x/y with 0 <= x <= y and y >= 1");
        Cli.Result s = Cli.run("sensor", "--to", "127.0.0.1:5005", "--mode", "fast");
        assertThat(s.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(s.err()).contains("--mode 'fast' must be lossy, lossless or plain");
        Cli.Result q = Cli.run("qperf");
        assertThat(q.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(q.err()).contains("--server").contains("--client");
    }

    @Test
    void helpListsEveryProgram() {
        Cli.Result r = Cli.run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("demo", "video-server", "video-client", "sensor", "collector", "qperf",
                "loopback");
        assertThat(Cli.run("video-server", "--help").out()).contains("--to").contains("--plain");
    }
}
