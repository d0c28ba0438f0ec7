/*
 * The management interface of one child allocator of a named heap, registered as
 * dev.sparseheap:type=HeapAllocator,heap=<heap name>,name=<allocator path> while it is open.
 */
package dev.sparseheap;

/**
 * A child allocator's figures as MBean attributes.
 *
 * <p>Thread safety: implementations are safe for use by any thread.
 */
public interface HeapAllocatorMBean {

    /** {@link HeapAllocator#path()}. */
    String getPath();

    /** {@link HeapAllocator#used()}. */
    long getUsedBytes();

    /** {@link HeapAllocator#peak()}. */
    long getPeakBytes();

    /** {@link HeapAllocator#objects()}. */
    long getObjects();

    /** {@link HeapAllocator#limit()}. */
    long getLimit();

    /** {@link HeapAllocator#softLimit()}. */
    long getSoftLimit();
}
