/*
 * The memory of one direct buffer over its whole life. Netty's unpooled direct buffers change
 * capacity by asking their subclass for new memory (allocateDirectBuffer), copying the contents
 * over, and then freeing the old memory themselves, except the memory they were constructed with,
 * which they never free. The buffer classes of this package route both ends through here: the new
 * memory is allocated from the heap and becomes current, and once Netty's copy is done the
 * previous object is freed unless Netty already did (HeapSegmentBuffer.clean is idempotent). The
 * last release() frees the current object.
 *
 * sparseheap's realloc would copy and free the old object itself, before Netty's own copy reads
 * it, so the allocate-copy-free order above is the only one that keeps the contents correct
 * through Netty's hooks. It costs nothing measurable: Netty grows by powers of two, which are
 * exact size classes of the heap, so realloc would have to move the object anyway.
 */
package dev.sparseheap.netty;

import dev.sparseheap.SparseHeap;
import io.netty.util.internal.CleanableDirectBuffer;

import java.nio.ByteBuffer;

/**
 * The heap object currently behind one direct buffer, and the bookkeeping of its replacements.
 *
 * <p>Not thread-safe: confined to its buffer, whose reference counting orders release against
 * every other use.
 */
final class DirectBufferMemory {

    private final SparseHeap heap;
    private HeapSegmentBuffer current;

    /** Memory of {@code capacity} bytes from {@code heap}. */
    DirectBufferMemory(SparseHeap heap, int capacity) {
        this.heap = heap;
        this.current = HeapSegmentBuffer.allocate(heap, capacity);
    }

    /** The buffer over the memory the direct buffer is constructed with. */
    ByteBuffer initialBuffer() {
        return current.buffer();
    }

    /** New memory for a capacity change in progress; it becomes current. */
    CleanableDirectBuffer replacement(int capacity) {
        current = HeapSegmentBuffer.allocate(heap, capacity);
        return current;
    }

    /**
     * Runs Netty's capacity change and frees the memory it replaced, if any and if Netty did not.
     */
    void resize(Runnable nettyCapacityChange) {
        HeapSegmentBuffer before = current;
        nettyCapacityChange.run();
        if (current != before) {
            before.clean();
        }
    }

    /** Frees the current memory; called once, on the last release. */
    void free() {
        current.clean();
    }
}
