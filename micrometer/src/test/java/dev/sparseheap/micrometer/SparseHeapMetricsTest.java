package dev.sparseheap.micrometer;

import dev.sparseheap.HeapAllocator;
import dev.sparseheap.HeapStats;
import dev.sparseheap.SparseHeap;
import dev.sparseheap.os.SimulatedAddressSpace;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The meters agree with stats() and the allocators, read through a SimpleMeterRegistry. */
class SparseHeapMetricsTest {

    @Test
    void gaugesAndCountersAgreeWithStats() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SparseHeap heap = SparseHeap.builder().name("metrics-test")
                .addressSpace(SimulatedAddressSpace.builder().addressBits(48).build()).backgroundScavenger(false).build();
        HeapAllocator query = heap.newAllocator("query", 1 << 20);
        HeapAllocator scan = query.newAllocator("scan");
        long p = scan.malloc(1000);
        long q = heap.malloc(200_000);
        heap.free(heap.malloc(64));
        assertThrows(IllegalArgumentException.class, () -> heap.free(q + 8));
        heap.releaseMemory();
        new SparseHeapMetrics(heap).bindTo(registry);

        HeapStats stats = heap.stats();
        assertEquals(stats.reservedBytes(), gauge(registry, "sparseheap.memory.reserved"));
        assertEquals(stats.mappedBytes(), gauge(registry, "sparseheap.memory.mapped"));
        assertEquals(stats.inUseBytes(), gauge(registry, "sparseheap.memory.used"));
        assertEquals(stats.liveBytes(), gauge(registry, "sparseheap.memory.live"));
        assertEquals(stats.releasedBytes(), gauge(registry, "sparseheap.memory.released"));
        assertTrue(stats.releasedBytes() > 0);
        assertEquals(stats.allocations(), counter(registry, "sparseheap.allocations"));
        assertEquals(stats.frees(), counter(registry, "sparseheap.frees"));
        assertEquals(1.0, counter(registry, "sparseheap.bad.frees"));
        assertEquals(query.used(), allocatorGauge(registry, "sparseheap.allocator.used", "query"));
        assertEquals(scan.used(), allocatorGauge(registry, "sparseheap.allocator.used", "query/scan"));
        assertEquals(1 << 20, allocatorGauge(registry, "sparseheap.allocator.limit", "query"));
        assertTrue(Double.isNaN(allocatorGauge(registry, "sparseheap.allocator.limit", "query/scan")));
        assertEquals("bytes", registry.get("sparseheap.memory.live").gauge().getId().getBaseUnit());

        scan.free(p);
        assertEquals(0.0, allocatorGauge(registry, "sparseheap.allocator.used", "query/scan"));
        assertEquals(heap.stats().frees(), counter(registry, "sparseheap.frees"));
        query.close();
        heap.close();
        assertTrue(Double.isNaN(gauge(registry, "sparseheap.memory.live")));
    }

    private static double gauge(SimpleMeterRegistry registry, String name) {
        return registry.get(name).tag("heap", "metrics-test").gauge().value();
    }

    private static double counter(SimpleMeterRegistry registry, String name) {
        return registry.get(name).tag("heap", "metrics-test").functionCounter().count();
    }

    private static double allocatorGauge(SimpleMeterRegistry registry, String name, String allocator) {
        return registry.get(name).tag("heap", "metrics-test").tag("allocator", allocator).gauge().value();
    }
}
