/*
 * LWJGL's allocator hook served by a SparseHeap.
 *
 * LWJGL routes memAlloc, memCalloc, memRealloc, memFree, memAlignedAlloc and memAlignedFree to
 * one MemoryUtil.MemoryAllocator, chosen once when MemoryUtil is first used: an instance given
 * to Configuration.MEMORY_ALLOCATOR, or a class named by -Dorg.lwjgl.system.allocator, which
 * LWJGL creates through its public no-argument constructor. That constructor has no heap to be
 * given, so it uses one heap per process, created on first use with the default settings and
 * never closed: LWJGL keeps its allocator for the life of the process, and closing a heap under
 * memory that native code may still hold would turn a late free into a crash.
 *
 * C semantics, as LWJGL expects of an allocator: an allocation that cannot be served (no memory,
 * a size or alignment C would refuse, a calloc whose size overflows) returns 0 and changes
 * nothing; realloc(p, 0) frees p and returns 0; realloc(0, n) is malloc(n); free(0) does
 * nothing. Sizes are C's size_t, so a negative long is a size too large to serve. A free of an
 * address that is no live object is a bug of the caller, not an allocation failure: from Java it
 * throws IllegalArgumentException (the heap counts it in its badFrees).
 *
 * Native entry points. getMalloc() … getAlignedFree() return function pointers for native code
 * that takes an allocator (LWJGL hands these to the libraries it binds). They are FFM upcall
 * stubs, created on first request and kept as long as this allocator is reachable. An exception
 * must never unwind into C (the JVM would end), so the native entry points catch everything:
 * allocations answer 0, and a rejected free is logged through System.Logger (the heap counts it).
 */
package dev.sparseheap.lwjgl;

import dev.sparseheap.SparseHeap;
import org.lwjgl.system.MemoryUtil;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Objects;

/**
 * A {@link MemoryUtil.MemoryAllocator} whose memory comes from a {@link SparseHeap}.
 *
 * <p>Install it before LWJGL's {@link MemoryUtil} is first used, either with an instance over a
 * heap of your own:
 * <pre>{@code
 * SparseHeap heap = SparseHeap.create();
 * Configuration.MEMORY_ALLOCATOR.set(new SparseHeapMemoryAllocator(heap));
 * }</pre>
 * or by class name, {@code -Dorg.lwjgl.system.allocator=dev.sparseheap.lwjgl.SparseHeapMemoryAllocator},
 * which serves LWJGL from the process-wide heap {@link #defaultHeap()}.
 * LWJGL's debug allocator ({@code Configuration.DEBUG_MEMORY_ALLOCATOR}) works on top of it.
 *
 * <p>Thread safety: every method may be called by any thread at any time, as the heap's.
 */
public final class SparseHeapMemoryAllocator implements MemoryUtil.MemoryAllocator {

    private static final System.Logger LOG = System.getLogger("dev.sparseheap.lwjgl");

    private final SparseHeap heap;
    private volatile NativeFunctions nativeFunctions;

    /**
     * An allocator over the process-wide {@link #defaultHeap()}: the constructor LWJGL calls for
     * {@code -Dorg.lwjgl.system.allocator=dev.sparseheap.lwjgl.SparseHeapMemoryAllocator}.
     */
    public SparseHeapMemoryAllocator() {
        this(DefaultHeap.HEAP);
    }

    /** An allocator over {@code heap}, which must stay open as long as LWJGL may use it. */
    public SparseHeapMemoryAllocator(SparseHeap heap) {
        this.heap = Objects.requireNonNull(heap);
    }

    /**
     * The heap that allocators made with the no-argument constructor share: created with
     * {@link SparseHeap#create()} on first use, never closed.
     */
    public static SparseHeap defaultHeap() {
        return DefaultHeap.HEAP;
    }

    /** The heap this allocator takes its memory from. */
    public SparseHeap heap() {
        return heap;
    }

