/*
 * mimalloc-bench's cache-scratch and cache-thrash (from the Hoard suite) re-expressed. Each
 * thread repeatedly allocates a tiny object, writes every byte of it many times and frees it. An
 * allocator that places tiny objects of different threads in one cache line makes the threads
 * fight over that line (false sharing) and the loop slows down by an order of magnitude.
 *
 * cache-thrash ("active" false sharing): each thread allocates its own objects from the start.
 * cache-scratch ("passive" false sharing): the main thread allocates one object per worker
 * first, side by side; each worker frees the object it was given before its loop, so an allocator
 * that hands freed memory back to the freeing thread gives workers neighbouring addresses.
 */
package dev.sparseheap.bench.workload;

import dev.sparseheap.bench.Allocator;
import dev.sparseheap.bench.NativeMemory;

import java.util.Optional;

/**
 * False-sharing probe: write-heavy loops over tiny objects on every thread.
 *
 * @param passive true for cache-scratch (objects handed over by the main thread first), false
 *                for cache-thrash
 */
public record CacheSharing(boolean passive) implements Workload {

    private static final int OBJECT_SIZE = 8;
    private static final int OBJECTS_PER_THREAD = 1000;
    private static final int WRITES_PER_OBJECT = 50_000;

    @Override
    public String name() {
        return passive ? "cache-scratch" : "cache-thrash";
    }

    @Override
    public String description() {
        return passive
                ? "cache-scratch: passive false sharing, workers first free an object the main thread allocated"
                : "cache-thrash: active false sharing, each worker allocates and hammers its own tiny objects";
    }

    @Override
    public String parameters(int threads, double scale) {
        return threads + " threads x " + OBJECTS_PER_THREAD + " objects of " + OBJECT_SIZE + " B x "
                + Workload.scaled(WRITES_PER_OBJECT, scale) + " increments of each byte";
    }

    @Override
    public Optional<String> batchMapping() {
        return passive ? Optional.empty() : Optional.of("one arena per object, closed after the object is freed");
    }

    @Override
    public long run(Allocator allocator, int threads, double scale) {
        int writes = Workload.scaled(WRITES_PER_OBJECT, scale);
        long[] given = new long[threads];
        if (passive) {
            for (int i = 0; i < threads; i++) {
                given[i] = Contents.allocate(allocator, OBJECT_SIZE);
            }
        }
        Workers.run(threads, name(), index -> {
            if (passive) {
                Contents.verifyAndFree(allocator, given[index], OBJECT_SIZE, name());
            }
            hammer(allocator, writes);
        });
        return (passive ? 2L * threads : 0) + 2L * threads * OBJECTS_PER_THREAD;
    }

    private void hammer(Allocator allocator, int writes) {
        for (int o = 0; o < OBJECTS_PER_THREAD; o++) {
            long handle = allocator.malloc(OBJECT_SIZE);
            long address = allocator.address(handle);
            NativeMemory.fill(address, OBJECT_SIZE, (byte) 0);
            for (int w = 0; w < writes; w++) {
                for (int b = 0; b < OBJECT_SIZE; b++) {
                    NativeMemory.putByte(address + b, (byte) (NativeMemory.getByte(address + b) + 1));
                }
            }
            for (int b = 0; b < OBJECT_SIZE; b++) {
                if (NativeMemory.getByte(address + b) != (byte) writes) {
                    throw new IllegalStateException(name() + " on " + allocator.name() + ": a tiny object lost a write");
                }
            }
            allocator.free(handle);
            allocator.endBatch();
        }
    }
}
