/*
 * A direct buffer in the heap, read and written through its java.nio.ByteBuffer: the kind Netty
 * uses when sun.misc.Unsafe is not available (on Java 25 by default). Memory handling is
 * DirectBufferMemory's; this class only connects Netty's hooks to it.
 */
package dev.sparseheap.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.util.internal.CleanableDirectBuffer;

/**
 * A reference-counted direct buffer whose memory is a heap object, accessed through a ByteBuffer.
 *
 * <p>Thread safety: as any Netty buffer, reference counting is thread-safe and everything else
 * is for one thread at a time.
 */
final class HeapDirectByteBuf extends UnpooledDirectByteBuf {

    private final DirectBufferMemory memory;

    HeapDirectByteBuf(ByteBufAllocator allocator, DirectBufferMemory memory, int maxCapacity) {
        super(allocator, memory.initialBuffer(), maxCapacity);
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
