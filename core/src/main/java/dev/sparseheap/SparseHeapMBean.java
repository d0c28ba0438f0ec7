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

    /** The heap's name. */
    String getName();

    /** {@link HeapStats#reservedBytes()}. */
    long getReservedBytes();

    /** {@link HeapStats#mappedBytes()}. */
    long getMappedBytes();

    /** {@link HeapStats#inUseBytes()}. */
    long getInUseBytes();

    /** {@link HeapStats#freeBytes()}. */
    long getFreeBytes();

    /** {@link HeapStats#releasedBytes()}. */
    long getReleasedBytes();

    /** {@link HeapStats#metadataBytes()}. */
    long getMetadataBytes();

    /** {@link HeapStats#liveBytes()}. */
    long getLiveBytes();

    /** {@link HeapStats#objects()}. */
    long getObjects();

    /** {@link HeapStats#allocations()}. */
    long getAllocations();

    /** {@link HeapStats#frees()}. */
    long getFrees();

    /** {@link HeapStats#badFrees()}. */
    long getBadFrees();

    /** {@link HeapStats#largeObjects()}. */
    long getLargeObjects();

    /** {@link HeapStats#threadCaches()}. */
    int getThreadCaches();

    /** Mean bytes between samples (0: sampling is off). */
    long getSamplingInterval();

    /** Estimated live bytes of {@link SparseHeap#profile()}. */
    long getSampledLiveBytes();

    /** The readable summary, {@link HeapStats#toString()}. */
    String getSummary();
}
