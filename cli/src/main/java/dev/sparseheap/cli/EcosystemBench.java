/*
 * The ecosystem part of ./sparseheap bench: each workload's peers measured in child JVMs of their
 * own (so each peak resident set is the peer's own), in interleaved rounds (A B C, A B C, ...) so
 * that drift in machine speed hits every peer alike. Per peer the figures kept are the medians of
 * the rounds, time and peak resident memory above the child's baseline, and both are given
 * relative to sparseheap's medians of the same run. Each child's Java heap is fixed in size and
 * touched at start-up, so the resident growth it reports is the native memory the run took.
 *
 * A child that fails (non-zero exit, no result line, a check of the workload broken) marks its
 * peer failed with the reason; the peer is not run again and nothing else is dropped.
 */
package dev.sparseheap.cli;

import dev.sparseheap.bench.BenchRunner;
import dev.sparseheap.bench.ecosystem.EcosystemResult;
import dev.sparseheap.bench.ecosystem.EcosystemWorkload;
import io.netty.util.Version;
import org.apache.arrow.memory.BufferAllocator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Runs ecosystem workloads in child JVMs and reports them. Stateless; one run at a time. */
final class EcosystemBench {

    /**
     * One peer's figures on one workload.
     *
     * @param workload            workload name
     * @param peer                peer name
     * @param description         what the peer is
     * @param status              OK, or FAILED when there are no figures
     * @param reason              why not, when failed; empty otherwise
     * @param runMillis           each measured round's time, in round order
     * @param peakRssBytes        each round's peak resident memory above its child's baseline
     * @param operations          operations of one round
     * @param medianMillis        median of runMillis
     * @param medianPeakRssBytes  median of peakRssBytes
     * @param timeVsReference     median time / sparseheap's, NaN without both
     * @param peakRssVsReference  median peak / sparseheap's, NaN without both
     */
    record PeerResult(String workload, String peer, String description, BenchRunner.Status status, String reason,
                      List<Double> runMillis, List<Long> peakRssBytes, long operations, double medianMillis,
                      long medianPeakRssBytes, double timeVsReference, double peakRssVsReference) {
    }

    /**
     * The children's Java heap: fixed and touched at start-up, before the baseline is taken, so
     * that the peak above the baseline is the native memory of the run and not the Java heap
     * growing with the workload's garbage.
     */
    private static final List<String> CHILD_JAVA_HEAP = List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch");

    private EcosystemBench() {
    }

    /** Runs {@code runs} interleaved rounds of every workload at {@code scale}; reports each child to {@code progress}. */
    static List<PeerResult> run(List<EcosystemWorkload> workloads, int runs, double scale, Consumer<String> progress)
            throws IOException {
        var results = new ArrayList<PeerResult>();
        for (EcosystemWorkload workload : workloads) {
            var measured = new LinkedHashMap<String, List<EcosystemResult>>();
            var failures = new LinkedHashMap<String, String>();
            workload.peers().forEach(peer -> measured.put(peer, new ArrayList<>()));
            for (int round = 1; round <= runs; round++) {
                for (String peer : workload.peers()) {
                    if (!failures.containsKey(peer)) {
                        Attempt attempt = measureOnce(workload, peer, scale);
                        if (attempt.result() != null) {
                            measured.get(peer).add(attempt.result());
                            progress.accept(String.format(Locale.ROOT, "%s %s round %d: %.1f ms, peak RSS +%s", workload.name(),
                                    peer, round, attempt.result().nanos() / 1e6,
                                    Markdown.mebibytes(attempt.result().peakRssAboveBaseline())));
                        } else {
                            failures.put(peer, attempt.failure());
                            progress.accept(workload.name() + " " + peer + " failed: " + attempt.failure());
                        }
                    }
                }
            }
            results.addAll(summarize(workload, measured, failures));
        }
        return results;
    }

    /** A child's result, or why there is none. */
    private record Attempt(EcosystemResult result, String failure) {
    }

