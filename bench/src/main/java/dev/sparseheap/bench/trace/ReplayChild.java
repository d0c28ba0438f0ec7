/*
 * What a replay child process does, so that each allocator's peak resident memory is its own:
 * parse the trace first (its arrays are part of the baseline), collect garbage, wait until the
 * JVM has finished giving freed heap back, reset the resident high-water mark, take the resident
 * set as baseline, replay, then read the mark.
 * Nothing else runs in the child, so the growth above the baseline is the allocator's.
 *
 * Then the trace is replayed again, pass after pass, on the same allocator instance (each pass
 * frees all it allocated): the first pass is cold, paying the JIT compilation of the allocator
 * and the replay loop and the process's first page faults; the later passes show the allocator
 * warm, as a long-running program sees it. Resident memory is read on the first pass only.
 */
package dev.sparseheap.bench.trace;

import dev.sparseheap.bench.Allocator;
import dev.sparseheap.bench.Allocators;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The measurement of one replay in the current process. Call once per process. */
public final class ReplayChild {

    private static final long SETTLE_MILLIS = 2000;

    private ReplayChild() {
    }

    /**
     * Replays {@code traceFile} {@code passes} times on one instance of the allocator named
     * {@code allocatorName} in this process. One instance for every pass, because a native
     * allocator is one per process and cannot be made fresh: its later passes run on memory the
     * first one faulted in, and a fresh sparseheap would map fresh memory and pay every page
     * fault again (on a virtual machine tens of microseconds each, more than the replay itself).
     * Each pass frees everything it allocated, so each starts from an empty heap.
     *
     * @throws IllegalArgumentException if {@code passes} is below 1, the allocator is unknown or
     *                                  cannot free individually
     */
    public static ReplayResult run(String allocatorName, Path traceFile, int passes) {
        if (passes < 1) {
            throw new IllegalArgumentException("passes must be at least 1, not " + passes);
        }
        Allocators.Entry entry = Allocators.named(List.of(allocatorName)).getFirst();
        entry.missingReason().ifPresent(reason -> {
            throw new IllegalStateException(allocatorName + " is missing: " + reason);
        });
        Trace trace = TraceParser.parse(traceFile);
        var passNanos = new ArrayList<Long>();
        long baseline;
        long peak;
        try (Allocator allocator = entry.create()) {
            if (!allocator.individualFree()) {
                throw new IllegalArgumentException(allocatorName + " cannot free objects individually; a trace needs that");
            }
            System.gc();
            ResidentMemory.settle(SETTLE_MILLIS);
            ResidentMemory.resetPeak();
            baseline = ResidentMemory.residentBytes();
            passNanos.add(TraceReplayer.replay(trace, allocator));
            peak = ResidentMemory.peakResidentBytes();
            while (passNanos.size() < passes) {
                passNanos.add(TraceReplayer.replay(trace, allocator));
            }
        }
        return new ReplayResult(allocatorName, traceFile.getFileName().toString(), trace.events(), passNanos,
                baseline, peak, trace.peakLiveBytes());
    }
}
