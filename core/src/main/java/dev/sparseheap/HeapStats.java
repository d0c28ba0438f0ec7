/*
 * A snapshot of a heap's accounting, from the address space up to the objects.
 *
 * How the byte figures relate (exact at rest):
 *   reservedBytes >= mappedBytes = inUseBytes + freeBytes (pages of the heap arenas),
 *   releasedBytes <= freeBytes (free pages handed back to the OS),
 *   liveBytes <= inUseBytes (the rest is free slots of small spans and span tails).
 */
package dev.sparseheap;

import java.util.List;

/**
 * Immutable snapshot of a heap's memory and object counters. Taken while other threads
 * allocate and free, figures of different parts may be from slightly different moments.
 *
 * @param reservedBytes  address space held by the heap (arenas and their reservations)
 * @param mappedBytes    heap pages ready for access, in use or free
 * @param inUseBytes     pages in live spans (small-object spans and large objects)
 * @param freeBytes      mapped pages in no span
 * @param releasedBytes  free pages whose physical memory was given back to the OS
 * @param metadataBytes  memory of the heap's own metadata: the arenas' (index, span maps, page
 *                       bitmaps) and the allocation bitmaps of small-object spans
 * @param objects        live objects
 * @param liveBytes      usable bytes of the live objects
 * @param allocations    objects allocated since the heap was created
 * @param frees          objects freed since the heap was created
 * @param badFrees       frees rejected since the heap was created: foreign, interior and double
 *                       frees thrown to their caller, and duplicates of racing frees found
 *                       afterwards (see {@link SparseHeap#free(long)})
 * @param largeObjects   live objects of more than {@link SparseHeap#MAX_SMALL_SIZE} bytes or with a
 *                       page-sized alignment, each in a span of its own
 * @param largeBytes     bytes of their spans
 * @param threadCaches   number of thread caches; fixed for the life of the heap, 0 when off
 * @param sizeClasses    counters of every size class, smallest first
 */
public record HeapStats(long reservedBytes, long mappedBytes, long inUseBytes, long freeBytes,
                        long releasedBytes, long metadataBytes, long objects, long liveBytes,
                        long allocations, long frees, long badFrees, long largeObjects, long largeBytes,
                        int threadCaches, List<SizeClassStats> sizeClasses) {

    /** Copies the list of size classes. */
    public HeapStats {
        sizeClasses = List.copyOf(sizeClasses);
    }

    /**
     * Counters of one size class.
     *
     * @param sizeClass   the class number, 1 for the smallest
     * @param objectSize  bytes of each object of the class
     * @param spans       live spans of the class
     * @param objects     live objects of the class
     * @param allocations objects of the class allocated since the heap was created
     * @param frees       objects of the class freed since the heap was created
     */
    public record SizeClassStats(int sizeClass, int objectSize, long spans, long objects,
                                 long allocations, long frees) {
    }
}
