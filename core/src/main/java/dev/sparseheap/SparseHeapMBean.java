/*
 * The management interface of a named heap, registered as
 * dev.sparseheap:type=SparseHeap,name=<name> (see HeapBeans). Every attribute is read from a
 * fresh HeapStats, so the figures agree with stats() at the moment of reading.
 */
package dev.sparseheap;

/**
 * A heap's figures as MBean attributes (jconsole shows them under {@code dev.sparseheap}).
 *
 * <p>Thread safety: implementations are safe for use by any thread.
 */
public interface SparseHeapMBean {

    /**
     * The heap's name.
     *
     * @return the name given to {@link SparseHeap.Builder#name(String)}, never empty (only named
     *         heaps register this MBean)
     */
    String getName();

    /**
     * {@link HeapStats#reservedBytes()}.
     *
     * @return bytes of address space held by the heap (arenas and their reservations)
     */
    long getReservedBytes();

    /**
     * {@link HeapStats#mappedBytes()}.
     *
     * @return bytes of heap pages ready for access, in use or free
     */
    long getMappedBytes();

    /**
     * {@link HeapStats#inUseBytes()}.
     *
     * @return bytes of pages in live spans (small-object spans and large objects)
     */
    long getInUseBytes();

    /**
     * {@link HeapStats#freeBytes()}.
     *
     * @return bytes of mapped pages in no span
     */
    long getFreeBytes();

    /**
     * {@link HeapStats#releasedBytes()}.
     *
     * @return bytes of free pages whose physical memory was given back to the OS
     */
    long getReleasedBytes();

    /**
     * {@link HeapStats#metadataBytes()}.
     *
     * @return bytes of the heap's own metadata (arena index, span maps, page and
     *         allocation bitmaps)
     */
    long getMetadataBytes();

    /**
     * {@link HeapStats#liveBytes()}.
     *
     * @return usable bytes of the live objects
     */
    long getLiveBytes();

    /**
     * {@link HeapStats#objects()}.
     *
     * @return live objects
     */
    long getObjects();

    /**
     * {@link HeapStats#allocations()}.
     *
     * @return objects allocated since the heap was created
     */
    long getAllocations();

    /**
     * {@link HeapStats#frees()}.
     *
     * @return objects freed since the heap was created
     */
    long getFrees();

    /**
     * {@link HeapStats#badFrees()}.
     *
     * @return frees rejected since the heap was created (foreign, interior, double, through
     *         the wrong allocator, and late duplicates of racing frees)
     */
    long getBadFrees();

    /**
     * {@link HeapStats#largeObjects()}.
     *
     * @return live objects of more than {@link SparseHeap#MAX_SMALL_SIZE} bytes or with a
     *         page-sized alignment, each in a span of its own
     */
    long getLargeObjects();

    /**
     * {@link HeapStats#threadCaches()}.
     *
     * @return the number of thread caches; fixed for the life of the heap, 0 when they are off
     */
    int getThreadCaches();

    /**
     * {@link SparseHeap#samplingInterval()}.
     *
     * @return mean bytes allocated between samples; 0 when sampling is off, 1 when every
     *         allocation is sampled
     */
    long getSamplingInterval();

    /**
     * Estimated live bytes of {@link SparseHeap#profile()}.
     *
     * @return the live bytes the samples stand for, {@link HeapProfile#bytes()}; 0 when sampling
     *         is off
     */
    long getSampledLiveBytes();

    /**
     * The readable summary, {@link HeapStats#toString()}.
     *
     * @return the summary of a fresh snapshot of the heap's counters, for a person to read
     */
    String getSummary();
}
