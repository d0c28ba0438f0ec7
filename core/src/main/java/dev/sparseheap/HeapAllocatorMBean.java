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

    /**
     * {@link HeapAllocator#path()}.
     *
     * @return the allocator's path from the heap, its ancestors' names and its own joined by '/'
     */
    String getPath();

    /**
     * {@link HeapAllocator#used()}.
     *
     * @return usable bytes of the live objects of the allocator and its descendants
     */
    long getUsedBytes();

    /**
     * {@link HeapAllocator#peak()}.
     *
     * @return the highest used bytes of the allocator and its descendants so far
     */
    long getPeakBytes();

    /**
     * {@link HeapAllocator#objects()}.
     *
     * @return the number of live objects of the allocator and its descendants
     */
    long getObjects();

    /**
     * {@link HeapAllocator#limit()}.
     *
     * @return the hard limit on used bytes, {@link Long#MAX_VALUE} when there is none
     */
    long getLimit();

    /**
     * {@link HeapAllocator#softLimit()}.
     *
     * @return the soft limit on used bytes, {@link Long#MAX_VALUE} when there is none
     */
    long getSoftLimit();
}