    /** {@code malloc}: {@code size} bytes, contents unspecified; 0 when they cannot be had. */
    @Override
    public long malloc(long size) {
        try {
            return heap.malloc(size);
        } catch (OutOfMemoryError | IllegalArgumentException e) {
            return MemoryUtil.NULL;
        }
    }

    /** {@code calloc}: {@code num * size} zeroed bytes; 0 when they cannot be had or the product overflows. */
    @Override
    public long calloc(long num, long size) {
        long bytes = num * size;
        if (num < 0 || size < 0 || Math.multiplyHigh(num, size) != 0 || bytes < 0) {
            return MemoryUtil.NULL;
        }
        try {
            return heap.calloc(bytes);
        } catch (OutOfMemoryError | IllegalArgumentException e) {
            return MemoryUtil.NULL;
        }
    }

    /**
     * {@code realloc}: resizes the block at {@code ptr}, keeping its contents. {@code realloc(0, n)}
     * is {@code malloc(n)}; {@code realloc(p, 0)} frees {@code p} and returns 0; when the block
     * cannot grow it stays as it was and 0 is returned.
     *
     * @throws IllegalArgumentException if {@code ptr} is neither 0 nor a live block of the heap
     */
    @Override
    public long realloc(long ptr, long size) {
        if (ptr == MemoryUtil.NULL) {
            return malloc(size);
        }
        if (size == 0) {
            heap.free(ptr);
            return MemoryUtil.NULL;
        }
        if (size < 0) {
            return MemoryUtil.NULL;
        }
        try {
            return heap.realloc(ptr, size);
        } catch (OutOfMemoryError e) {
            return MemoryUtil.NULL;
        }
    }

    /**
     * {@code free}: gives the block at {@code ptr} back; {@code free(0)} does nothing.
     *
     * @throws IllegalArgumentException if {@code ptr} is neither 0 nor a live block of the heap
     */
    @Override
    public void free(long ptr) {
        heap.free(ptr);
    }

