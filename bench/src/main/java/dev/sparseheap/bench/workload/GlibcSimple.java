/*
 * glibc's bench-malloc-simple re-expressed: one thread allocates a block of N objects of one
 * size, then frees them all in allocation order, for several block counts and sizes. It measures
 * allocation and free of short-lived objects in bursts, the pattern of a request handler.
 */
package dev.sparseheap.bench.workload;

import dev.sparseheap.bench.Allocator;

import java.util.Optional;

/** Bursts of same-size allocations freed in order; single-threaded. */
public record GlibcSimple() implements Workload {

    private static final int[] SIZES = {16, 32, 64, 128};
    private static final int[] BLOCK_COUNTS = {25, 100, 400, 1600};
    private static final int OBJECTS_PER_COMBINATION = 750_000;

    @Override
    public String name() {
        return "glibc-simple";
    }

    @Override
    public String description() {
        return "glibc bench-malloc-simple: bursts of N same-size objects allocated then freed in order";
    }

    @Override
    public int threads(int requested) {
        return 1;
    }

    @Override
    public String parameters(int threads, double scale) {
        return "1 thread; sizes 16/32/64/128 B x bursts of 25/100/400/1600 objects; "
                + Workload.scaled(OBJECTS_PER_COMBINATION, scale) + " objects per combination";
    }

    @Override
    public Optional<String> batchMapping() {
        return Optional.of("one arena per burst, closed after the burst is freed");
    }

    @Override
    public long run(Allocator allocator, int threads, double scale) {
        int objects = Workload.scaled(OBJECTS_PER_COMBINATION, scale);
        long calls = 0;
        long[] burst = new long[BLOCK_COUNTS[BLOCK_COUNTS.length - 1]];
        for (int size : SIZES) {
            for (int count : BLOCK_COUNTS) {
                for (int done = 0; done < objects; done += count) {
                    for (int i = 0; i < count; i++) {
                        burst[i] = Contents.allocate(allocator, size);
                    }
                    for (int i = 0; i < count; i++) {
                        Contents.verifyAndFree(allocator, burst[i], size, name());
                    }
                    allocator.endBatch();
                    calls += 2L * count;
                }
            }
        }
        return calls;
    }
}
