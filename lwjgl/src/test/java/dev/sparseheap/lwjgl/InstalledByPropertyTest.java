/*
 * LWJGL with sparseheap installed by class name (-Dorg.lwjgl.system.allocator, set for this test
 * JVM in the pom) and LWJGL's debug allocator layered on top (-Dorg.lwjgl.util.DebugAllocator):
 * LWJGL's own memory API allocates from the process-wide heap, its leak report sees what was not
 * freed, and native code calls the allocator through its function pointers.
 */
package dev.sparseheap.lwjgl;

import dev.sparseheap.SparseHeap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.JNI;
import org.lwjgl.system.MemoryUtil;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LWJGL's memory API served by the heap LWJGL created the allocator for. */
class InstalledByPropertyTest {

    private final SparseHeap heap = SparseHeapMemoryAllocator.defaultHeap();

    /** LWJGL allocates for itself when it starts (its natives, its stacks): let it, before counting. */
    @BeforeAll
    static void startLwjgl() {
        MemoryUtil.memFree(MemoryUtil.memAlloc(1));
        MemoryUtil.memAlignedFree(MemoryUtil.memAlignedAlloc(64, 64));
    }

    @Test
    void lwjglCreatedTheAllocatorFromItsClassNameOverTheDefaultHeap() {
        SparseHeapMemoryAllocator allocator =
                assertInstanceOf(SparseHeapMemoryAllocator.class, MemoryUtil.getAllocator());
        assertEquals(heap, allocator.heap());
        assertNotEquals(MemoryUtil.getAllocator(), MemoryUtil.getAllocator(true), "the debug allocator is on top");
    }

    @Test
    void memAllocCallocReallocAndFreeUseTheHeap() {
        long objects = heap.stats().objects();
        ByteBuffer bytes = MemoryUtil.memAlloc(100);
        assertEquals(MemoryUtil.memAddress(bytes), heap.objectBase(MemoryUtil.memAddress(bytes)));
        for (int i = 0; i < 100; i++) {
            bytes.put(i, (byte) i);
        }
        IntBuffer ints = MemoryUtil.memCallocInt(1000);
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, ints.get(i));
        }
        assertEquals(objects + 2, heap.stats().objects());
        ByteBuffer grown = MemoryUtil.memRealloc(bytes, 100_000);
        assertEquals(MemoryUtil.memAddress(grown), heap.objectBase(MemoryUtil.memAddress(grown)));
        for (int i = 0; i < 100; i++) {
            assertEquals((byte) i, grown.get(i));
        }
        PointerBuffer pointers = MemoryUtil.memAllocPointer(8);
        MemoryUtil.memFree(grown);
        MemoryUtil.memFree(ints);
        MemoryUtil.memFree(pointers);
        assertEquals(objects, heap.stats().objects());
        heap.verify();
    }

    @Test
    void memAlignedAllocIsAlignedAndFreedByMemAlignedFree() {
        long objects = heap.stats().objects();
        ByteBuffer page = MemoryUtil.memAlignedAlloc(4096, 8192);
        long address = MemoryUtil.memAddress(page);
        assertEquals(0, address % 4096);
        assertEquals(address, heap.objectBase(address + 8191));
        MemoryUtil.memAlignedFree(page);
        assertEquals(objects, heap.stats().objects());
    }

    @Test
    void lwjglsDebugAllocatorReportsADeliberateLeak() {
        ByteBuffer leaked = MemoryUtil.memAlloc(4321);
        long address = MemoryUtil.memAddress(leaked);
        List<Long> reported = new ArrayList<>();
        MemoryUtil.memReport((where, bytes, threadId, threadName, stack) -> {
            if (where == address) {
                reported.add(bytes);
            }
        });
        assertEquals(List.of(4321L), reported);
        assertEquals(address, heap.objectBase(address), "the leaked block is the heap's");
        MemoryUtil.memFree(leaked);
        reported.clear();
        MemoryUtil.memReport((where, bytes, threadId, threadName, stack) -> {
            if (where == address) {
                reported.add(bytes);
            }
        });
        assertTrue(reported.isEmpty());
    }

    @Test
    void nativeCodeCallsTheAllocatorThroughItsFunctionPointers() {
        MemoryUtil.MemoryAllocator allocator = MemoryUtil.getAllocator();
        long objects = heap.stats().objects();
        // JNI.invoke* are LWJGL's native trampolines: C code that calls the pointer it is given
        long block = JNI.invokePP(300, allocator.getMalloc());
        assertEquals(block, heap.objectBase(block));
        MemoryUtil.memPutLong(block + 8, 0x1234_5678L);
        long zeroed = JNI.invokePPP(10, 100, allocator.getCalloc());
        assertEquals(0, MemoryUtil.memGetLong(zeroed + 992));
        long moved = JNI.invokePPP(block, 50_000, allocator.getRealloc());
        assertEquals(0x1234_5678L, MemoryUtil.memGetLong(moved + 8));
        long aligned = JNI.invokePPP(65536, 100, allocator.getAlignedAlloc());
        assertEquals(0, aligned % 65536);
        assertEquals(objects + 3, heap.stats().objects());
        JNI.invokePV(moved, allocator.getFree());
        JNI.invokePV(zeroed, allocator.getFree());
        JNI.invokePV(aligned, allocator.getAlignedFree());
        assertEquals(objects, heap.stats().objects());
        long badFrees = heap.stats().badFrees();
        assertEquals(0, JNI.invokePPP(block, 0, allocator.getRealloc()),
                "realloc(p, 0) of a freed block answers 0 without unwinding into C");
        JNI.invokePV(block, allocator.getFree());
        assertEquals(badFrees + 2, heap.stats().badFrees());
        heap.verify();
    }

    @Test
    void theDebugAllocatorsNativePointersReachTheHeapToo() {
        MemoryUtil.MemoryAllocator tracked = MemoryUtil.getAllocator(true);
        long objects = heap.stats().objects();
        long block = JNI.invokePP(64, tracked.getMalloc());
        assertEquals(block, heap.objectBase(block));
        JNI.invokePV(block, tracked.getFree());
        assertEquals(objects, heap.stats().objects());
    }
}
