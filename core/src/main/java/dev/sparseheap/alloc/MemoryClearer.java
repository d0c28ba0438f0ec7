/*
 * How the object layer writes zeros, without knowing what memory is behind the heap.
 */
package dev.sparseheap.alloc;

/**
 * Writes zeros over a range of heap memory. The heap supplies one that fills real memory, or,
 * over a simulated address space with no memory behind it, one that does nothing.
 *
 * <p>Thread safety: implementations must be safe for concurrent use on disjoint ranges.
 */
@FunctionalInterface
public interface MemoryClearer {

    /** Writes {@code bytes} zero bytes from {@code address}, a range the caller owns. */
    void clear(long address, long bytes);
}