    private static Attempt measureOnce(EcosystemWorkload workload, String peer, double scale) throws IOException {
        ChildJvm.Outcome outcome;
        try {
            outcome = ChildJvm.run(CHILD_JAVA_HEAP, List.of("bench-child", "--workload", workload.name(), "--peer", peer,
                    "--scale", String.valueOf(scale)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(null, "interrupted");
        }
        if (outcome.exitCode() != 0) {
            return new Attempt(null, "child exited with status " + outcome.exitCode() + ": " + lastLines(outcome.errors()));
        }
        try {
            return new Attempt(EcosystemResult.fromOutput(outcome.output()), null);
        } catch (IllegalArgumentException e) {
            return new Attempt(null, e.getMessage());
        }
    }

    private static String lastLines(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    private static List<PeerResult> summarize(EcosystemWorkload workload, Map<String, List<EcosystemResult>> measured,
                                              Map<String, String> failures) {
        var medians = new LinkedHashMap<String, double[]>();
        measured.forEach((peer, rounds) -> {
            if (!failures.containsKey(peer) && !rounds.isEmpty()) {
                medians.put(peer, new double[]{
                        BenchRunner.median(rounds.stream().map(r -> r.nanos() / 1e6).toList()),
                        BenchRunner.median(rounds.stream().map(r -> (double) r.peakRssAboveBaseline()).toList())});
            }
        });
        double[] reference = medians.getOrDefault(workload.peers().getFirst(), new double[]{Double.NaN, Double.NaN});
        var results = new ArrayList<PeerResult>();
        for (int i = 0; i < workload.peers().size(); i++) {
            String peer = workload.peers().get(i);
            List<EcosystemResult> rounds = measured.get(peer);
            double[] median = medians.getOrDefault(peer, new double[]{Double.NaN, Double.NaN});
            results.add(new PeerResult(workload.name(), peer, workload.peerDescriptions().get(i),
                    failures.containsKey(peer) ? BenchRunner.Status.FAILED : BenchRunner.Status.OK,
                    failures.getOrDefault(peer, ""),
                    rounds.stream().map(r -> r.nanos() / 1e6).toList(),
                    rounds.stream().map(EcosystemResult::peakRssAboveBaseline).toList(),
                    rounds.isEmpty() ? 0 : rounds.getFirst().operations(), median[0], Math.round(median[1]),
                    median[0] / reference[0], median[1] / reference[1]));
        }
        return results;
    }

    /** The Markdown section of the ecosystem workloads. */
    static String markdown(List<EcosystemWorkload> workloads, List<PeerResult> results, int runs, double scale) {
        var out = new StringBuilder();
        out.append("Ecosystem workloads: each peer in a JVM of its own per round, ").append(runs)
                .append(" interleaved rounds, each a warm-up then the measured round, scale ").append(scale)
                .append(", Java heap of each child fixed at 256 MiB and touched at start")
                .append("; Netty ").append(nettyVersion()).append(", Arrow ").append(arrowVersion()).append(".\n");
        out.append("Time and peak resident memory (above the child's baseline after start-up) are medians; ")
                .append("ratios are the peer's median over sparseheap's (above 1.00× sparseheap is faster or smaller):\n\n");
        var rows = new ArrayList<List<String>>();
        for (PeerResult r : results) {
            rows.add(List.of(r.workload(), r.peer(), Markdown.figure(r.medianMillis()), Markdown.ratio(r.timeVsReference()),
                    r.status() == BenchRunner.Status.OK ? Markdown.mebibytes(r.medianPeakRssBytes()) : "–",
                    Markdown.ratio(r.peakRssVsReference()),
                    String.join(" ", r.runMillis().stream().map(Markdown::figure).toList()),
                    r.status() == BenchRunner.Status.OK ? "ok" : "failed: " + r.reason()));
        }
        out.append(Markdown.table(List.of("workload", "peer", "median ms", "time vs sparseheap", "peak RSS",
                "peak RSS vs sparseheap", "runs (ms)", "status"), rows)).append('\n');
        var parameters = new ArrayList<List<String>>();
        for (EcosystemWorkload workload : workloads) {
            parameters.add(List.of(workload.name(), workload.description(), workload.parameters(scale)));
        }
        out.append(Markdown.table(List.of("workload", "what it does", "parameters"), parameters)).append('\n');
        var peers = new ArrayList<List<String>>();
        for (PeerResult r : results) {
            peers.add(List.of(r.workload(), r.peer(), r.description()));
        }
        out.append(Markdown.table(List.of("workload", "peer", "what it is"), peers));
        return out.toString();
    }

    private static String nettyVersion() {
        return Optional.ofNullable(Version.identify().get("netty-buffer")).map(Version::artifactVersion).orElse("(version unknown)");
    }

    private static String arrowVersion() {
        return Optional.ofNullable(BufferAllocator.class.getPackage().getImplementationVersion()).orElse("(version unknown)");
    }
}
