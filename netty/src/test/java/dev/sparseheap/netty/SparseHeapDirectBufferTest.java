package dev.sparseheap.netty;

import dev.sparseheap.HeapStats;
import dev.sparseheap.SparseHeap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Direct and heap buffers of the allocator against the real Netty buffer classes: memory in the
 * heap for the buffers' lives, freed on the last release, moved by capacity changes, and the
 * metric. Runs both with and without sun.misc.Unsafe (see the module's surefire executions).
 */
class SparseHeapDirectBufferTest {

    private final SparseHeap heap = SparseHeap.create();
    private final SparseHeapByteBufAllocator allocator = new SparseHeapByteBufAllocator(heap);

    @AfterEach
    void closeHeap() {
        heap.close();
    }

    @Test
    void directBuffersAreHeapObjectsFreedOnTheLastRelease() {
        ByteBuf buffer = allocator.directBuffer(100);
        assertTrue(buffer.isDirect());
        assertEquals(100, buffer.capacity());
        assertEquals(0, buffer.readerIndex());
        assertEquals(0, buffer.writerIndex());
        assertEquals(1, heap.stats().objects());
        buffer.writeLong(0x0102030405060708L);
        ByteBuf slice = buffer.retainedSlice(0, 8);
        buffer.release();
        assertEquals(1, heap.stats().objects(), "a retained slice keeps the memory");
        assertEquals(0x0102030405060708L, slice.getLong(0));
        slice.release();
        assertEquals(0, heap.stats().objects());
        assertEquals(1, heap.stats().frees());
    }

    @Test
    void ensureWritableGrowsAcrossTheSmallLargeBoundaryKeepingTheContents() {
        ByteBuf buffer = allocator.directBuffer(16);
        int total = 3 * (int) SparseHeap.MAX_SMALL_SIZE + 123;
        for (int i = 0; i < total; i++) {
            buffer.ensureWritable(1);
            buffer.writeByte(pattern(i));
            if (i == SparseHeap.MAX_SMALL_SIZE - 1) {
                assertEquals(0, heap.stats().largeObjects(), "up to 32 KiB the buffer is a small object");
            }
        }
        assertTrue(buffer.capacity() > SparseHeap.MAX_SMALL_SIZE);
        HeapStats grown = heap.stats();
        assertEquals(1, grown.objects(), "every replaced object was freed");
        assertEquals(1, grown.largeObjects());
        for (int i = 0; i < total; i++) {
            assertEquals(pattern(i), buffer.getByte(i), "byte " + i);
        }
        buffer.capacity(1000);
        assertEquals(1000, buffer.capacity());
        assertEquals(0, heap.stats().largeObjects(), "shrinking below 32 KiB moves to a small object");
        for (int i = 0; i < 1000; i++) {
            assertEquals(pattern(i), buffer.getByte(i), "byte " + i + " after shrinking");
        }
        buffer.release();
        assertEquals(0, heap.stats().objects());
    }

    @Test
    void copiesAndCompositesStayInTheHeap() {
        ByteBuf first = allocator.directBuffer(64).writeBytes(new byte[]{1, 2, 3});
        ByteBuf copy = first.copy();
        assertEquals(2, heap.stats().objects());
        CompositeByteBuf composite = allocator.compositeDirectBuffer();
        composite.addComponents(true, first, copy);
        assertEquals(6, composite.readableBytes());
        ByteBuf flat = composite.copy();
        assertEquals(3, heap.stats().objects());
        assertEquals(3, flat.getByte(5));
        composite.release();
        flat.release();
        assertEquals(0, heap.stats().objects());
    }

    @Test
    void metricAgreesWithTheHeapStatistics() {
        List<ByteBuf> buffers = new ArrayList<>();
        long capacities = 0;
        for (int size : new int[]{0, 1, 100, 4096, 40_000, 200_000}) {
            buffers.add(allocator.directBuffer(size));
            capacities += size;
        }
        ByteBuf onJavaHeap = allocator.heapBuffer(1000);
        assertFalse(onJavaHeap.isDirect());
        HeapStats stats = heap.stats();
        assertEquals(stats.liveBytes(), allocator.metric().usedDirectMemory());
        assertEquals(stats.liveBytes(), allocator.metric().heapStats().liveBytes());
        assertTrue(allocator.metric().usedDirectMemory() >= capacities);
        assertEquals(1000, allocator.metric().usedHeapMemory());
        onJavaHeap.capacity(5000);
        assertEquals(5000, allocator.metric().usedHeapMemory());
        onJavaHeap.release();
        buffers.forEach(ByteBuf::release);
        assertEquals(0, allocator.metric().usedHeapMemory());
        assertEquals(0, allocator.metric().usedDirectMemory());
        assertEquals(0, heap.stats().objects());
    }

    @Test
    void aClosedHeapRefusesNewBuffers() {
        heap.close();
        assertThrows(IllegalStateException.class, () -> allocator.directBuffer(10));
    }

    private static byte pattern(int index) {
        return (byte) (index * 7 + index / 251);
    }
}
