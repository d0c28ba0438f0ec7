package example;

import dev.sparseheap.SparseHeap;
import dev.sparseheap.lwjgl.SparseHeapMemoryAllocator;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.MemoryUtil;

import java.nio.FloatBuffer;

/** LWJGL's memory API served by sparseheap: install the allocator before LWJGL first allocates. */
public final class LwjglExample {

    public static void main(String[] args) {
        SparseHeap heap = SparseHeap.create();
        Configuration.MEMORY_ALLOCATOR.set(new SparseHeapMemoryAllocator(heap));

        FloatBuffer vertices = MemoryUtil.memAllocFloat(3 * 1024);
        for (int i = 0; i < vertices.capacity(); i++) {
            vertices.put(i, i * 0.5f);
        }
        long address = MemoryUtil.memAddress(vertices);
        System.out.println("vertices at 0x" + Long.toHexString(address) + ", a block of the heap: "
                + (heap.objectBase(address) == address));
        if (heap.objectBase(address) != address) {
            throw new AssertionError("LWJGL did not allocate from sparseheap");
        }
        MemoryUtil.memFree(vertices);
        System.out.println(heap.stats());
    }
}
