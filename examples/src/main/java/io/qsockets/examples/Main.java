package io.qsockets.examples;

import io.qsockets.examples.demo.DemoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The examples' command line: {@code qsockets-examples <program> [options]}. */
@Command(name = "qsockets-examples", mixinStandardHelpOptions = true, version = "qsockets examples 0.1",
        description = "Programs that show qsockets at work.", subcommands = {DemoCommand.class, LoopbackDemo.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the program the arguments name; the demo when they name none. */
    public static void main(String[] args) {
        String[] effective = args.length == 0 ? new String[] {"demo"} : args;
        System.exit(new CommandLine(new Main()).execute(effective));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
