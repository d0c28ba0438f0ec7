/*
 * Starts a copy of the current JVM running another subcommand of this command line, so a
 * measurement can have a process of its own (its own resident set, its own high-water mark).
 * The child gets the same java binary, the same JVM options (module path, added modules,
 * native-access and memory flags, as the runtime reports them), the same class path and the
 * same main class.
 */
package dev.sparseheap.cli;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** Runs this command line in a child JVM. Stateless and thread-safe. */
final class ChildJvm {

    /**
     * What a child printed and how it ended.
     *
     * @param exitCode the child's exit status
     * @param output   standard output
     * @param errors   standard error
     */
    record Outcome(int exitCode, String output, String errors) {
    }

    private ChildJvm() {
    }

    /** The command line that runs {@code Main} with {@code arguments} in a JVM like this one. */
    static List<String> command(List<String> arguments) {
        return command(List.of(), arguments);
    }

    /**
     * The command line that runs {@code Main} with {@code arguments} in a JVM like this one, with
     * {@code extraOptions} after this JVM's own (so they take precedence).
     */
    static List<String> command(List<String> extraOptions, List<String> arguments) {
        var command = new ArrayList<String>();
        command.add(ProcessHandle.current().info().command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java"));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(extraOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(arguments);
        return command;
    }

    /** Runs the child to completion. */
    static Outcome run(List<String> arguments) throws IOException, InterruptedException {
        return run(List.of(), arguments);
    }

    /** Runs the child, with {@code extraOptions} added to this JVM's, to completion. */
    static Outcome run(List<String> extraOptions, List<String> arguments) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command(extraOptions, arguments)).start();
        var errors = new StringBuilder();
        Thread errorReader = Thread.ofPlatform().start(() -> {
            try {
                errors.append(new String(process.getErrorStream().readAllBytes()));
            } catch (IOException e) {
                errors.append("(standard error unreadable: ").append(e.getMessage()).append(')');
            }
        });
        String output = new String(process.getInputStream().readAllBytes());
        int exitCode = process.waitFor();
        errorReader.join();
        return new Outcome(exitCode, output, errors.toString());
    }
}
