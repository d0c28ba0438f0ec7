/*
 * What an ecosystem child process does, so that each peer's peak resident memory is its own:
 * settle the resident set after start-up, reset the high-water mark, take the baseline, set the
 * peer up, run a warm-up round (JIT compilation, the allocator's first growth) and the measured
 * round, then read the mark. The peak covers both rounds, so memory an allocator keeps from the
 * first round for the second counts once, as it would in a long-running program.
 */
package dev.sparseheap.bench.ecosystem;

import dev.sparseheap.bench.trace.ResidentMemory;

import java.util.List;

/** The measurement of one workload on one peer in the current process. Call once per process. */
public final class EcosystemChild {

    private static final long SETTLE_MILLIS = 2000;

    private EcosystemChild() {
    }

    /**
     * Measures {@code workloadName} on {@code peer} at {@code scale}.
     *
     * @throws IllegalArgumentException for an unknown workload or peer, or a scale that is not positive
     */
    public static EcosystemResult run(String workloadName, String peer, double scale) {
        EcosystemWorkload workload = EcosystemWorkloads.named(List.of(workloadName)).getFirst();
        if (!workload.peers().contains(peer)) {
            throw new IllegalArgumentException("unknown peer '" + peer + "' of " + workloadName + "; known: " + workload.peers());
        }
        if (!(scale > 0)) {
            throw new IllegalArgumentException("scale must be positive, not " + scale);
        }
        System.gc();
        ResidentMemory.settle(SETTLE_MILLIS);
        ResidentMemory.resetPeak();
        long baseline = ResidentMemory.residentBytes();
        try (EcosystemWorkload.Run run = workload.prepare(peer)) {
            run.round(scale);
            long start = System.nanoTime();
            long operations = run.round(scale);
            long nanos = System.nanoTime() - start;
            return new EcosystemResult(workloadName, peer, operations, nanos, baseline, ResidentMemory.peakResidentBytes());
        }
    }
}
