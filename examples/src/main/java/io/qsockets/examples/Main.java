package io.qsockets.examples;

import io.qsockets.examples.demo.DemoCommand;
import io.qsockets.examples.qperf.QperfCommand;
import io.qsockets.examples.sensor.CollectorCommand;
import io.qsockets.examples.sensor.SensorCommand;
import io.qsockets.examples.video.VideoClientCommand;
import io.qsockets.examples.video.VideoServerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The examples' command line: {@code qsockets-examples <program> [options]}. */
@Command(name = "qsockets-examples", mixinStandardHelpOptions = true, version = "qsockets examples 0.1",
        description = "Programs that show qsockets at work.", subcommands = {DemoCommand.class, VideoServerCommand.class, VideoClientCommand.class,
            SensorCommand.class, CollectorCommand.class, QperfCommand.class, LoopbackDemo.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the program the arguments name; the demo when they name none. */
    public static void main(String[] args) {
        String[] effective = args.length == 0 ? new String[] {"demo"} : args;
        System.exit(commandLine().execute(effective));
    }

    /**
     * @return the command line of every program: bad usage exits 2 (picocli's default), a failure
     *     (an exception) prints one line naming it and exits {@link ExitCodes#FAILURE}
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(cmd.getCommandName() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
            cmd.getErr().flush();
            return ExitCodes.FAILURE;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
