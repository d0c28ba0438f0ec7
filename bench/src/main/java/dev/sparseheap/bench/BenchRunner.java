/*
 * Runs workloads on allocators the way noisy shared machines need: every allocator runs in the
 * same JVM, one warm-up round first (JIT compilation, first-touch page faults), then the measured
 * rounds interleaved (A B C, A B C, ...) so drift in machine speed hits every allocator alike;
 * the figure kept is the median, and ratios are taken between medians of the same run.
 *
 * An allocator that is missing, not applicable to a workload, or that fails (an invariant broken,
 * memory exhausted) is recorded with its status and reason instead of a time; nothing is dropped.
 */
package dev.sparseheap.bench;

import dev.sparseheap.bench.workload.Workload;

import java.util.ArrayList;
import java.util.Arrays;
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
     * @param workloads   what to run
     * @param allocators  on what
     * @param threads     threads requested (each workload states what it uses)
     * @param runs        measured rounds (after one warm-up round)
     * @param scale       multiplier of every workload's iteration counts
     */
    public record Plan(List<Workload> workloads, List<Allocators.Entry> allocators, int threads, int runs, double scale) {
        public Plan {
            if (threads < 1 || runs < 1 || !(scale > 0)) {
                throw new IllegalArgumentException("threads and runs must be at least 1 and scale positive: "
                        + threads + ", " + runs + ", " + scale);
            }
        }
    }

    private final Consumer<String> progress;

    /** A runner reporting each run to {@code progress}. */
    public BenchRunner(Consumer<String> progress) {
        this.progress = progress;
    }

    /** Runs the plan; results are grouped by workload, allocators in plan order. */
    public List<Result> run(Plan plan) {
        var results = new ArrayList<Result>();
        for (Workload workload : plan.workloads()) {
            results.addAll(runWorkload(plan, workload));
        }
        return results;
    }

    private List<Result> runWorkload(Plan plan, Workload workload) {
        int threads = workload.threads(plan.threads());
        var outcomes = new LinkedHashMap<String, Outcome>();
        var live = new LinkedHashMap<String, Allocator>();
        for (var entry : plan.allocators()) {
            Optional<String> missing = entry.missingReason();
            if (missing.isPresent()) {
                outcomes.put(entry.name(), Outcome.skipped(Status.MISSING, missing.get()));
                continue;
            }
            Allocator allocator = entry.create();
            if (!workload.applicableTo(allocator)) {
                allocator.close();
                outcomes.put(entry.name(), Outcome.skipped(Status.NOT_APPLICABLE,
                        "no individual free and the workload has no batch structure"));
                continue;
            }
            live.put(entry.name(), allocator);
            outcomes.put(entry.name(), new Outcome());
        }
        try {
            for (int round = 0; round <= plan.runs(); round++) {
                for (var allocator : live.entrySet()) {
                    Outcome outcome = outcomes.get(allocator.getKey());
                    if (outcome.status == Status.OK) {
                        runOnce(plan, workload, threads, allocator.getValue(), outcome, round == 0);
                    }
                }
            }
        } finally {
            live.values().forEach(Allocator::close);
        }
        return summarize(workload, threads, outcomes);
    }

    private void runOnce(Plan plan, Workload workload, int threads, Allocator allocator, Outcome outcome, boolean warmUp) {
        System.gc();
        long start = System.nanoTime();
        try {
            outcome.operations = workload.run(allocator, threads, plan.scale());
        } catch (RuntimeException | OutOfMemoryError e) {
            outcome.status = Status.FAILED;
            outcome.reason = e.toString();
            progress.accept(workload.name() + " " + allocator.name() + " failed: " + e);
            return;
        }
        double millis = (System.nanoTime() - start) / 1e6;
        if (!warmUp) {
            outcome.runMillis.add(millis);
        }
        progress.accept(String.format("%s %s %s%.1f ms", workload.name(), allocator.name(), warmUp ? "warm-up " : "", millis));
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
