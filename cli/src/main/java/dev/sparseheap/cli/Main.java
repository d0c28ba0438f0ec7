package dev.sparseheap.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./sparseheap}: one picocli subcommand per verb. */
@Command(name = "sparseheap",
        mixinStandardHelpOptions = true,
        version = "sparseheap 0.1.0",
        description = "A native-memory allocator for the JVM: sparse arenas, spans, size classes.",
        subcommands = {
                CommandLine.HelpCommand.class,
                DemoCommand.class,
                SimulateCommand.class,
                MapCommand.class,
                BenchCommand.class,
                BenchChildCommand.class,
                ReplayCommand.class,
                ReplayChildCommand.class,
                ProfileCommand.class,
                TortureCommand.class,
        })
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
