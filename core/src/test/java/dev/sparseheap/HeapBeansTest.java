package dev.sparseheap;

import dev.sparseheap.os.SimulatedAddressSpace;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MBeans of a named heap and its allocators agree with stats() and go away at close. */
class HeapBeansTest {

    private static SparseHeap.Builder named(String name) {
        return SparseHeap.builder().name(name).addressSpace(SimulatedAddressSpace.builder().addressBits(48).build())
                .backgroundScavenger(false);
    }

    @Test
    void attributesAgreeWithStatsAndBeansAreUnregisteredAtClose() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName heapName = new ObjectName("dev.sparseheap:type=SparseHeap,name=beans-test");
        ObjectName childName = new ObjectName("dev.sparseheap:type=HeapAllocator,heap=beans-test,name=query/scan");
        try (SparseHeap heap = named("beans-test").build()) {
            HeapAllocator scan = heap.newAllocator("query", 1 << 20).newAllocator("scan");
            long p = scan.malloc(1000);
            heap.malloc(100_000);
            assertThrows(IllegalArgumentException.class, () -> heap.free(p + 8));
            HeapStats stats = heap.stats();
            assertEquals("beans-test", server.getAttribute(heapName, "Name"));
            assertEquals(stats.reservedBytes(), server.getAttribute(heapName, "ReservedBytes"));
            assertEquals(stats.mappedBytes(), server.getAttribute(heapName, "MappedBytes"));
            assertEquals(stats.inUseBytes(), server.getAttribute(heapName, "InUseBytes"));
            assertEquals(stats.liveBytes(), server.getAttribute(heapName, "LiveBytes"));
            assertEquals(stats.releasedBytes(), server.getAttribute(heapName, "ReleasedBytes"));
            assertEquals(stats.objects(), server.getAttribute(heapName, "Objects"));
            assertEquals(stats.allocations(), server.getAttribute(heapName, "Allocations"));
            assertEquals(stats.frees(), server.getAttribute(heapName, "Frees"));
            assertEquals(1L, server.getAttribute(heapName, "BadFrees"));
            assertEquals(stats.toString(), server.getAttribute(heapName, "Summary"));
            assertEquals(scan.used(), server.getAttribute(childName, "UsedBytes"));
            assertEquals(1L, server.getAttribute(childName, "Objects"));
            assertEquals(1L << 20,
                    server.getAttribute(new ObjectName("dev.sparseheap:type=HeapAllocator,heap=beans-test,name=query"), "Limit"));
            assertThrows(IllegalArgumentException.class, () -> named("beans-test").build());
            scan.free(p);
            scan.close();
            assertFalse(server.isRegistered(childName));
        }
        assertFalse(server.isRegistered(heapName));
        assertTrue(server.queryNames(new ObjectName("dev.sparseheap:heap=beans-test,*"), null).isEmpty());
    }

    @Test
    void statsReadAsASummary() {
        try (SparseHeap heap = SparseHeap.builder().addressSpace(SimulatedAddressSpace.builder().addressBits(48).build())
                .backgroundScavenger(false).build()) {
            for (int i = 0; i < 3; i++) {
                heap.malloc(64);
            }
            heap.malloc(100_000);
            String summary = heap.stats().toString();
            assertTrue(summary.startsWith("live 104.2 KiB in 4 objects (1 large, 104 KiB);"), summary);
            assertTrue(summary.contains("size classes with live objects: 64 B x 3"), summary);
            assertEquals(3, summary.lines().count(), summary);
        }
    }
}
