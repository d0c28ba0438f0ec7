/*
 * A snapshot of a heap's accounting, from the address space up to the objects.
 *
 * How the byte figures relate (exact at rest):
 *   reservedBytes >= mappedBytes = inUseBytes + freeBytes (pages of the heap arenas),
 *   releasedBytes <= freeBytes (free pages handed back to the OS),
 *   liveBytes <= inUseBytes (the rest is free slots of small spans and span tails).
 *
 * toString is the readable summary (figures in binary units, only the size classes in use),
 * not a dump of the record's components.
 */
package dev.sparseheap;

import dev.sparseheap.ByteSize;

import java.util.List;
import java.util.Locale;

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
 * @param allocators     the open child allocators, depth first (each before its children)
 */
public record HeapStats(long reservedBytes, long mappedBytes, long inUseBytes, long freeBytes,
                        long releasedBytes, long metadataBytes, long objects, long liveBytes,
                        long allocations, long frees, long badFrees, long largeObjects, long largeBytes,
                        int threadCaches, List<SizeClassStats> sizeClasses, List<AllocatorStats> allocators) {

    private static final int CLASSES_SHOWN = 8;

    /** Copies the lists. */
    public HeapStats {
        sizeClasses = List.copyOf(sizeClasses);
        allocators = List.copyOf(allocators);
    }

    /**
     * A summary for a person: live objects and bytes, pages in use, mapped, released and
     * reserved, metadata, counters, the size classes with live objects (most bytes first, a
     * few), and the child allocators.
     */
    @Override
    public String toString() {
        String newline = System.lineSeparator();
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "live %s in %,d objects (%,d large, %s); pages in use %s of %s mapped, %s free (%s released); "
                        + "reserved %s; metadata %s",
                ByteSize.format(liveBytes), objects, largeObjects, ByteSize.format(largeBytes), ByteSize.format(inUseBytes),
                ByteSize.format(mappedBytes), ByteSize.format(freeBytes), ByteSize.format(releasedBytes),
                ByteSize.format(reservedBytes), ByteSize.format(metadataBytes)));
        text.append(newline).append(String.format(Locale.ROOT, "allocations %,d, frees %,d, bad frees %,d; thread caches %d",
                allocations, frees, badFrees, threadCaches));
        List<SizeClassStats> used = sizeClasses.stream().filter(c -> c.objects() > 0)
                .sorted((a, b) -> Long.compare(b.objects() * b.objectSize(), a.objects() * a.objectSize())).toList();
        if (!used.isEmpty()) {
            text.append(newline).append("size classes with live objects:");
            for (SizeClassStats c : used.subList(0, Math.min(CLASSES_SHOWN, used.size()))) {
                text.append(String.format(Locale.ROOT, " %s x %,d;", ByteSize.format(c.objectSize()), c.objects()));
            }
            if (used.size() > CLASSES_SHOWN) {
                text.append(" ").append(used.size() - CLASSES_SHOWN).append(" more");
            } else {
                text.setLength(text.length() - 1);
            }
        }
        for (AllocatorStats a : allocators) {
            text.append(newline).append(String.format(Locale.ROOT, "allocator %s: used %s in %,d objects, peak %s%s%s",
                    a.path(), ByteSize.format(a.usedBytes()), a.objects(), ByteSize.format(a.peakBytes()),
                    a.limit() == Long.MAX_VALUE ? "" : ", limit " + ByteSize.format(a.limit()),
                    a.softLimit() == Long.MAX_VALUE ? "" : ", soft limit " + ByteSize.format(a.softLimit())));
        }
        return text.toString();
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

    /**
     * Counters of one child allocator, its descendants included.
     *
     * @param path      names from the heap down to it, joined by '/'
     * @param usedBytes usable bytes of its live objects
     * @param peakBytes the highest usedBytes so far
     * @param objects   its live objects
     * @param limit     its hard limit ({@link Long#MAX_VALUE} when none)
     * @param softLimit its soft limit ({@link Long#MAX_VALUE} when none)
     */
    public record AllocatorStats(String path, long usedBytes, long peakBytes, long objects, long limit, long softLimit) {
    }
}
