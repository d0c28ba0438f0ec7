/*
 * The allocator's figures in Netty's terms. Direct memory is what the heap says is live, read
 * from its statistics rather than counted a second time here, so the two can never disagree;
 * heap (Java array) memory is counted by the buffers themselves.
 */
package dev.sparseheap.netty;

import dev.sparseheap.HeapStats;
import dev.sparseheap.SparseHeap;
import io.netty.buffer.ByteBufAllocatorMetric;

import java.util.concurrent.atomic.LongAdder;

/**
 * Memory used by a {@link SparseHeapByteBufAllocator}.
 *
 * <p>{@link #usedDirectMemory()} is {@link HeapStats#liveBytes()} of the allocator's heap: the
 * usable bytes of every live object, at least the capacities of the live direct buffers (objects
 * round up to their size class), and including objects that other users of the same heap
 * allocated. {@link #usedHeapMemory()} is the bytes of the arrays of live heap buffers.
 *
 * <p>Thread-safe; figures read while other threads allocate may be from slightly different
 * moments, as with {@link SparseHeap#stats()}.
 */
public final class SparseHeapByteBufAllocatorMetric implements ByteBufAllocatorMetric {

    private final SparseHeap heap;
    private final LongAdder heapArrayBytes = new LongAdder();

    SparseHeapByteBufAllocatorMetric(SparseHeap heap) {
        this.heap = heap;
    }

    /** Bytes of the arrays behind live heap buffers. */
    @Override
    public long usedHeapMemory() {
        return heapArrayBytes.sum();
    }

    /** The heap's live bytes, {@link HeapStats#liveBytes()}. */
    @Override
    public long usedDirectMemory() {
        return heap.stats().liveBytes();
    }

    /**
     * The full statistics of the heap behind the direct buffers.
     *
     * @return a snapshot, as {@link SparseHeap#stats()} takes it
     */
    public HeapStats heapStats() {
        return heap.stats();
    }

    void heapArrayAllocated(long bytes) {
        heapArrayBytes.add(bytes);
    }

    @Override
    public String toString() {
        return "SparseHeapByteBufAllocatorMetric(usedHeapMemory: " + usedHeapMemory()
                + "; usedDirectMemory: " + usedDirectMemory() + ')';
    }
}
