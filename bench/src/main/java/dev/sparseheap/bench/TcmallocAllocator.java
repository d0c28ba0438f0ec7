/*
 * TCMalloc, gperftools' minimal build (Debian libtcmalloc-minimal4), through its tc_ functions.
 *
 * The library's functions are bound once into a static final NativeFunctions, so the JIT sees
 * constant downcall handles; each method is a plain delegation, the same for every native peer.
 */
package dev.sparseheap.bench;

/**
 * The {@code tcmalloc} peer: {@link Allocator} over libtcmalloc_minimal.so.4 through {@code java.lang.foreign}.
 *
 * <p>Thread-safe: any thread may allocate and free, including objects of other threads. Handles
 * are addresses. {@link #close()} does nothing; the library lives as long as the JVM.
 */
public final class TcmallocAllocator implements Allocator {

    /** The library file this peer loads. */
    public static final String LIBRARY = "libtcmalloc_minimal.so.4";

    private static final NativeFunctions C = NativeFunctions.load(LIBRARY,
            new NativeFunctions.Symbols("tc_malloc", "tc_calloc", "tc_memalign", "tc_realloc", "tc_free"));

    @Override
    public String name() {
        return "tcmalloc";
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
