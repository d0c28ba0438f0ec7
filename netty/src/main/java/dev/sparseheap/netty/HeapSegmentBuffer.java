/*
 * One object of the heap seen as Netty sees direct memory: a java.nio.ByteBuffer over it and a
 * way to free it. The memory is a segment from the heap's public segment API, so the buffer is
 * bounded by the object's size and belongs to the heap's scope: once the heap is closed, access
 * through the ByteBuffer throws instead of touching memory the heap no longer owns (Netty's
 * Unsafe-based buffers read the address directly and have no such guard).
 *
 * Freeing is idempotent, because a buffer's memory can be given up on two paths (Netty's own
 * capacity change cleans the old memory it was handed as a CleanableDirectBuffer; the buffer's
 * owner cleans whatever Netty did not) and the heap must see exactly one free per object.
 */
package dev.sparseheap.netty;

import dev.sparseheap.SparseHeap;
import io.netty.util.internal.CleanableDirectBuffer;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * A heap object behind a direct ByteBuffer, freed to the heap by the first {@link #clean()}.
 *
 * <p>Not thread-safe: it belongs to one Netty buffer, whose reference counting orders the calls.
 */
final class HeapSegmentBuffer implements CleanableDirectBuffer {

    private final SparseHeap heap;
    private final MemorySegment segment;
    private final ByteBuffer buffer;
    private boolean freed;

    private HeapSegmentBuffer(SparseHeap heap, MemorySegment segment) {
        this.heap = heap;
        this.segment = segment;
        this.buffer = segment.asByteBuffer();
    }

    /** A new object of {@code capacity} bytes from {@code heap}, contents unspecified. */
    static HeapSegmentBuffer allocate(SparseHeap heap, int capacity) {
        return new HeapSegmentBuffer(heap, heap.allocateUninitialized(capacity, 1));
    }

    @Override
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Frees the object to the heap; later calls do nothing. */
    @Override
    public void clean() {
        if (!freed) {
            freed = true;
            heap.free(segment);
        }
    }
}
