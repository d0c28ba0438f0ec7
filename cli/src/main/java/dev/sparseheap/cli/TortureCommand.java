/*
 * ./sparseheap torture: the heap under everything it must survive at once (random calls on
 * platform and virtual threads, cross-thread frees, thread death, deliberate and racing bad
 * frees, a memory limit, injected OS failures), verified at checkpoints. The seed is printed at
 * the start and again on failure; a progress line follows each checkpoint; the summary is
 * Markdown or, with --json, one JSON document. The exit status is 1 when any rule was broken.
 */
package dev.sparseheap.cli;

import dev.sparseheap.bench.torture.Torture;
import dev.sparseheap.bench.torture.TortureOptions;
import dev.sparseheap.bench.torture.TortureReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/** The {@code torture} subcommand. Not thread-safe; one instance per invocation. */
@Command(name = "torture", mixinStandardHelpOptions = true,
        description = {"Stress and fault injection on the real heap, verified at checkpoints.",
                "Exit status 1 when any rule is broken; the seed is printed to reproduce the run's decisions."})
final class TortureCommand implements Callable<Integer> {

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--seconds", defaultValue = "60", description = "Run time (default: ${DEFAULT-VALUE}).")
    private int seconds;

    @Option(names = "--threads", defaultValue = "4", description = "Platform worker threads (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--seed", description = "Seed of every random decision (default: a fresh one).")
    private Long seed;

    @Option(names = "--json", description = "Print one JSON document instead of Markdown.")
    private boolean json;

    @Override
    public Integer call() throws InterruptedException {
        TortureOptions options;
        try {
            options = new TortureOptions(seconds, threads, seed != null ? seed : ThreadLocalRandom.current().nextLong());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.printf("sparseheap: torture --seed %d --seconds %d --threads %d%n", options.seed(), seconds, threads);
        err.flush();
        var progress = new Progress(err);
        TortureReport report = Torture.run(options, r -> progress.update(progressLine(r)));
        progress.finish(progressLine(report));
        out.print(json ? Json.write(report) + "\n" : markdown(report));
        out.flush();
        if (!report.passed()) {
            err.printf("sparseheap: torture FAILED with %d violations; reproduce the decisions with --seed %d%n",
                    report.violationCount(), report.seed());
            err.flush();
            return 1;
        }
        return 0;
    }

    private static String progressLine(TortureReport r) {
        return "torture %.0f/%d s: %d generations, %s M operations, %d verify passes, %d violations".formatted(
                r.elapsedMillis() / 1e3, r.seconds(), r.generations(), Markdown.figure(r.operations() / 1e6),
                r.verifyPasses(), r.violationCount());
    }

    private static String markdown(TortureReport r) {
        var out = new StringBuilder();
        out.append("- seed: ").append(r.seed()).append(", ").append(r.seconds()).append(" s, ")
                .append(r.threads()).append(" platform workers per generation\n\n");
        List<List<String>> rows = List.of(
                List.of("generations (checkpoints)", Long.toString(r.generations())),
                List.of("worker threads started, platform / virtual", r.workerThreads() + " / " + r.virtualThreads()),
                List.of("operations", Long.toString(r.operations())),
                List.of("objects handed to another thread", Long.toString(r.handOvers())),
                List.of("deliberate bad frees thrown", Long.toString(r.badFreesThrown())),
                List.of("racing double-free pairs: thrown / found late", r.racingPairs() + ": " + r.racingThrown()
                        + " / " + r.racingLate()),
                List.of("OutOfMemoryError at the memory limit", Long.toString(r.limitOutOfMemory())),
                List.of("injected OS failures: OutOfMemoryError / release errors", r.injectedFaults() + ": "
                        + r.faultOutOfMemory() + " / " + r.faultReleaseErrors()),
                List.of("verify() passes", Long.toString(r.verifyPasses())),
                List.of("violations", Long.toString(r.violationCount())));
        out.append(Markdown.table(List.of("what", "count"), rows));
        for (String violation : r.violations()) {
            out.append("- VIOLATION: ").append(violation).append('\n');
        }
        return out.toString();
    }
}
