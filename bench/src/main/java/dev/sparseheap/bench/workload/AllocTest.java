/*
 * alloc-test (mimalloc-bench's alloc-test, from the OLTP-style allocator test) re-expressed:
 * each thread keeps a large array of slots and replaces random ones with objects whose sizes are
 * Pareto distributed (many small, a heavy tail up to 64 KiB), filling every new object with
 * memset. The memset makes the allocator's cache and TLB locality part of the measurement.
 */
package dev.sparseheap.bench.workload;

import dev.sparseheap.bench.Allocator;
import dev.sparseheap.bench.NativeMemory;

import java.util.SplittableRandom;

/** Random replacement with Pareto sizes and full memset; thread-local. */
public record AllocTest() implements Workload {

    private static final int SLOTS = 1 << 14;
    private static final int REPLACEMENTS_PER_THREAD = 1_500_000;
    private static final double PARETO_SHAPE = 1.2;
    private static final long MIN_SIZE = 16;
    private static final long MAX_SIZE = 64 * 1024;

    @Override
    public String name() {
        return "alloc-test";
    }

    @Override
    public String description() {
        return "alloc-test: random slot replacement, Pareto sizes 16 B..64 KiB, every object memset";
    }

    @Override
    public String parameters(int threads, double scale) {
        return threads + " threads x " + Workload.scaled(REPLACEMENTS_PER_THREAD, scale) + " replacements; "
                + SLOTS + " slots per thread; Pareto shape " + PARETO_SHAPE;
    }

    @Override
    public long run(Allocator allocator, int threads, double scale) {
        int replacements = Workload.scaled(REPLACEMENTS_PER_THREAD, scale);
        Workers.run(threads, name(), index -> loop(allocator, replacements, new SplittableRandom(0xa1_10c + index)));
        return 2L * threads * replacements;
    }

    private void loop(Allocator allocator, int replacements, SplittableRandom random) {
        long[] handles = new long[SLOTS];
        long[] sizes = new long[SLOTS];
        for (int i = 0; i < replacements; i++) {
            int slot = random.nextInt(SLOTS);
            if (handles[slot] != 0) {
                Contents.verifyAndFree(allocator, handles[slot], sizes[slot], name());
            }
            long size = Sizes.pareto(random, PARETO_SHAPE, MIN_SIZE, MAX_SIZE);
            long handle = allocator.malloc(size);
            NativeMemory.fill(allocator.address(handle), size, (byte) slot);
            Contents.stamp(allocator, handle, size);
            handles[slot] = handle;
            sizes[slot] = size;
        }
        for (int slot = 0; slot < SLOTS; slot++) {
            if (handles[slot] != 0) {
                Contents.verifyAndFree(allocator, handles[slot], sizes[slot], name());
            }
        }
    }
}
