/*
 * Runs workloads on allocators the way noisy shared machines need: every allocator runs in the
 * same JVM, one warm-up round first (JIT compilation, first-touch page faults), then the measured
 * rounds interleaved (A B C, A B C, ...) so drift in machine speed hits every allocator alike;
 * the figure kept is the median, and ratios are taken between medians of the same run.
 *
 * Several thread counts run side by side the same way (each allocator at 1 thread, then at 2,
 * in every round), so that the scaling from one to the other is measured under the same drift.
 *
 * An allocator that is missing, not applicable to a workload, or that fails (an invariant broken,
 * memory exhausted) is recorded with its status and reason instead of a time; nothing is dropped.
 */
package dev.sparseheap.bench;

import dev.sparseheap.bench.workload.Workload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Interleaved, repeated runs of workloads over allocators, with medians and ratios.
 *
 * <p>Not thread-safe: one run at a time (the workloads start their own threads).
 */
public final class BenchRunner {

    /** What became of one allocator on one workload. */
    public enum Status { OK, MISSING, NOT_APPLICABLE, FAILED }

    /**
     * One allocator's figures on one workload.
     *
     * @param workload         workload name
     * @param allocator        allocator name
     * @param threads          threads the workload ran
     * @param status           whether there are figures
     * @param reason           why not, when status is not OK
     * @param runMillis        every measured run's wall time, in run order
     * @param operations       allocator calls in one run
     * @param medianMillis     median of runMillis
     * @param operationsPerSecond operations / median time
     * @param timeVsReference  this allocator's median time / sparseheap's, or NaN without both
     */
    public record Result(String workload, String allocator, int threads, Status status, String reason,
                         List<Double> runMillis, long operations, double medianMillis,
                         double operationsPerSecond, double timeVsReference) {
    }

    /**
     * The plan of a benchmark.
     *
     * @param workloads     what to run
     * @param allocators    on what
     * @param threadCounts  thread counts requested, each run side by side with the others (each
     *                      workload states what it uses for a request)
     * @param runs          measured rounds (after one warm-up round)
     * @param scale         multiplier of every workload's iteration counts
     */
    public record Plan(List<Workload> workloads, List<Allocators.Entry> allocators, List<Integer> threadCounts,
                       int runs, double scale) {
        public Plan {
            threadCounts = List.copyOf(threadCounts);
            if (threadCounts.isEmpty() || threadCounts.stream().anyMatch(t -> t < 1) || runs < 1 || !(scale > 0)) {
                throw new IllegalArgumentException("thread counts and runs must be at least 1 and scale positive: "
                        + threadCounts + ", " + runs + ", " + scale);
            }
        }

        /** The distinct thread counts {@code workload} runs for this plan, in request order. */
        public List<Integer> threadsOf(Workload workload) {
            return threadCounts.stream().map(workload::threads).distinct().toList();
        }
    }

    private final Consumer<String> progress;

    /** A runner reporting each run to {@code progress}. */
    public BenchRunner(Consumer<String> progress) {
        this.progress = progress;
    }

    /** Runs the plan; results are grouped by workload, then thread count, allocators in plan order. */
    public List<Result> run(Plan plan) {
        var results = new ArrayList<Result>();
        for (Workload workload : plan.workloads()) {
            results.addAll(runWorkload(plan, workload));
        }
        return results;
    }

    private List<Result> runWorkload(Plan plan, Workload workload) {
        List<Integer> threadCounts = plan.threadsOf(workload);
        var skipped = new LinkedHashMap<String, Outcome>();
        var live = new LinkedHashMap<String, Allocator>();
        for (var entry : plan.allocators()) {
            Optional<String> missing = entry.missingReason();
            if (missing.isPresent()) {
                skipped.put(entry.name(), Outcome.skipped(Status.MISSING, missing.get()));
                continue;
            }
            Allocator allocator = entry.create();
            if (!workload.applicableTo(allocator)) {
                allocator.close();
                skipped.put(entry.name(), Outcome.skipped(Status.NOT_APPLICABLE,
                        "no individual free and the workload has no batch structure"));
                continue;
            }
            live.put(entry.name(), allocator);
        }
        var outcomes = new LinkedHashMap<Integer, Map<String, Outcome>>();
        for (int threads : threadCounts) {
            var byAllocator = new LinkedHashMap<String, Outcome>();
            for (var entry : plan.allocators()) {
                byAllocator.put(entry.name(), skipped.getOrDefault(entry.name(), new Outcome()));
            }
            outcomes.put(threads, byAllocator);
        }
        try {
            for (int round = 0; round <= plan.runs(); round++) {
                for (var allocator : live.entrySet()) {
                    for (int threads : threadCounts) {
                        Outcome outcome = outcomes.get(threads).get(allocator.getKey());
                        if (outcome.status == Status.OK) {
                            runOnce(plan, workload, threads, allocator.getValue(), outcome, round == 0);
                        }
                    }
                }
            }
        } finally {
            live.values().forEach(Allocator::close);
        }
        var results = new ArrayList<Result>();
        outcomes.forEach((threads, byAllocator) -> results.addAll(summarize(workload, threads, byAllocator)));
        return results;
    }

