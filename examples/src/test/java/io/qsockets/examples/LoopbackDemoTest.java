package io.qsockets.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LoopbackDemoTest {

    private static Cli.Result run(String... args) {
        return Cli.run(args);
    }

    @Test
    void shortDemoDeliversEverythingAndPrintsBothSidesInfo() {
        Cli.Result r = run("loopback", "--rate", "100", "--seconds", "0.5", "--size", "200", "--burst", "5");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("streaming 50 datagrams of 200 B at 100.0 packets/s")
                .contains("arrived            50 of 50")
                .contains("sender info()").contains("receiver info()")
                .contains("sent               50 pkts / 10000 B")
                .contains("received           50 pkts");
    }

    @Test
    void badOptionsGiveAClearErrorAndExitCode() {
        Cli.Result r = run("loopback", "--rate", "-3");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--rate -3.0 must be between 0 (exclusive) and 1000000 packets/s");
    }

    @Test
    void helpListsThePrograms() {
        Cli.Result r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("demo").contains("loopback");
    }
}
