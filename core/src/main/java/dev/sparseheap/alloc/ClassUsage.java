/*
 * Counters of one size class at one moment.
 */
package dev.sparseheap.alloc;

/**
 * What one size class holds. Immutable. Taken while other threads allocate and free, the
 * figures of different classes (and allocations versus live objects) may be from slightly
 * different moments; taken at rest they are exact.
 *
 * @param sizeClass   the class number (1 and up)
 * @param objectSize  bytes of each object
 * @param spans       live spans of the class
 * @param liveObjects objects allocated and not freed
 * @param allocations objects allocated since the heap was created
 * @param frees       objects freed since the heap was created
 * @param bitmapBytes bytes of the allocation bitmaps of the class's spans
 */
public record ClassUsage(int sizeClass, int objectSize, long spans, long liveObjects, long allocations, long frees,
                         long bitmapBytes) {
}
