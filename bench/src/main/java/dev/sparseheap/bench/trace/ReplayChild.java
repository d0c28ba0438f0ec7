/*
 * What a replay child process does, so that each allocator's peak resident memory is its own:
 * parse the trace first (its arrays are part of the baseline), collect garbage, wait until the
 * JVM has finished giving freed heap back, reset the resident high-water mark, take the resident
 * set as baseline, replay, then read the mark.
 * Nothing else runs in the child, so the growth above the baseline is the allocator's.
 */
package dev.sparseheap.bench.trace;

import dev.sparseheap.bench.Allocator;
import dev.sparseheap.bench.Allocators;

import java.nio.file.Path;
import java.util.List;

/** The measurement of one replay in the current process. Call once per process. */
public final class ReplayChild {

    private static final long SETTLE_MILLIS = 2000;

    private ReplayChild() {
    }

    /** Replays {@code traceFile} on the allocator named {@code allocatorName} in this process. */
    public static ReplayResult run(String allocatorName, Path traceFile) {
        Allocators.Entry entry = Allocators.named(List.of(allocatorName)).getFirst();
        entry.missingReason().ifPresent(reason -> {
            throw new IllegalStateException(allocatorName + " is missing: " + reason);
        });
        Trace trace = TraceParser.parse(traceFile);
        try (Allocator allocator = entry.create()) {
            if (!allocator.individualFree()) {
                throw new IllegalArgumentException(allocatorName + " cannot free objects individually; a trace needs that");
            }
            System.gc();
            ResidentMemory.settle(SETTLE_MILLIS);
            ResidentMemory.resetPeak();
            long baseline = ResidentMemory.residentBytes();
            long nanos = TraceReplayer.replay(trace, allocator);
            long peak = ResidentMemory.peakResidentBytes();
            return new ReplayResult(allocatorName, traceFile.getFileName().toString(), trace.events(), nanos,
                    baseline, peak, trace.peakLiveBytes());
        }
    }
}
