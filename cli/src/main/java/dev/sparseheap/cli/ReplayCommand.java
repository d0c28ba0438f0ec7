/*
 * ./sparseheap replay: replays recorded allocation traces on sparseheap and every peer, each
 * replay in a child JVM of its own so that its peak resident memory is its own. Rounds are
 * interleaved (A B C, A B C, ...) and the medians kept. Each child replays the trace --passes
 * times on one allocator instance: the first pass is cold (JIT compilation included), the
 * median of the others warm. It reports operations per second, cold and warm time, peak resident
 * memory above the child's baseline (first pass), the trace's peak live bytes and their ratio
 * (fragmentation), as Markdown or one JSON document, plus an optional SVG chart.
 */
package dev.sparseheap.cli;

import dev.sparseheap.bench.Allocators;
import dev.sparseheap.bench.BenchRunner;
import dev.sparseheap.bench.trace.ReplayResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** The {@code replay} subcommand. Not thread-safe; one instance per invocation. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Allocation traces replayed on sparseheap and its peers, each in its own JVM.",
                "Reports speed, peak resident memory above baseline and fragmentation."})
final class ReplayCommand implements Callable<Integer> {

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TRACE", description = "Trace files (sparseheap-trace 1, plain or .gz).")
    private List<Path> traces;

    @Option(names = "--allocators", split = ",", paramLabel = "LIST",
            description = "Comma-separated allocators (default: all that free individually).")
    private List<String> allocatorNames = new ArrayList<>();

    @Option(names = "--runs", defaultValue = "3", description = "Interleaved rounds; medians are reported (default: ${DEFAULT-VALUE}).")
    private int runs;

    @Option(names = "--passes", defaultValue = "3",
            description = "Replays per child JVM on one allocator: the first cold, the rest warm (default: ${DEFAULT-VALUE}).")
    private int passes;

    @Mixin
    private FigureOutput output;

