/*
 * Counters of the large objects of a heap at one moment.
 */
package dev.sparseheap.alloc;

/**
 * Large-object counters. Immutable.
 *
 * @param liveObjects large objects allocated and not freed
 * @param liveBytes   bytes of their spans
 * @param allocations large objects allocated since the heap was created
 * @param frees       large objects freed since the heap was created
 */
public record LargeUsage(long liveObjects, long liveBytes, long allocations, long frees) {
}
