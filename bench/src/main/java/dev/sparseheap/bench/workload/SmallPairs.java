/*
 * The tightest allocator loop: allocate one object of a fixed small size, write and read one
 * byte of it, free it, again and again, on each thread independently. It measures the fast path
 * of malloc and free plus the call path into the allocator, and, run with 1 and 2 threads,
 * whether that fast path scales with cores (it shares nothing between threads).
 */
package dev.sparseheap.bench.workload;

import dev.sparseheap.bench.Allocator;
import dev.sparseheap.bench.NativeMemory;

import java.util.Optional;

/**
 * malloc + free pairs of {@code size} bytes, thread-local.
 *
 * @param size object size in bytes
 */
public record SmallPairs(int size) implements Workload {

    private static final int PAIRS_PER_THREAD = 5_000_000;
    private static final int PAIRS_PER_BATCH = 1_000;

    @Override
    public String name() {
        return "pairs-" + size;
    }

    @Override
    public String description() {
        return "malloc + write + free of " + size + " B objects in a loop, each thread on its own";
    }

    @Override
    public String parameters(int threads, double scale) {
        return threads + " threads x " + Workload.scaled(PAIRS_PER_THREAD, scale) + " pairs of " + size + " B";
    }

    @Override
    public Optional<String> batchMapping() {
        return Optional.of("one arena per " + PAIRS_PER_BATCH + " pairs per thread, closed when the batch ends");
    }

    @Override
    public long run(Allocator allocator, int threads, double scale) {
        int pairs = Workload.scaled(PAIRS_PER_THREAD, scale);
        Workers.run(threads, name(), index -> loop(allocator, pairs));
        return 2L * pairs * threads;
    }

    private void loop(Allocator allocator, int pairs) {
        for (int i = 0; i < pairs; i++) {
            long handle = allocator.malloc(size);
            long address = allocator.address(handle);
            NativeMemory.putByte(address, (byte) i);
            if (NativeMemory.getByte(address) != (byte) i) {
                throw new IllegalStateException(name() + " on " + allocator.name() + ": a fresh object did not keep a byte");
            }
            allocator.free(handle);
            if (i % PAIRS_PER_BATCH == PAIRS_PER_BATCH - 1) {
                allocator.endBatch();
            }
        }
        allocator.endBatch();
    }
}
