/*
 * jemalloc as Debian ships it (libjemalloc2): the library exports the plain C names (no je_ prefix), so it is loaded privately and its own malloc, calloc, aligned_alloc, realloc and free are bound.
 *
 * The library's functions are bound once into a static final NativeFunctions, so the JIT sees
 * constant downcall handles; each method is a plain delegation, the same for every native peer.
 */
package dev.sparseheap.bench;

/**
 * The {@code jemalloc} peer: {@link Allocator} over libjemalloc.so.2 through {@code java.lang.foreign}.
 *
 * <p>Thread-safe: any thread may allocate and free, including objects of other threads. Handles
 * are addresses. {@link #close()} does nothing; the library lives as long as the JVM.
 */
public final class JemallocAllocator implements Allocator {

    /** The library file this peer loads. */
    public static final String LIBRARY = "libjemalloc.so.2";

    private static final NativeFunctions C = NativeFunctions.load(LIBRARY, NativeFunctions.Symbols.C);

    @Override
    public String name() {
        return "jemalloc";
    }

    @Override
    public long malloc(long size) {
        return C.malloc(size);
    }

    @Override
    public long calloc(long size) {
        return C.calloc(size);
    }

    @Override
    public long mallocAligned(long size, long alignment) {
        return C.mallocAligned(size, alignment);
    }

    @Override
    public long realloc(long handle, long size) {
        return C.realloc(handle, size);
    }

    @Override
    public void free(long handle) {
        C.free(handle);
    }

    @Override
    public void close() {
    }
}
