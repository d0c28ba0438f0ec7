package dev.sparseheap;

import dev.sparseheap.ByteSize;
import dev.sparseheap.os.SimulatedAddressSpace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Child allocators: accounting up the tree, hard and soft limits, frees through the wrong
 * allocator, and leak reports on close.
 */
class HeapAllocatorTest {

    private static SparseHeap heap(long sampling) {
        return SparseHeap.builder().addressSpace(SimulatedAddressSpace.builder().addressBits(48).build())
                .backgroundScavenger(false).sampling(sampling).samplingSeed(1).build();
    }

    @Test
    void usageCountsUpTheTreeAndShowsInStats() {
        try (SparseHeap heap = heap(0)) {
            HeapAllocator query = heap.newAllocator("query", 1 << 20);
            HeapAllocator scan = query.newAllocator("scan");
            long a = query.malloc(100);
            long b = scan.calloc(1000);
            long c = scan.mallocAligned(5000, 4096);
            long usable = heap.usableSize(a) + heap.usableSize(b) + heap.usableSize(c);
            assertEquals(usable, query.used());
            assertEquals(3, query.objects());
            assertEquals(heap.usableSize(b) + heap.usableSize(c), scan.used());
            assertEquals("query/scan", scan.path());
            b = scan.realloc(b, 20_000);
            assertEquals(heap.usableSize(b) + heap.usableSize(c), scan.used());
            scan.free(b);
            scan.free(c);
            assertEquals(0, scan.used());
            assertTrue(scan.peak() >= 20_000);
            assertEquals(heap.usableSize(a), query.used());
            HeapStats stats = heap.stats();
            assertEquals(List.of("query", "query/scan"), stats.allocators().stream().map(HeapStats.AllocatorStats::path).toList());
            assertEquals(query.used(), stats.allocators().getFirst().usedBytes());
            assertTrue(stats.toString().contains("allocator query: used " + ByteSize.format(heap.usableSize(a)) + " in 1 objects"),
                    stats::toString);
            query.free(a);
            query.close();
            assertTrue(scan.isClosed());
            assertEquals(List.of(), heap.stats().allocators());
            heap.verify();
        }
    }

    @Test
    void aHardLimitRefusesAndChangesNothing() {
        try (SparseHeap heap = heap(0)) {
            HeapAllocator parent = heap.newAllocator("parent", 64 << 10);
            HeapAllocator child = parent.newAllocator("child");
            long kept = child.malloc(40 << 10);
            long objects = heap.stats().objects();
            OutOfMemoryError refused = assertThrows(OutOfMemoryError.class, () -> child.malloc(40 << 10));
            assertTrue(refused.getMessage().contains("allocator parent limit 65536 reached"), refused.getMessage());
            assertEquals(objects, heap.stats().objects());
            assertEquals(heap.usableSize(kept), parent.used());
            assertEquals(1, child.objects());
            child.free(kept);
            parent.close();
        }
    }

    @Test
    void aSoftLimitCallsItsReclaimerWhichMayFreeThenTheAllocationGoesAhead() {
        try (SparseHeap heap = heap(0)) {
            HeapAllocator cache = heap.newAllocator("cache", 100 << 10);
            List<Long> cached = new ArrayList<>();
            List<Long> asked = new ArrayList<>();
            cache.softLimit(40 << 10, wanted -> {
                asked.add(wanted);
                cache.free(cached.removeFirst());
            });
            for (int i = 0; i < 5; i++) {
                cached.add(cache.malloc(8 << 10));
            }
            assertEquals(List.of(), asked);
            cached.add(cache.malloc(8 << 10));
            assertEquals(List.of(8L << 10), asked);
            assertEquals(5, cache.objects());
            // 70 KiB (72 KiB usable) passes the soft limit, and after one reclaim still the hard
            // limit: the reclaimer runs once more and the charge is retried once.
            cached.add(cache.malloc(70 << 10));
            assertEquals(3, asked.size());
            assertEquals(4, cache.objects());
            for (long address : cached) {
                cache.free(address);
            }
            cache.close();
        }
    }

