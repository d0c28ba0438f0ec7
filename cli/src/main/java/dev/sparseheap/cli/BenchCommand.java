/*
 * ./sparseheap bench: the synthetic workloads on sparseheap and every peer in one JVM, warm-up
 * then interleaved measured rounds, medians, and each allocator's time relative to sparseheap
 * measured side by side. Output is Markdown (or one JSON document with every run's time), plus
 * an optional SVG chart of the ratios.
 *
 * Ecosystem workloads (Netty's HTTP codecs, Arrow's vectors) are named like the synthetic ones
 * but run through EcosystemBench: the library's own allocators are their peers, and each
 * measurement has a JVM of its own so that peak resident memory is reported beside time.
 */
package dev.sparseheap.cli;

import dev.sparseheap.bench.Allocators;
import dev.sparseheap.bench.BenchRunner;
import dev.sparseheap.bench.ecosystem.EcosystemWorkload;
import dev.sparseheap.bench.ecosystem.EcosystemWorkloads;
import dev.sparseheap.bench.workload.Workload;
import dev.sparseheap.bench.workload.Workloads;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** The {@code bench} subcommand. Not thread-safe; one instance per invocation. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Synthetic workloads on sparseheap and its peers, side by side.",
                "Workloads re-expressed from mimalloc-bench and glibc; interleaved rounds, medians,",
                "and each allocator's time relative to sparseheap.",
                "Ecosystem workloads (Netty, Arrow): each peer in a JVM of its own, time and peak RSS."})
