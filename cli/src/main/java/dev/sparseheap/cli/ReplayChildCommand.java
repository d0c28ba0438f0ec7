/*
 * The hidden subcommand a replay runs in each child JVM: one trace on one allocator, the result
 * printed as one protocol line for the parent (one pass or several, each timed). It is not meant to be typed by people, so it is
 * hidden from the usage text.
 */
package dev.sparseheap.cli;

import dev.sparseheap.bench.trace.ReplayChild;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** The {@code replay-child} subcommand. One instance per invocation. */
@Command(name = "replay-child", hidden = true,
        description = "Replays one trace on one allocator in this process and prints the result line.")
final class ReplayChildCommand implements Callable<Integer> {

    @Option(names = "--allocator", required = true, description = "The allocator.")
    private String allocator;

    @Option(names = "--passes", defaultValue = "1", description = "Replays of the trace, one after the other on the same allocator instance.")
    private int passes;

    @Parameters(index = "0", paramLabel = "TRACE", description = "The trace file.")
    private Path trace;

    @Override
    public Integer call() {
        System.out.println(ReplayChild.run(allocator, trace, passes).toLine());
        return 0;
    }
}