    @Test
    void aHeapSoftLimitReclaimsBeforeThePagesPassIt() {
        List<Long> held = new ArrayList<>();
        List<Long> asked = new ArrayList<>();
        SparseHeap[] self = new SparseHeap[1];
        try (SparseHeap heap = SparseHeap.builder().addressSpace(SimulatedAddressSpace.builder().addressBits(48).build())
                .backgroundScavenger(false).memoryLimit(1 << 20).softLimit(512 << 10, wanted -> {
                    asked.add(wanted);
                    self[0].free(held.removeFirst());
                }).build()) {
            self[0] = heap;
            for (int i = 0; i < 8; i++) {
                held.add(heap.malloc(64 << 10));
            }
            assertEquals(List.of(), asked);
            held.add(heap.malloc(64 << 10));
            assertEquals(1, asked.size());
            assertEquals(8, heap.stats().objects());
        }
    }

    @Test
    void aFreeThroughTheWrongAllocatorIsABadFreeAndChangesNothing() {
        try (SparseHeap heap = heap(0)) {
            HeapAllocator one = heap.newAllocator("one");
            HeapAllocator two = heap.newAllocator("two");
            long p = one.malloc(100);
            long plain = heap.malloc(100);
            IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> two.free(p));
            assertTrue(wrong.getMessage().contains("not a live object of allocator two (another allocator holds it)"),
                    wrong.getMessage());
            assertThrows(IllegalArgumentException.class, () -> heap.free(p));
            assertThrows(IllegalArgumentException.class, () -> heap.realloc(p, 10));
            assertThrows(IllegalArgumentException.class, () -> two.free(plain));
            assertThrows(IllegalArgumentException.class, () -> one.realloc(plain, 10));
            IllegalArgumentException interior = assertThrows(IllegalArgumentException.class, () -> one.free(p + 16));
            assertTrue(interior.getMessage().contains("interior free"), interior.getMessage());
            assertEquals(6, heap.stats().badFrees());
            assertEquals(1, one.objects());
            one.free(p);
            assertThrows(IllegalArgumentException.class, () -> one.free(p));
            assertEquals(7, heap.stats().badFrees());
            heap.free(plain);
            heap.verify();
        }
    }

    @Test
    void closingAChildWithObjectsLeftFreesThemAndNamesTheLeakingSite() {
        try (SparseHeap heap = heap(1)) {
            HeapAllocator query = heap.newAllocator("query");
            HeapAllocator scan = query.newAllocator("scan");
            for (int i = 0; i < 2; i++) {
                leakingSite(scan);
            }
            long freed = query.malloc(64);
            query.free(freed);
            HeapLeakException leak = assertThrows(HeapLeakException.class, query::close);
            assertEquals("query", leak.allocator());
            assertEquals(2, leak.objects());
            long usable = heap.usableSize(heap.malloc(300));
            assertEquals(2 * usable, leak.bytes());
            assertTrue(leak.getMessage().startsWith("query leaked 2 objects (" + ByteSize.format(2 * usable)
                    + "); allocation sites of the 2 sampled:"), leak.getMessage());
            assertTrue(leak.getMessage().contains("2 objects [query/scan]"), leak.getMessage());
            assertTrue(leak.getMessage().contains("at dev.sparseheap.HeapAllocatorTest.leakingSite("), leak.getMessage());
            assertEquals("leakingSite", leak.sites().getFirst().stack().getFirst().getMethodName());
            assertEquals(1, heap.stats().objects());
            assertTrue(query.isClosed() && scan.isClosed());
            assertThrows(IllegalStateException.class, () -> query.malloc(1));
        }
    }

    @Test
    void aLeakAtTheProfilingRateSaysHowToFindItsSite() {
        try (SparseHeap heap = heap(SparseHeap.PROFILING_SAMPLING_INTERVAL)) {
            HeapAllocator small = heap.newAllocator("small");
            leakingSite(small);
            HeapLeakException leak = assertThrows(HeapLeakException.class, small::close);
            assertTrue(leak.getMessage().contains("none of them was sampled"), leak.getMessage());
        }
    }

    @Test
    void closingTheHeapClosesLeakingChildrenWithoutThrowing() {
        SparseHeap heap = heap(1);
        HeapAllocator child = heap.newAllocator("child");
        leakingSite(child);
        heap.malloc(10);
        heap.close();
        assertTrue(child.isClosed());
        assertFalse(heap.allocators().contains(child));
    }

    private static long leakingSite(HeapAllocator allocator) {
        return allocator.malloc(300);
    }
}
