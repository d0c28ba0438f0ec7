/*
 * The hidden subcommand the ecosystem benchmarks run in each child JVM: one workload on one peer,
 * the result printed as one protocol line for the parent. It is not meant to be typed by people,
 * so it is hidden from the usage text.
 */
package dev.sparseheap.cli;

import dev.sparseheap.bench.ecosystem.EcosystemChild;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** The {@code bench-child} subcommand. One instance per invocation. */
@Command(name = "bench-child", hidden = true,
        description = "Measures one ecosystem workload on one peer in this process and prints the result line.")
final class BenchChildCommand implements Callable<Integer> {

    @Option(names = "--workload", required = true, description = "The ecosystem workload.")
    private String workload;

    @Option(names = "--peer", required = true, description = "The peer.")
    private String peer;

    @Option(names = "--scale", defaultValue = "1.0", description = "Multiplier of the workload's work.")
    private double scale;

    @Override
    public Integer call() {
        System.out.println(EcosystemChild.run(workload, peer, scale).toLine());
        return 0;
    }
}
