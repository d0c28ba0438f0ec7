package dev.sparseheap.cli;

import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process and captures what it prints. */
record CommandRun(int status, String out, String err) {

    /**
     * Runs a command that prints its figures on {@link System#out} (bench, replay), capturing
     * that instead of the command line's writer; {@code err} is then empty.
     */
    static CommandRun ofStandardOut(String... args) {
        PrintStream standardOut = System.out;
        var captured = new ByteArrayOutputStream();
        try (var out = new PrintStream(captured, true)) {
            System.setOut(out);
            int status = new CommandLine(new Main()).execute(args);
            return new CommandRun(status, captured.toString(), "");
        } finally {
            System.setOut(standardOut);
        }
    }

    static CommandRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int status = commandLine.execute(args);
        return new CommandRun(status, out.toString(), err.toString());
    }
}
