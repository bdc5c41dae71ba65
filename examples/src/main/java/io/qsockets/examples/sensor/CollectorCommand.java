package io.qsockets.examples.sensor;

import io.qsockets.examples.ExitCodes;
import io.qsockets.examples.ReceiveLoop;
import io.qsockets.examples.Units;
import java.io.PrintWriter;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The collector: receives a sensor's readings and reports late and lost ones per interval. */
@Command(name = "collector", mixinStandardHelpOptions = true,
        description = {"Receives sensor readings; every interval prints the readings received, those late "
                + "(after their deadline) and those lost.", "Exit codes: 0 readings received, 1 none, "
                + "2 bad usage, 3 failure."})
public final class CollectorCommand implements Callable<Integer> {

    @Option(names = "--bind", defaultValue = ":5005", description = "local [host]:port (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--seconds", defaultValue = "0", description = "how long to listen; 0 until interrupted "
            + "(default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--interval", defaultValue = "5", description = "report interval in seconds "
            + "(default: ${DEFAULT-VALUE})")
    double interval;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        InetSocketAddress local;
        try {
            local = Units.address(bind, null);
            if (!(interval >= 0.1) || seconds < 0) {
                throw new IllegalArgumentException("--interval " + interval + " must be >= 0.1 and --seconds "
                        + seconds + " >= 0");
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (DatagramSocket socket = new DatagramSocket(local)) {
            socket.setReceiveBufferSize(4 << 20);
            socket.setSoTimeout(50);
            out.printf(Locale.ROOT, "collector listening on %s%n", socket.getLocalSocketAddress());
            out.flush();
            long endNanos = seconds == 0 ? Long.MAX_VALUE : System.nanoTime() + Math.round(seconds * 1e9);
            ReadingLedger ledger = new ReadingLedger(ReadingWire.nowMicros(), Math.round(interval * 1e6));
            int[] printed = {0};
            ReceiveLoop.run(socket, () -> System.nanoTime() - endNanos < 0,
                    (p, now) -> ledger.onDatagram(p.getData(), p.getOffset(), p.getLength(), ReadingWire.nowMicros()),
                    () -> {
                        ledger.closeUpTo(ReadingWire.nowMicros());
                        List<ReadingLedger.Interval> all = ledger.intervals();
                        for (ReadingLedger.Interval i : all.subList(printed[0], all.size())) {
                            out.printf(Locale.ROOT, "t=%6.1f s  received %6d  late %5d  lost %5d%n",
                                    i.startSeconds() + interval, i.received(), i.late(), i.lost());
                            out.flush();
                        }
                        printed[0] = all.size();
                    });
            ledger.finish(-1);
            out.printf(Locale.ROOT, "readings received %d, late %d, lost %d%n", ledger.receivedTotal(),
                    ledger.lateTotal(), ledger.lostTotal());
            out.flush();
            return ledger.receivedTotal() > 0 ? ExitCodes.OK : ExitCodes.EXPECTATION_NOT_MET;
        }
    }
}
