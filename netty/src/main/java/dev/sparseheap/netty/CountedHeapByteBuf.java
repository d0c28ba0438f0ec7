/*
 * Heap buffers are Netty's unpooled ones (Java byte arrays; sparseheap manages native memory
 * only), counted so that the allocator's metric can report the bytes they hold, as Netty's own
 * unpooled allocator does.
 */
package dev.sparseheap.netty;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;

/**
 * Netty's unpooled heap buffer, adding and removing its array's length to a metric.
 *
 * <p>Thread safety: as any Netty buffer; the counter is thread-safe.
 */
final class CountedHeapByteBuf extends UnpooledHeapByteBuf {

    private final SparseHeapByteBufAllocatorMetric metric;

    CountedHeapByteBuf(ByteBufAllocator allocator, SparseHeapByteBufAllocatorMetric metric,
                       int initialCapacity, int maxCapacity) {
        this.metric = metric; // before super(), which allocates the first array
        super(allocator, initialCapacity, maxCapacity);
    }

    @Override
    protected byte[] allocateArray(int initialCapacity) {
        byte[] array = super.allocateArray(initialCapacity);
        metric.heapArrayAllocated(array.length);
        return array;
    }

    @Override
    protected void freeArray(byte[] array) {
        super.freeArray(array);
        metric.heapArrayAllocated(-array.length);
    }
}
