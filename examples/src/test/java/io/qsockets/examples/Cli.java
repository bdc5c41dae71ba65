package io.qsockets.examples;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;

/** Runs the programs in process and captures what they print. */
public final class Cli {

    private Cli() {
    }

    /** What a run printed and returned. */
    public record Result(int code, String out, String err) {
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    public static CompletableFuture<Result> runAsync(String... args) {
        return CompletableFuture.supplyAsync(() -> run(args));
    }

    /** @return a loopback UDP port that was free a moment ago */
    public static int freePort() throws SocketException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }
}