    /**
     * {@code aligned_alloc}: {@code size} bytes at an address aligned to {@code alignment}; 0 when
     * the alignment is not a power of two or the memory cannot be had.
     */
    @Override
    public long aligned_alloc(long alignment, long size) {
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0 || size < 0) {
            return MemoryUtil.NULL;
        }
        try {
            return heap.mallocAligned(size, alignment);
        } catch (OutOfMemoryError | IllegalArgumentException e) {
            return MemoryUtil.NULL;
        }
    }

    /**
     * {@code aligned_free}: gives back a block from {@link #aligned_alloc}; 0 does nothing.
     *
     * @throws IllegalArgumentException if {@code ptr} is neither 0 nor a live block of the heap
     */
    @Override
    public void aligned_free(long ptr) {
        heap.free(ptr);
    }

    /** A native {@code void *malloc(size_t)} calling {@link #malloc}. */
    @Override
    public long getMalloc() {
        return nativeFunctions().malloc;
    }

    /** A native {@code void *calloc(size_t, size_t)} calling {@link #calloc}. */
    @Override
    public long getCalloc() {
        return nativeFunctions().calloc;
    }

    /** A native {@code void *realloc(void *, size_t)} calling {@link #realloc}. */
    @Override
    public long getRealloc() {
        return nativeFunctions().realloc;
    }

    /** A native {@code void free(void *)} calling {@link #free}. */
    @Override
    public long getFree() {
        return nativeFunctions().free;
    }

    /** A native {@code void *aligned_alloc(size_t, size_t)} calling {@link #aligned_alloc}. */
    @Override
    public long getAlignedAlloc() {
        return nativeFunctions().alignedAlloc;
    }

    /** A native {@code void aligned_free(void *)} calling {@link #aligned_free}. */
    @Override
    public long getAlignedFree() {
        return nativeFunctions().alignedFree;
    }

    private NativeFunctions nativeFunctions() {
        NativeFunctions functions = nativeFunctions;
        if (functions == null) {
            synchronized (this) {
                functions = nativeFunctions;
                if (functions == null) {
                    functions = new NativeFunctions(this);
                    nativeFunctions = functions;
                }
            }
        }
        return functions;
    }

    // The native entry points: nothing may escape them into C.

    private MemorySegment nativeMalloc(long size) {
        try {
            return MemorySegment.ofAddress(malloc(size));
        } catch (Throwable e) {
            return failedInNative("malloc", e);
        }
    }

    private MemorySegment nativeCalloc(long num, long size) {
        try {
            return MemorySegment.ofAddress(calloc(num, size));
        } catch (Throwable e) {
            return failedInNative("calloc", e);
        }
    }

    private MemorySegment nativeRealloc(MemorySegment ptr, long size) {
        try {
            return MemorySegment.ofAddress(realloc(ptr.address(), size));
        } catch (Throwable e) {
            return failedInNative("realloc", e);
        }
    }

    private void nativeFree(MemorySegment ptr) {
        try {
            free(ptr.address());
        } catch (Throwable e) {
            failedInNative("free", e);
        }
    }

    private MemorySegment nativeAlignedAlloc(long alignment, long size) {
        try {
            return MemorySegment.ofAddress(aligned_alloc(alignment, size));
        } catch (Throwable e) {
            return failedInNative("aligned_alloc", e);
        }
    }

    private void nativeAlignedFree(MemorySegment ptr) {
        try {
            aligned_free(ptr.address());
        } catch (Throwable e) {
            failedInNative("aligned_free", e);
        }
    }

    private static MemorySegment failedInNative(String function, Throwable error) {
        LOG.log(System.Logger.Level.WARNING, "native " + function + " through sparseheap failed: " + error, error);
        return MemorySegment.NULL;
    }

    /** The process-wide heap, created when first asked for. */
    private static final class DefaultHeap {
        static final SparseHeap HEAP = SparseHeap.create();
    }

    /**
     * The six upcall stubs of one allocator, in an automatic arena that lives as long as they
     * are reachable from it.
     */
    private static final class NativeFunctions {

        private static final ValueLayout SIZE_T = ValueLayout.JAVA_LONG;
        private static final ValueLayout POINTER = ValueLayout.ADDRESS;

        final long malloc;
        final long calloc;
        final long realloc;
        final long free;
        final long alignedAlloc;
        final long alignedFree;
        /** Holds the stubs' code: freed once neither the allocator nor these stubs are reachable. */
        private final Arena lifetime = Arena.ofAuto();

        NativeFunctions(SparseHeapMemoryAllocator allocator) {
            malloc = stub(allocator, "nativeMalloc", FunctionDescriptor.of(POINTER, SIZE_T));
            calloc = stub(allocator, "nativeCalloc", FunctionDescriptor.of(POINTER, SIZE_T, SIZE_T));
            realloc = stub(allocator, "nativeRealloc", FunctionDescriptor.of(POINTER, POINTER, SIZE_T));
            free = stub(allocator, "nativeFree", FunctionDescriptor.ofVoid(POINTER));
            alignedAlloc = stub(allocator, "nativeAlignedAlloc", FunctionDescriptor.of(POINTER, SIZE_T, SIZE_T));
            alignedFree = stub(allocator, "nativeAlignedFree", FunctionDescriptor.ofVoid(POINTER));
        }

        @SuppressWarnings("restricted") // upcalls into methods that catch everything
        private long stub(SparseHeapMemoryAllocator allocator, String method, FunctionDescriptor descriptor) {
            try {
                MethodType type = descriptor.toMethodType();
                MethodHandle target = MethodHandles.lookup()
                        .findVirtual(SparseHeapMemoryAllocator.class, method, type)
                        .bindTo(allocator);
                return Linker.nativeLinker().upcallStub(target, descriptor, lifetime).address();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("the native entry point " + method + " is missing", e);
            }
        }
    }
}
