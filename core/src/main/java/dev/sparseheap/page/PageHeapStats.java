/*
 * A snapshot of the page heap's accounting, taken under the page-heap lock so that its figures
 * add up exactly: mappedBytes == inUseBytes + freeBytes, and the free bytes split into those
 * released to the OS, those that may still be resident (dirty), and fresh ones never touched.
 */
package dev.sparseheap.page;

/**
 * Page heap figures at one moment. Immutable and thread-safe.
 *
 * @param mappedBytes    bytes of heap ranges the page heap has grown into
 * @param inUseBytes     bytes of pages in live spans
 * @param freeBytes      bytes of pages in free runs (backed and released alike)
 * @param releasedBytes  free bytes whose physical pages the scavenger handed back to the OS
 * @param spans          number of live spans
 * @param freeRuns       number of free runs (maximal: no two touch)
 * @param largestFreeRun bytes of the largest free run, 0 when there is none
 * @param dirtyFreeBytes free bytes that were used since they were mapped or released, so may
 *                       still hold physical memory: what the scavenger can give back
 */
public record PageHeapStats(long mappedBytes, long inUseBytes, long freeBytes, long releasedBytes,
                            long spans, long freeRuns, long largestFreeRun, long dirtyFreeBytes) {

    /** Physical memory the heap may hold: live spans plus dirty free pages. */
    public long retainedBytes() {
        return inUseBytes + dirtyFreeBytes;
    }
}
