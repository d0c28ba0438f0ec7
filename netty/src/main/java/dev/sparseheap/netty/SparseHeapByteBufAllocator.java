/*
 * Netty's ByteBufAllocator over a SparseHeap, so that a Netty program puts its direct buffers in
 * sparseheap by setting one channel option (ChannelOption.ALLOCATOR) or bootstrap default.
 *
 * Design. Netty already has reference-counted direct buffers over a java.nio.ByteBuffer with
 * hooks for where their memory comes from and goes (its unpooled buffers); the buffers of this
 * package reuse them, so every accessor, slice, duplicate, NIO and channel path is Netty's own,
 * tested code. What changes is the memory: each buffer's bytes are one heap object, taken from
 * the heap when the buffer is created, replaced when its capacity changes, and freed to the heap
 * on the last release(). The heap already does what a pool would (size classes, thread caches,
 * memory given back to the OS), so there is no pooling layer here, and nothing to tune.
 *
 * Invariants: every live direct buffer holds exactly one live heap object of at least its
 * capacity; a released buffer holds none; the heap sees exactly one free per object, whichever
 * path (release or capacity change) gives it up. New buffers go through
 * AbstractByteBufAllocator.toLeakAwareBuffer, as Netty's own allocators do theirs (since Netty
 * 4.2 the allocator's newHeapBuffer/newDirectBuffer must do it), so
 * ResourceLeakDetector reports a buffer collected without its last release, at the level the
 * program chose.
 *
 * Heap buffers (heapBuffer(), or buffer() when direct buffers are not preferred) are Netty's
 * unpooled Java-array buffers: the heap manages native memory only.
 */
package dev.sparseheap.netty;

import dev.sparseheap.SparseHeap;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;

import java.util.Objects;

/**
 * A Netty {@link io.netty.buffer.ByteBufAllocator} whose direct buffers live in a
 * {@link SparseHeap}.
 *
 * <pre>{@code
 * SparseHeap heap = SparseHeap.create();
 * ByteBufAllocator allocator = new SparseHeapByteBufAllocator(heap);
 * bootstrap.option(ChannelOption.ALLOCATOR, allocator).childOption(ChannelOption.ALLOCATOR, allocator);
 * }</pre>
 *
 * <p>Contract: direct buffers ({@code directBuffer}, {@code ioBuffer}, and {@code buffer}, since
 * direct buffers are preferred) are heap objects of at least their capacity, freed to the heap on
 * their last {@code release()}; capacity changes ({@code capacity(int)}, {@code ensureWritable})
 * move the contents to a new object and free the old one. Heap buffers are Netty's unpooled
 * ones. Every buffer is leak-aware as Netty's {@link io.netty.util.ResourceLeakDetector} level
 * says. {@link #metric()} reports the heap's live bytes as direct memory. An allocation the heap
 * cannot satisfy throws {@link OutOfMemoryError} naming the size. The heap must outlive the
 * buffers: after it closes, allocation throws {@link IllegalStateException}, and a buffer still
 * live then must not be used, like any raw address of a closed heap (without
 * {@code sun.misc.Unsafe} Netty reaches the memory through its ByteBuffer, which then throws; with
 * it, Netty reads the address directly, as its own allocators do).
 *
 * <p>Thread-safe: any thread may allocate, and any thread may release a buffer allocated on
 * another, as the heap allows. Buffers themselves follow Netty's rules (reference counting is
 * thread-safe, the rest is for one thread at a time).
 */
public final class SparseHeapByteBufAllocator extends AbstractByteBufAllocator implements ByteBufAllocatorMetricProvider {

    private final SparseHeap heap;
    private final SparseHeapByteBufAllocatorMetric metric;
    private final boolean unsafeAccess;

    /**
     * An allocator putting its direct buffers in {@code heap}, preferring direct buffers.
     *
     * @param heap the heap of the direct buffers; it must outlive them
     * @throws NullPointerException if {@code heap} is null
     */
    public SparseHeapByteBufAllocator(SparseHeap heap) {
        super(true);
        this.heap = Objects.requireNonNull(heap, "heap");
        this.metric = new SparseHeapByteBufAllocatorMetric(heap);
        this.unsafeAccess = PlatformDependent.hasUnsafe();
    }

    /**
     * The heap the direct buffers live in.
     *
     * @return the heap given to the constructor
     */
    public SparseHeap heap() {
        return heap;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return toLeakAwareBuffer(new CountedHeapByteBuf(this, metric, initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        DirectBufferMemory memory = new DirectBufferMemory(heap, initialCapacity);
        ByteBuf buffer;
        try {
            buffer = unsafeAccess
                    ? new UnsafeHeapDirectByteBuf(this, memory, maxCapacity)
                    : new HeapDirectByteBuf(this, memory, maxCapacity);
        } catch (RuntimeException | Error e) {
            memory.free();
            throw e;
        }
        return toLeakAwareBuffer(buffer);
    }

    /**
     * True: direct buffers come from the heap's size classes and thread caches, which is what
     * Netty asks this question for (whether {@code ioBuffer()} may hand out direct buffers cheaply).
     */
    @Override
    public boolean isDirectBufferPooled() {
        return true;
    }

    @Override
    public SparseHeapByteBufAllocatorMetric metric() {
        return metric;
    }

    @Override
    public String toString() {
        return "SparseHeapByteBufAllocator(" + metric + ')';
    }
}
