/*
 * LWJGL with sparseheap installed as an instance through Configuration.MEMORY_ALLOCATOR, over a
 * heap of the application's own that records a trace. Runs in a JVM of its own (see the pom):
 * LWJGL picks its allocator once per process.
 */
package dev.sparseheap.lwjgl;

import dev.sparseheap.SparseHeap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.MemoryUtil;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** An allocator instance over an application's heap, and LWJGL's C semantics on it. */
class InstalledByConfigurationTest {

    @TempDir
    Path directory;

    @Test
    void lwjglAllocatesFromTheInstalledHeapWhichRecordsItsTrace() {
        Path trace = directory.resolve("lwjgl.trace");
        SparseHeap heap = SparseHeap.builder().recordTrace(trace).build();
        SparseHeapMemoryAllocator allocator = new SparseHeapMemoryAllocator(heap);
        Configuration.MEMORY_ALLOCATOR.set(allocator);
        assertSame(allocator, MemoryUtil.getAllocator());
        long objects = heap.stats().objects();
        ByteBuffer buffer = MemoryUtil.memAlloc(256);
        assertEquals(MemoryUtil.memAddress(buffer), heap.objectBase(MemoryUtil.memAddress(buffer)));
        buffer = MemoryUtil.memRealloc(buffer, 512);
        MemoryUtil.memFree(buffer);
        MemoryUtil.memFree(MemoryUtil.memCalloc(3, 4));
        assertEquals(objects, heap.stats().objects());
        heap.close();
        List<String> recorded = lines(trace);
        assertEquals(List.of("r 1 512", "f 1", "z 2 12", "f 2"),
                recorded.subList(recorded.size() - 4, recorded.size()), "LWJGL's own allocations come first");
    }

    @Test
    void failuresAnswerZeroAsInCAndChangeNothing() {
        try (SparseHeap heap = SparseHeap.builder().memoryLimit(8L << 20).backgroundScavenger(false).build()) {
            SparseHeapMemoryAllocator allocator = new SparseHeapMemoryAllocator(heap);
            assertEquals(0, allocator.malloc(64L << 20), "beyond the memory limit");
            assertEquals(0, allocator.malloc(-1), "a size_t too large");
            assertEquals(0, allocator.calloc(1L << 33, 1L << 33), "num * size overflows");
            assertEquals(0, allocator.calloc(-1, 8));
            assertEquals(0, allocator.aligned_alloc(48, 64), "alignment not a power of two");
            assertEquals(0, allocator.aligned_alloc(0, 64));
            long block = allocator.malloc(100);
            MemoryUtil.memPutLong(block, 42);
            assertEquals(0, allocator.realloc(block, 64L << 20), "cannot grow");
            assertEquals(42, MemoryUtil.memGetLong(block), "and the block stays as it was");
            assertEquals(1, heap.stats().objects());
            assertEquals(0, allocator.realloc(block, 0), "realloc(p, 0) frees");
            assertEquals(0, heap.stats().objects());
            long fromNull = allocator.realloc(0, 10);
            assertEquals(fromNull, heap.objectBase(fromNull));
            allocator.free(0);
            allocator.aligned_free(0);
            allocator.free(fromNull);
            assertThrows(IllegalArgumentException.class, () -> allocator.free(fromNull));
            assertThrows(IllegalArgumentException.class, () -> allocator.aligned_free(fromNull + 8));
            heap.verify();
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