    private void runOnce(Plan plan, Workload workload, int threads, Allocator allocator, Outcome outcome, boolean warmUp) {
        System.gc();
        long start = System.nanoTime();
        try {
            outcome.operations = workload.run(allocator, threads, plan.scale());
        } catch (RuntimeException | OutOfMemoryError e) {
            outcome.status = Status.FAILED;
            outcome.reason = e.toString();
            progress.accept(workload.name() + " " + allocator.name() + " " + threads + " threads failed: " + e);
            return;
        }
        double millis = (System.nanoTime() - start) / 1e6;
        if (!warmUp) {
            outcome.runMillis.add(millis);
        }
        progress.accept(String.format("%s %s %d threads %s%.1f ms", workload.name(), allocator.name(), threads,
                warmUp ? "warm-up " : "", millis));
    }
    private static List<Result> summarize(Workload workload, int threads, Map<String, Outcome> outcomes) {
        Outcome reference = outcomes.get(Allocators.REFERENCE);
        double referenceMedian = reference != null && reference.status == Status.OK ? median(reference.runMillis) : Double.NaN;
        var results = new ArrayList<Result>();
        for (var entry : outcomes.entrySet()) {
            Outcome outcome = entry.getValue();
            if (outcome.status != Status.OK) {
                results.add(new Result(workload.name(), entry.getKey(), threads, outcome.status, outcome.reason,
                        List.copyOf(outcome.runMillis), 0, Double.NaN, Double.NaN, Double.NaN));
                continue;
            }
            double median = median(outcome.runMillis);
            results.add(new Result(workload.name(), entry.getKey(), threads, Status.OK, "",
                    List.copyOf(outcome.runMillis), outcome.operations, median,
                    outcome.operations / (median / 1e3), median / referenceMedian));
        }
        return results;
    }

    /**
     * How one allocator's throughput on one workload grows from the fewest to the most threads of
     * a run.
     *
     * @param workload        workload name
     * @param allocator       allocator name
     * @param fromThreads     the fewest threads
     * @param toThreads       the most threads
     * @param throughputRatio calls per second at toThreads / calls per second at fromThreads
     */
    public record Scaling(String workload, String allocator, int fromThreads, int toThreads, double throughputRatio) {
    }

    /** The scaling of every workload and allocator measured at two or more thread counts. */
    public static List<Scaling> scaling(List<Result> results) {
        var scaling = new ArrayList<Scaling>();
        var groups = new LinkedHashMap<String, List<Result>>();
        for (Result result : results) {
            if (result.status() == Status.OK) {
                groups.computeIfAbsent(result.workload() + "\u0000" + result.allocator(), k -> new ArrayList<>()).add(result);
            }
        }
        for (List<Result> group : groups.values()) {
            if (group.size() < 2) {
                continue;
            }
            Result fewest = group.stream().min(Comparator.comparingInt(Result::threads)).orElseThrow();
            Result most = group.stream().max(Comparator.comparingInt(Result::threads)).orElseThrow();
            scaling.add(new Scaling(fewest.workload(), fewest.allocator(), fewest.threads(), most.threads(),
                    most.operationsPerSecond() / fewest.operationsPerSecond()));
        }
        return scaling;
    }

    /** The median of a non-empty list (mean of the two middle values for an even count). */
    public static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** Mutable state of one allocator during a workload's rounds. Confined to the runner. */
    private static final class Outcome {
        Status status = Status.OK;
        String reason = "";
        long operations;
        final List<Double> runMillis = new ArrayList<>();

        static Outcome skipped(Status status, String reason) {
            var outcome = new Outcome();
            outcome.status = status;
            outcome.reason = reason;
            return outcome;
        }
    }
}
