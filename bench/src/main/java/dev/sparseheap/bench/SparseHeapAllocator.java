/*
 * sparseheap itself as a benchmark entry, through its public API only, like any program using
 * it: one SparseHeap per allocator instance on the real address space, thread caches on, in the
 * sparse layout (seed 004) or the contiguous one (seed 000) to compare the two, and with
 * allocation-site sampling on to measure what it costs. Handles are the
 * heap's raw addresses.
 */
package dev.sparseheap.bench;

import dev.sparseheap.SparseHeap;
import dev.sparseheap.ArenaLayout;

import java.util.Locale;

/**
 * {@link Allocator} over a {@link SparseHeap}.
 *
 * <p>Thread-safe as the heap is: any thread may allocate and free any object. {@link #close()}
 * closes the heap and must not race with other calls.
 */
public final class SparseHeapAllocator implements Allocator {

    private final String name;
    private final SparseHeap heap;

    private SparseHeapAllocator(String name, SparseHeap heap) {
        this.name = name;
        this.heap = heap;
    }

    /** A fresh heap with the given arena layout and thread caches. */
    public static SparseHeapAllocator create(ArenaLayout layout) {
        String name = layout == ArenaLayout.SPARSE ? "sparseheap" : "sparseheap-" + layout.name().toLowerCase(Locale.ROOT);
        return new SparseHeapAllocator(name, SparseHeap.builder().layout(layout).threadCaches(true).build());
    }

    /**
     * A fresh heap in the sparse layout sampling allocation sites at
     * {@link SparseHeap#PROFILING_SAMPLING_INTERVAL}, to measure what sampling costs.
     */
    public static SparseHeapAllocator sampled() {
        return new SparseHeapAllocator("sparseheap-sampled",
                SparseHeap.builder().sampling(SparseHeap.PROFILING_SAMPLING_INTERVAL).build());
    }

    /** The heap behind this allocator, for its statistics, layout and verification. */
    public SparseHeap heap() {
        return heap;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long malloc(long size) {
        return heap.malloc(size);
    }

    @Override
    public long calloc(long size) {
        return heap.calloc(size);
    }

    @Override
    public long mallocAligned(long size, long alignment) {
        return heap.mallocAligned(size, alignment);
    }

    @Override
    public long realloc(long handle, long size) {
        return heap.realloc(handle, size);
    }

    @Override
    public void free(long handle) {
        heap.free(handle);
    }

    @Override
    public void close() {
        heap.close();
    }
}
