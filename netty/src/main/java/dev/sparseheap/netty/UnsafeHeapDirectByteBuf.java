/*
 * A direct buffer in the heap, read and written the way Netty's fastest unpooled buffers are:
 * through sun.misc.Unsafe at the object's address. Netty uses this kind only where Unsafe is
 * available (on Java 25, when the JVM runs with --sun-misc-unsafe-memory-access=allow).
 * Memory handling is DirectBufferMemory's; this class only connects Netty's hooks to it.
 */
package dev.sparseheap.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledUnsafeDirectByteBuf;
import io.netty.util.internal.CleanableDirectBuffer;

/**
 * A reference-counted direct buffer whose memory is a heap object, accessed through Unsafe.
 *
 * <p>Thread safety: as any Netty buffer, reference counting is thread-safe and everything else
 * is for one thread at a time.
 */
final class UnsafeHeapDirectByteBuf extends UnpooledUnsafeDirectByteBuf {

    private final DirectBufferMemory memory;

    UnsafeHeapDirectByteBuf(ByteBufAllocator allocator, DirectBufferMemory memory, int maxCapacity) {
        super(allocator, false, memory.initialBuffer(), maxCapacity);
        this.memory = memory;
        setIndex(0, 0);
    }

    @Override
    protected CleanableDirectBuffer allocateDirectBuffer(int capacity) {
        return memory.replacement(capacity);
    }

    @Override
    public ByteBuf capacity(int newCapacity) {
        memory.resize(() -> super.capacity(newCapacity));
        return this;
    }

    @Override
    protected void deallocate() {
        super.deallocate();
        memory.free();
    }
}
