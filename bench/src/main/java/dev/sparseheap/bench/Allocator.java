/*
 * The one interface through which every benchmark reaches an allocator.
 *
 * Workloads and the trace replayer are written once against this interface, so sparseheap and
 * every peer (glibc, jemalloc, mimalloc, TCMalloc through java.lang.foreign, Netty's pooled and
 * adaptive allocators, the JDK's arenas) are driven by the same JVM code on the same call path.
 *
 * An allocation is named by a handle. For allocators that hand out raw addresses the handle is
 * the address itself; Netty hands out buffer objects, so its adapter keeps them in a table and
 * the handle is the table slot. Workloads never do arithmetic on handles: they ask address(handle)
 * for the memory and write through NativeMemory, the same way for everyone.
 *
 * Allocators without individual free (the JDK arenas) reclaim memory in batches: free is a no-op
 * for them and endBatch() releases everything the calling thread allocated since its previous
 * endBatch(). Workloads that have no batch structure declare themselves not applicable to them.
 */
package dev.sparseheap.bench;

/**
 * A memory allocator as the benchmarks see it.
 *
 * <p>Contract: {@code malloc}, {@code calloc}, {@code mallocAligned} and {@code realloc} return a
 * non-zero handle or throw {@link OutOfMemoryError}; {@code realloc} keeps the contents up to the
 * smaller size and may move (its old handle is then dead); {@code free} accepts only a live
 * handle. Implementations state their own thread-safety; every allocator registered in
 * {@link Allocators} may be used from several threads at once and may free on a thread other than
 * the allocating one, except where {@link #individualFree()} is false (then see
 * {@link #endBatch()}).
 */
public interface Allocator extends AutoCloseable {

    /** The registry name, e.g. {@code "mimalloc"}. */
    String name();

    /** A handle to {@code size} bytes with unspecified contents. */
    long malloc(long size);

    /** A handle to {@code size} zeroed bytes. */
    long calloc(long size);

    /** A handle to {@code size} bytes whose address is a multiple of {@code alignment} (a power of two). */
    long mallocAligned(long size, long alignment);

    /** Resizes the allocation of {@code handle}, keeping its contents; returns its new handle. */
    long realloc(long handle, long size);

    /** Frees the allocation of {@code handle}. */
    void free(long handle);

    /** The address of the memory of {@code handle}. */
    default long address(long handle) {
        return handle;
    }

    /** False when {@link #free} does nothing and memory is reclaimed only by {@link #endBatch()}. */
    default boolean individualFree() {
        return true;
    }

    /**
     * Ends the calling thread's batch: an allocator without individual free reclaims every object
     * the thread allocated since its previous batch ended. Other allocators do nothing.
     */
    default void endBatch() {
    }

    /** Releases everything the allocator holds. */
    @Override
    void close();
}
