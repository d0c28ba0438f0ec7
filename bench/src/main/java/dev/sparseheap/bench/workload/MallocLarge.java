/*
 * mimalloc-bench's malloc-large re-expressed: one thread keeps a few large zeroed buffers of 5
 * to 25 MiB live and keeps replacing them at random, touching every page. It measures how an
 * allocator obtains, zeroes and returns large blocks: mmap per object, reuse of freed spans, or
 * memory already known to be zero.
 */
package dev.sparseheap.bench.workload;

import dev.sparseheap.bench.Allocator;
import dev.sparseheap.bench.NativeMemory;

import java.util.SplittableRandom;

/** Random replacement of large zeroed buffers, every page touched; single-threaded. */
public record MallocLarge() implements Workload {

    private static final int LIVE = 20;
    private static final int REPLACEMENTS = 300;
    private static final long MIN_SIZE = 5L << 20;
    private static final long MAX_SIZE = 25L << 20;
    private static final long ZERO_CHECK = 256;

    @Override
    public String name() {
        return "malloc-large";
    }

    @Override
    public String description() {
        return "malloc-large: 20 live zeroed buffers of 5..25 MiB replaced at random, every 4 KiB page touched";
    }

    @Override
    public int threads(int requested) {
        return 1;
    }

    @Override
    public String parameters(int threads, double scale) {
        return "1 thread; " + Workload.scaled(REPLACEMENTS, scale) + " replacements; " + LIVE + " live buffers of 5..25 MiB (calloc)";
    }

    @Override
    public long run(Allocator allocator, int threads, double scale) {
        int replacements = Workload.scaled(REPLACEMENTS, scale);
        var random = new SplittableRandom(0x1a_46e);
        long[] handles = new long[LIVE];
        long[] sizes = new long[LIVE];
        for (int i = 0; i < replacements; i++) {
            int slot = random.nextInt(LIVE);
            if (handles[slot] != 0) {
                Contents.verifyAndFree(allocator, handles[slot], sizes[slot], name());
            }
            long size = Sizes.uniform(random, MIN_SIZE, MAX_SIZE);
            long handle = allocator.calloc(size);
            long address = allocator.address(handle);
            if (!NativeMemory.isZero(address, ZERO_CHECK) || !NativeMemory.isZero(address + size - ZERO_CHECK, ZERO_CHECK)) {
                throw new IllegalStateException(name() + " on " + allocator.name() + ": calloc returned non-zero memory");
            }
            NativeMemory.touch(address, 0, size, (byte) 1);
            Contents.stamp(allocator, handle, size);
            handles[slot] = handle;
            sizes[slot] = size;
        }
        for (int slot = 0; slot < LIVE; slot++) {
            if (handles[slot] != 0) {
                Contents.verifyAndFree(allocator, handles[slot], sizes[slot], name());
            }
        }
        return 2L * replacements;
    }
}