final class BenchCommand implements Callable<Integer> {

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "WORKLOAD",
            description = "Workloads to run (default: all), synthetic or ecosystem (${COMPLETION-CANDIDATES}).",
            completionCandidates = EcosystemNames.class)
    private List<String> workloadNames = new ArrayList<>();

    @Option(names = "--allocators", split = ",", paramLabel = "LIST",
            description = "Comma-separated allocators of the synthetic workloads (default: all); ecosystem workloads always run their own peers.")
    private List<String> allocatorNames = new ArrayList<>();

    @Option(names = "--threads", split = ",", defaultValue = "2", paramLabel = "N[,N...]",
            description = {"Threads per multi-threaded workload (default: ${DEFAULT-VALUE}); several counts run side by side",
                    "and the scaling from the fewest to the most is reported."})
    private List<Integer> threads;

    @Option(names = "--runs", defaultValue = "3", description = "Measured rounds after one warm-up round (default: ${DEFAULT-VALUE}).")
    private int runs;

    @Option(names = "--scale", defaultValue = "1.0", description = "Multiplier of the workloads' iteration counts (default: ${DEFAULT-VALUE}).")
    private double scale;

    @Mixin
    private FigureOutput output;

    @Override
    public Integer call() throws IOException {
        List<Workload> workloads;
        List<EcosystemWorkload> ecosystem;
        PeerSetup setup;
        BenchRunner.Plan plan;
        try {
            List<String> ecosystemNames = workloadNames.stream().filter(n -> EcosystemWorkloads.find(n).isPresent()).toList();
            List<String> syntheticNames = workloadNames.stream().filter(n -> EcosystemWorkloads.find(n).isEmpty()).toList();
            workloads = workloadNames.isEmpty() ? Workloads.all() : Workloads.named(syntheticNames);
            ecosystem = workloadNames.isEmpty() ? EcosystemWorkloads.all() : EcosystemWorkloads.named(ecosystemNames);
            setup = PeerSetup.prepare(workloads.isEmpty() && allocatorNames.isEmpty() ? List.of(Allocators.REFERENCE)
                    : allocatorNames, System.err);
            plan = new BenchRunner.Plan(workloads, setup.allocators(), threads, runs, scale);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage()
                    + (e.getMessage().startsWith("unknown workload") ? "; ecosystem: " + EcosystemWorkloads.names() : ""));
        }
        Consumer<String> progress = line -> System.err.println("sparseheap: " + line);
        List<BenchRunner.Result> results = new BenchRunner(progress).run(plan);
        List<EcosystemBench.PeerResult> ecosystemResults = EcosystemBench.run(ecosystem, runs, scale, progress);
        output.publish(() -> chart(setup, plan, workloads, results),
                () -> document(setup, plan, workloads, results, ecosystem, ecosystemResults),
                () -> markdown(setup, plan, workloads, results, ecosystem, ecosystemResults));
        return results.stream().anyMatch(r -> r.status() == BenchRunner.Status.FAILED)
                || ecosystemResults.stream().anyMatch(r -> r.status() == BenchRunner.Status.FAILED) ? 1 : 0;
    }

    /** The ecosystem workload names, for the usage text. */
    static final class EcosystemNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return EcosystemWorkloads.all().stream().map(EcosystemWorkload::name).iterator();
        }
    }

    private Map<String, Object> document(PeerSetup setup, BenchRunner.Plan plan, List<Workload> workloads,
                                         List<BenchRunner.Result> results, List<EcosystemWorkload> ecosystem,
                                         List<EcosystemBench.PeerResult> ecosystemResults) {
        var document = new LinkedHashMap<String, Object>();
        document.put("command", "bench");
        document.put("environment", setup.environment());
        document.put("installed", setup.installed());
        document.put("threads", plan.threadCounts());
        document.put("runs", plan.runs());
        document.put("scale", plan.scale());
        document.put("workloads", workloads.stream().map(w -> workloadInfo(w, plan)).toList());
        document.put("results", results);
        document.put("scaling", BenchRunner.scaling(results));
        document.put("ecosystemWorkloads", ecosystem.stream().map(w -> Map.of("name", w.name(),
                "description", w.description(), "parameters", w.parameters(plan.scale()), "peers", w.peers())).toList());
        document.put("ecosystemResults", ecosystemResults);
        return document;
    }

    private static Map<String, Object> workloadInfo(Workload workload, BenchRunner.Plan plan) {
        var info = new LinkedHashMap<String, Object>();
        List<Integer> used = plan.threadsOf(workload);
        info.put("name", workload.name());
        info.put("description", workload.description());
        info.put("threads", used);
        info.put("parameters", used.stream().map(t -> workload.parameters(t, plan.scale())).toList());
        info.put("jdkArenaMapping", workload.batchMapping().orElse("not applicable"));
        return info;
    }

    private String markdown(PeerSetup setup, BenchRunner.Plan plan, List<Workload> workloads, List<BenchRunner.Result> results,
                            List<EcosystemWorkload> ecosystem, List<EcosystemBench.PeerResult> ecosystemResults) {
        var out = new StringBuilder();
        out.append(setup.describe());
        if (!workloads.isEmpty()) {
            appendSynthetic(out, setup, plan, workloads, results);
        }
        if (!ecosystem.isEmpty()) {
            out.append(workloads.isEmpty() ? "\n" : "\n\n");
            out.append(EcosystemBench.markdown(ecosystem, ecosystemResults, plan.runs(), plan.scale()));
        }
        return out.toString();
    }

    private static void appendSynthetic(StringBuilder out, PeerSetup setup, BenchRunner.Plan plan, List<Workload> workloads,
                                        List<BenchRunner.Result> results) {
        out.append(String.format("- threads requested: %s, measured runs: %d after 1 warm-up, scale: %s%n%n",
                plan.threadCounts().stream().map(String::valueOf).collect(Collectors.joining(",")),
                plan.runs(), plan.scale()));
        List<String> names = setup.allocators().stream().map(Allocators.Entry::name).toList();
        out.append("Median time of each allocator divided by sparseheap's median time in the same run "
                + "(above 1.00× sparseheap is faster; below, it is slower):\n\n");
        var header = new ArrayList<>(List.of("workload", "threads"));
        header.addAll(names);
        var rows = new ArrayList<List<String>>();
        for (Workload workload : workloads) {
            for (int threads : plan.threadsOf(workload)) {
                var row = new ArrayList<>(List.of(workload.name(), String.valueOf(threads)));
                for (String name : names) {
                    row.add(find(results, workload.name(), threads, name).map(BenchCommand::ratioCell).orElse("–"));
                }
                rows.add(row);
            }
        }
        out.append(Markdown.table(header, rows)).append('\n');
        out.append("Medians, throughput and every measured run:\n\n");
        var detail = new ArrayList<List<String>>();
        for (BenchRunner.Result r : results) {
            detail.add(List.of(r.workload(), r.allocator(), String.valueOf(r.threads()), Markdown.figure(r.medianMillis()),
                    Markdown.figure(r.operationsPerSecond() / 1e6), Markdown.ratio(r.timeVsReference()),
                    String.join(" ", r.runMillis().stream().map(Markdown::figure).toList()),
                    r.status() == BenchRunner.Status.OK ? "ok" : r.status().name().toLowerCase().replace('_', ' ') + ": " + r.reason()));
        }
        out.append(Markdown.table(List.of("workload", "allocator", "threads", "median ms", "M calls/s",
                "time vs sparseheap", "runs (ms)", "status"), detail)).append('\n');
        List<BenchRunner.Scaling> scaling = BenchRunner.scaling(results);
        if (!scaling.isEmpty()) {
            out.append("Scaling: calls per second at the most threads / at the fewest, measured side by side:\n\n");
            out.append(scalingTable(workloads, names, scaling)).append('\n');
        }
        out.append("Workload parameters:\n\n");
        var parameters = new ArrayList<List<String>>();
        for (Workload workload : workloads) {
            for (int threads : plan.threadsOf(workload)) {
                parameters.add(List.of(workload.name(), workload.description(), workload.parameters(threads, plan.scale()),
                        workload.batchMapping().orElse("not applicable")));
            }
        }
        out.append(Markdown.table(List.of("workload", "what it does", "parameters", "JDK arenas"), parameters));
    }

    private static String scalingTable(List<Workload> workloads, List<String> names, List<BenchRunner.Scaling> scaling) {
        var header = new ArrayList<>(List.of("workload", "threads"));
        header.addAll(names);
        var rows = new ArrayList<List<String>>();
        for (Workload workload : workloads) {
            List<BenchRunner.Scaling> ofWorkload = scaling.stream().filter(s -> s.workload().equals(workload.name())).toList();
            if (ofWorkload.isEmpty()) {
                continue;
            }
            var row = new ArrayList<>(List.of(workload.name(),
                    ofWorkload.getFirst().fromThreads() + " → " + ofWorkload.getFirst().toThreads()));
            for (String name : names) {
                row.add(ofWorkload.stream().filter(s -> s.allocator().equals(name)).findFirst()
                        .map(s -> Markdown.ratio(s.throughputRatio())).orElse("–"));
            }
            rows.add(row);
        }
        return Markdown.table(header, rows);
    }

    private static String ratioCell(BenchRunner.Result result) {
        return switch (result.status()) {
            case OK -> Markdown.ratio(result.timeVsReference());
            case MISSING -> "missing";
            case NOT_APPLICABLE -> "n/a";
            case FAILED -> "failed";
        };
    }

    private static Optional<BenchRunner.Result> find(List<BenchRunner.Result> results, String workload, int threads,
                                                     String allocator) {
        return results.stream().filter(r -> r.workload().equals(workload) && r.threads() == threads
                && r.allocator().equals(allocator)).findFirst();
    }

    private SvgBarChart chart(PeerSetup setup, BenchRunner.Plan plan, List<Workload> workloads, List<BenchRunner.Result> results) {
        List<String> names = setup.allocators().stream().map(Allocators.Entry::name).toList();
        var groups = new ArrayList<String>();
        var values = new ArrayList<double[]>();
        for (Workload workload : workloads) {
            for (int threads : plan.threadsOf(workload)) {
                groups.add(workload.name() + " (" + threads + (threads == 1 ? " thread)" : " threads)"));
                double[] row = new double[names.size()];
                for (int a = 0; a < names.size(); a++) {
                    row[a] = find(results, workload.name(), threads, names.get(a))
                            .map(BenchRunner.Result::timeVsReference).orElse(Double.NaN);
                }
                values.add(row);
            }
        }
        return new SvgBarChart("sparseheap bench, " + setup.environment().date(),
                "median time relative to sparseheap (above 1: sparseheap faster)",
                groups, names, values.toArray(double[][]::new));
    }
}
