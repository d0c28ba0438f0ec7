package dev.sparseheap.arrow;

import dev.sparseheap.HeapStats;
import dev.sparseheap.SparseHeap;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arrow's vectors, schema roots and IPC stream format doing real work on buffers from sparseheap,
 * with the heap's statistics checked against Arrow's own accounting.
 */
class SparseHeapVectorsTest {

    private static final int MILLION = 1_000_000;

    private final SparseHeap heap = SparseHeap.create();
    private final RootAllocator root = new RootAllocator(RootAllocator.configBuilder()
            .allocationManagerFactory(SparseHeapAllocationManager.factory(heap)).build());

    @AfterEach
    void close() {
        root.close();
        assertEquals(0, heap.stats().objects(), "every buffer was freed to the heap");
        heap.verify();
        heap.close();
    }

    @Test
    void aMillionRowTableIsBuiltAndReadBackWithTheHeapAgreeingWithArrow() {
        try (VectorSchemaRoot table = SampleTable.build(root, MILLION)) {
            SampleTable.check(table, MILLION);
            HeapStats stats = heap.stats();
            assertTrue(root.getAllocatedMemory() > 20L << 20, "the table is tens of megabytes");
            assertEquals(root.getAllocatedMemory(), stats.liveBytes(),
                    "Arrow rounds buffers to powers of two, which are exact size classes");
            assertTrue(stats.largeObjects() > 0);
        }
        assertEquals(0, root.getAllocatedMemory());
        assertEquals(0, heap.stats().liveBytes());
    }

    @Test
    void anIpcStreamRoundTripReadsBackEqualVectors() throws IOException {
        var stream = new ByteArrayOutputStream();
        int rows = 100_000;
        try (VectorSchemaRoot table = SampleTable.build(root, rows);
             var writer = new ArrowStreamWriter(table, null, stream)) {
            writer.start();
            writer.writeBatch();
            writer.end();
        }
        assertEquals(0, root.getAllocatedMemory());
        try (BufferAllocator reading = root.newChildAllocator("reading", 0, Long.MAX_VALUE);
             var reader = new ArrowStreamReader(new ByteArrayInputStream(stream.toByteArray()), reading)) {
            assertTrue(reader.loadNextBatch());
            VectorSchemaRoot read = reader.getVectorSchemaRoot();
            SampleTable.check(read, rows);
            try (VectorSchemaRoot original = SampleTable.build(root, rows)) {
                assertTrue(original.equals(read), "the stream read back equals the table written");
            }
            assertTrue(heap.stats().objects() > 0);
            assertEquals(root.getAllocatedMemory(), heap.stats().liveBytes());
        }
    }
}