    /**
     * One allocator on one trace over all rounds.
     *
     * @param trace       trace file name
     * @param allocator   allocator name
     * @param status      ok, missing, not applicable or failed
     * @param reason      why not ok
     * @param runs        each round's result
     * @param coldMedianMillis median time of the first pass in each child
     * @param warmMedianMillis median over rounds of each child's median time of its later passes
     *                         (NaN with one pass)
     * @param operationsPerSecond events per second at the cold median time
     * @param medianPeakRssAboveBaseline median peak resident bytes above baseline (first pass)
     * @param peakLiveBytes the trace's peak live bytes
     * @param fragmentation median peak RSS above baseline / peak live
     * @param timeVsReference cold median time / sparseheap's
     * @param warmTimeVsReference warm median time / sparseheap's
     */
    record Row(String trace, String allocator, BenchRunner.Status status, String reason, List<ReplayResult> runs,
               double coldMedianMillis, double warmMedianMillis, double operationsPerSecond,
               long medianPeakRssAboveBaseline, long peakLiveBytes, double fragmentation, double timeVsReference,
               double warmTimeVsReference) {
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        PeerSetup setup;
        try {
            if (runs < 1) {
                throw new IllegalArgumentException("--runs must be at least 1");
            }
            if (passes < 1) {
                throw new IllegalArgumentException("--passes must be at least 1");
            }
            for (Path trace : traces) {
                if (!Files.isReadable(trace)) {
                    throw new IllegalArgumentException("cannot read trace " + trace);
                }
            }
            setup = PeerSetup.prepare(allocatorNames.isEmpty() ? defaultAllocators() : allocatorNames, System.err);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        var rows = new ArrayList<Row>();
        for (Path trace : traces) {
            rows.addAll(replay(trace, setup.allocators()));
        }
        output.publish(() -> chart(setup, rows), () -> document(setup, rows), () -> markdown(setup, rows));
        return rows.stream().anyMatch(r -> r.status() == BenchRunner.Status.FAILED) ? 1 : 0;
    }

    /** Every allocator that frees individually: a trace frees objects one by one. */
    private static List<String> defaultAllocators() {
        return Allocators.all().stream().filter(e -> !e.name().startsWith("jdk-")).map(Allocators.Entry::name).toList();
    }

    private List<Row> replay(Path trace, List<Allocators.Entry> allocators) throws IOException, InterruptedException {
        var results = new LinkedHashMap<String, List<ReplayResult>>();
        var failures = new LinkedHashMap<String, String>();
        for (var entry : allocators) {
            entry.missingReason().ifPresent(reason -> failures.put(entry.name(), reason));
            results.put(entry.name(), new ArrayList<>());
        }
        for (int round = 0; round < runs; round++) {
            for (var entry : allocators) {
                if (failures.containsKey(entry.name())) {
                    continue;
                }
                ChildJvm.Outcome outcome = ChildJvm.run(List.of("replay-child", "--allocator", entry.name(),
                        "--passes", Integer.toString(passes), trace.toString()));
                try {
                    if (outcome.exitCode() != 0) {
                        throw new IllegalArgumentException("exit status " + outcome.exitCode() + ": " + lastLine(outcome.errors()));
                    }
                    ReplayResult result = ReplayResult.fromOutput(outcome.output());
                    results.get(entry.name()).add(result);
                    System.err.printf("sparseheap: replay %s %s cold %.1f ms, warm %.1f ms, peak RSS +%s%n",
                            trace.getFileName(), entry.name(), result.coldNanos() / 1e6, result.warmNanos() / 1e6,
                            Markdown.mebibytes(result.peakRssAboveBaseline()));
                } catch (IllegalArgumentException e) {
                    failures.put(entry.name(), "failed: " + e.getMessage());
                    System.err.println("sparseheap: replay " + trace.getFileName() + " " + entry.name() + " failed: " + e.getMessage());
                }
            }
        }
        return rows(trace, allocators, results, failures);
    }

    private static List<Row> rows(Path trace, List<Allocators.Entry> allocators, Map<String, List<ReplayResult>> results,
                                  Map<String, String> failures) {
        boolean hasReference = results.containsKey(Allocators.REFERENCE) && !failures.containsKey(Allocators.REFERENCE)
                && !results.get(Allocators.REFERENCE).isEmpty();
        double referenceCold = hasReference ? coldMedianMillis(results.get(Allocators.REFERENCE)) : Double.NaN;
        double referenceWarm = hasReference ? warmMedianMillis(results.get(Allocators.REFERENCE)) : Double.NaN;
        var rows = new ArrayList<Row>();
        for (var entry : allocators) {
            List<ReplayResult> runs = results.get(entry.name());
            String failure = failures.get(entry.name());
            if (failure != null || runs.isEmpty()) {
                BenchRunner.Status status = entry.available() ? BenchRunner.Status.FAILED : BenchRunner.Status.MISSING;
                rows.add(new Row(trace.getFileName().toString(), entry.name(), status, failure, runs,
                        Double.NaN, Double.NaN, Double.NaN, 0, 0, Double.NaN, Double.NaN, Double.NaN));
                continue;
            }
            double cold = coldMedianMillis(runs);
            double warm = warmMedianMillis(runs);
            long peakRss = (long) BenchRunner.median(runs.stream().map(r -> (double) r.peakRssAboveBaseline()).toList());
            long peakLive = runs.getFirst().peakLiveBytes();
            rows.add(new Row(trace.getFileName().toString(), entry.name(), BenchRunner.Status.OK, "", runs, cold, warm,
                    runs.getFirst().events() / (cold / 1e3), peakRss, peakLive, (double) peakRss / peakLive,
                    cold / referenceCold, warm / referenceWarm));
        }
        return rows;
    }

    private static double coldMedianMillis(List<ReplayResult> runs) {
        return BenchRunner.median(runs.stream().map(r -> r.coldNanos() / 1e6).toList());
    }

    /** The median over rounds of each round's warm time; NaN when the children made one pass. */
    private static double warmMedianMillis(List<ReplayResult> runs) {
        return BenchRunner.median(runs.stream().map(r -> r.warmNanos() / 1e6).toList());
    }

    private static String lastLine(String text) {
        List<String> lines = text.strip().lines().toList();
        return lines.isEmpty() ? "(no output)" : String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    private Map<String, Object> document(PeerSetup setup, List<Row> rows) {
        var document = new LinkedHashMap<String, Object>();
        document.put("command", "replay");
        document.put("environment", setup.environment());
        document.put("installed", setup.installed());
        document.put("runs", runs);
        document.put("passes", passes);
        document.put("results", rows);
        return document;
    }

    private String markdown(PeerSetup setup, List<Row> rows) {
        var out = new StringBuilder();
        out.append(setup.describe());
        out.append("- rounds: ").append(runs).append(", each replay in its own JVM; medians\n");
        out.append("- passes: ").append(passes).append(" per JVM on one allocator instance; cold = the first,")
                .append(" warm = the median of the others; peak RSS on the first pass\n\n");
        var table = new ArrayList<List<String>>();
        for (Row row : rows) {
            boolean ok = row.status() == BenchRunner.Status.OK;
            table.add(List.of(row.trace(), row.allocator(),
                    ok ? Markdown.figure(row.operationsPerSecond() / 1e6) : "–",
                    ok ? Markdown.figure(row.coldMedianMillis()) : "–",
                    ok ? Markdown.ratio(row.timeVsReference()) : "–",
                    ok ? Markdown.figure(row.warmMedianMillis()) : "–",
                    ok ? Markdown.ratio(row.warmTimeVsReference()) : "–",
                    ok ? Markdown.mebibytes(row.medianPeakRssAboveBaseline()) : "–",
                    ok ? Markdown.mebibytes(row.peakLiveBytes()) : "–",
                    ok ? Markdown.figure(row.fragmentation()) : "–",
                    ok ? "ok" : row.status().name().toLowerCase() + ": " + row.reason()));
        }
        out.append(Markdown.table(List.of("trace", "allocator", "M ops/s cold", "cold ms", "cold vs sparseheap",
                "warm ms", "warm vs sparseheap",
                "peak RSS above baseline", "peak live", "RSS / live", "status"), table));
        return out.toString();
    }

    private SvgBarChart chart(PeerSetup setup, List<Row> rows) {
        List<String> names = setup.allocators().stream().map(Allocators.Entry::name).toList();
        List<String> traceNames = rows.stream().map(Row::trace).distinct().toList();
        var groups = new ArrayList<String>();
        double[][] values = new double[traceNames.size() * 3][names.size()];
        for (int t = 0; t < traceNames.size(); t++) {
            String name = traceNames.get(t).replace(".trace.gz", "");
            groups.add(name + ": cold time vs sparseheap");
            groups.add(name + ": warm time vs sparseheap");
            groups.add(name + ": peak RSS / live");
            for (int a = 0; a < names.size(); a++) {
                Optional<Row> row = find(rows, traceNames.get(t), names.get(a));
                values[3 * t][a] = row.map(Row::timeVsReference).orElse(Double.NaN);
                values[3 * t + 1][a] = row.map(Row::warmTimeVsReference).orElse(Double.NaN);
                values[3 * t + 2][a] = row.map(Row::fragmentation).orElse(Double.NaN);
            }
        }
        return new SvgBarChart("sparseheap replay, " + setup.environment().date(),
                "cold and warm time relative to sparseheap; peak resident memory above baseline per peak live byte", groups, names, values);
    }

    private static Optional<Row> find(List<Row> rows, String trace, String allocator) {
        return rows.stream().filter(r -> r.trace().equals(trace) && r.allocator().equals(allocator)).findFirst();
    }
}
