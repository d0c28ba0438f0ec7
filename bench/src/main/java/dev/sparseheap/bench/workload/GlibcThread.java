/*
 * glibc's bench-malloc-thread re-expressed: each thread keeps a working set of slots and, at
 * random, frees the object in a slot and allocates a new one of a size drawn with probability
 * proportional to 1/size between 4 B and 32 KiB. Nothing is shared between threads, so it
 * measures allocation with a realistic mix of sizes and how it scales with threads.
 */
package dev.sparseheap.bench.workload;

import dev.sparseheap.bench.Allocator;

import java.util.SplittableRandom;

/** Random replacement in a per-thread working set, sizes 4 B to 32 KiB; thread-local. */
public record GlibcThread() implements Workload {

    private static final int SLOTS = 1024;
    private static final int REPLACEMENTS_PER_THREAD = 2_500_000;
    private static final long MIN_SIZE = 4;
    private static final long MAX_SIZE = 32 * 1024;

    @Override
    public String name() {
        return "glibc-thread";
    }

    @Override
    public String description() {
        return "glibc bench-malloc-thread: random free + malloc in a per-thread working set, sizes ~1/size in 4 B..32 KiB";
    }

    @Override
    public String parameters(int threads, double scale) {
        return threads + " threads x " + Workload.scaled(REPLACEMENTS_PER_THREAD, scale)
                + " replacements; " + SLOTS + " slots per thread";
    }

    @Override
    public long run(Allocator allocator, int threads, double scale) {
        int replacements = Workload.scaled(REPLACEMENTS_PER_THREAD, scale);
        Workers.run(threads, name(), index -> loop(allocator, replacements, new SplittableRandom(0x61_6c_6c + index)));
        return 2L * replacements * threads;
    }

    private void loop(Allocator allocator, int replacements, SplittableRandom random) {
        long[] handles = new long[SLOTS];
        long[] sizes = new long[SLOTS];
        for (int i = 0; i < replacements; i++) {
            int slot = random.nextInt(SLOTS);
            if (handles[slot] != 0) {
                Contents.verifyAndFree(allocator, handles[slot], sizes[slot], name());
            }
            sizes[slot] = Sizes.inverse(random, MIN_SIZE, MAX_SIZE);
            handles[slot] = Contents.allocate(allocator, sizes[slot]);
        }
        for (int slot = 0; slot < SLOTS; slot++) {
            if (handles[slot] != 0) {
                Contents.verifyAndFree(allocator, handles[slot], sizes[slot], name());
            }
        }
    }
}
