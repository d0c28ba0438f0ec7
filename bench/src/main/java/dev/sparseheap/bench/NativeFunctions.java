/*
 * The C allocator entry points of one shared library, bound once as downcall method handles.
 *
 * Every native peer is called through the same shape of handle: pointers travel as Java longs
 * (no MemorySegment wrapping on the hot path) and every downcall is critical (no thread state
 * transition), uniformly for all peers, so differences between peers are the libraries' own.
 * The handles are record components; a peer keeps its NativeFunctions in a static final field,
 * which lets the JIT treat the handles as constants and inline the downcall stubs.
 */
package dev.sparseheap.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * malloc, calloc, aligned allocation, realloc and free of one native library.
 *
 * <p>Immutable and thread-safe; the library's own functions are thread-safe.
 *
 * @param library the library file, for messages
 */
public record NativeFunctions(String library, MethodHandle mallocHandle, MethodHandle callocHandle,
                              MethodHandle alignedHandle, MethodHandle reallocHandle, MethodHandle freeHandle) {

    /** Names of the five entry points in a library. */
    public record Symbols(String malloc, String calloc, String aligned, String realloc, String free) {
        /** The standard C names. */
        public static final Symbols C = new Symbols("malloc", "calloc", "aligned_alloc", "realloc", "free");
    }

    private static final FunctionDescriptor LONG_OF_LONG =
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
    private static final FunctionDescriptor LONG_OF_TWO_LONGS =
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
    private static final FunctionDescriptor VOID_OF_LONG = FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG);

    /** Binds the C library the JVM itself links against (glibc on Linux). */
    public static NativeFunctions ofDefaultLibrary() {
        return bind("libc", Linker.nativeLinker().defaultLookup(), Symbols.C);
    }

    /**
     * Loads {@code library} (a file name searched like {@code dlopen} does) privately, so its own
     * symbols are bound rather than glibc's of the same name.
     *
     * @throws IllegalArgumentException if the library cannot be loaded or lacks a symbol
     */
    @SuppressWarnings("restricted")
    public static NativeFunctions load(String library, Symbols symbols) {
        return bind(library, SymbolLookup.libraryLookup(library, Arena.global()), symbols);
    }

    private static NativeFunctions bind(String library, SymbolLookup lookup, Symbols symbols) {
        return new NativeFunctions(library,
                downcall(library, lookup, symbols.malloc(), LONG_OF_LONG),
                downcall(library, lookup, symbols.calloc(), LONG_OF_TWO_LONGS),
                downcall(library, lookup, symbols.aligned(), LONG_OF_TWO_LONGS),
                downcall(library, lookup, symbols.realloc(), LONG_OF_TWO_LONGS),
                downcall(library, lookup, symbols.free(), VOID_OF_LONG));
    }

    @SuppressWarnings("restricted")
    private static MethodHandle downcall(String library, SymbolLookup lookup, String symbol, FunctionDescriptor descriptor) {
        var address = lookup.find(symbol).orElseThrow(
                () -> new IllegalArgumentException(library + " does not export " + symbol));
        return Linker.nativeLinker().downcallHandle(address, descriptor, Linker.Option.critical(false));
    }

    public long malloc(long size) {
        try {
            return checked((long) mallocHandle.invokeExact(size), size);
        } catch (Throwable t) {
            throw rethrown(t);
        }
    }

    public long calloc(long size) {
        try {
            return checked((long) callocHandle.invokeExact(1L, size), size);
        } catch (Throwable t) {
            throw rethrown(t);
        }
    }

    /**
     * C11 aligned_alloc: the size is rounded up to a non-zero multiple of the alignment, as C11
     * requires.
     */
    public long mallocAligned(long size, long alignment) {
        long rounded = (Math.max(1, size) + alignment - 1) & -alignment;
        try {
            return checked((long) alignedHandle.invokeExact(alignment, rounded), size);
        } catch (Throwable t) {
            throw rethrown(t);
        }
    }

    /**
     * C realloc, except that a size of 0 gives a minimal object (glibc would free the object and
     * return null), as the Allocator contract and sparseheap define it.
     */
    public long realloc(long address, long size) {
        try {
            return checked((long) reallocHandle.invokeExact(address, Math.max(1, size)), size);
        } catch (Throwable t) {
            throw rethrown(t);
        }
    }

    public void free(long address) {
        try {
            freeHandle.invokeExact(address);
        } catch (Throwable t) {
            throw rethrown(t);
        }
    }

    private long checked(long address, long size) {
        if (address == 0) {
            throw new OutOfMemoryError(library + " could not allocate " + size + " bytes");
        }
        return address;
    }

    private static RuntimeException rethrown(Throwable t) {
        return switch (t) {
            case RuntimeException e -> e;
            case Error e -> throw e;
            default -> new IllegalStateException("native call failed", t);
        };
    }
}
