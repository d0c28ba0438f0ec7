/*
 * mimalloc (Debian libmimalloc2.0) through its mi_ functions.
 *
 * The library's functions are bound once into a static final NativeFunctions, so the JIT sees
 * constant downcall handles; each method is a plain delegation, the same for every native peer.
 */
package dev.sparseheap.bench;

/**
 * The {@code mimalloc} peer: {@link Allocator} over libmimalloc.so.2 through {@code java.lang.foreign}.
 *
 * <p>Thread-safe: any thread may allocate and free, including objects of other threads. Handles
 * are addresses. {@link #close()} does nothing; the library lives as long as the JVM.
 */
public final class MimallocAllocator implements Allocator {

    /** The library file this peer loads. */
    public static final String LIBRARY = "libmimalloc.so.2";

    private static final NativeFunctions C = NativeFunctions.load(LIBRARY,
            new NativeFunctions.Symbols("mi_malloc", "mi_calloc", "mi_aligned_alloc", "mi_realloc", "mi_free"));

    @Override
    public String name() {
        return "mimalloc";
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
