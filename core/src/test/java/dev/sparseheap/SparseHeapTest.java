package dev.sparseheap;

import dev.sparseheap.os.SimulatedAddressSpace;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public API contract of DESIGN.md, case by case. */
class SparseHeapTest {

    @Test
    void zeroByteObjectsHaveUniqueAddressesThatMustBeFreed() {
        try (SparseHeap heap = TestHeaps.REAL.builder(ArenaLayout.SPARSE).build()) {
            Set<Long> addresses = new HashSet<>();
            for (int i = 0; i < 1000; i++) {
                long address = heap.malloc(0);
                assertNotEquals(0, address);
                assertTrue(addresses.add(address));
            }
            assertEquals(1000, heap.stats().objects());
            addresses.forEach(heap::free);
            assertEquals(0, heap.stats().objects());
        }
    }

    @Test
    void reallocToZeroReturnsAMinimalObjectAndFreeOfZeroDoesNothing() {
        try (SparseHeap heap = TestHeaps.REAL.builder(ArenaLayout.SPARSE).build()) {
            long p = heap.malloc(5000);
            long q = heap.realloc(p, 0);
            assertNotEquals(0, q);
            assertEquals(8, heap.usableSize(q));
            assertEquals(1, heap.stats().objects());
            heap.free(0);
            heap.free(q);
            assertEquals(0, heap.stats().objects());
            long fresh = heap.realloc(0, 100);
            assertEquals(112, heap.usableSize(fresh));
            heap.free(fresh);
        }
    }

    @Test
    void reallocStaysInPlaceWhileTheClassOrThePagesStillFit() {
        try (SparseHeap heap = TestHeaps.REAL.builder(ArenaLayout.SPARSE).build()) {
            long small = heap.malloc(100);
            assertEquals(small, heap.realloc(small, 112));
            assertEquals(small, heap.realloc(small, 99));
            long moved = heap.realloc(small, 113);
            assertNotEquals(small, moved);
            assertEquals(0, heap.objectBase(small));
            long large = heap.malloc(1 << 20);
            TestHeaps.MEMORY.set(ValueLayout.JAVA_LONG, large + (1 << 19), 77);
            assertEquals(large, heap.realloc(large, (1 << 20) - 5000));
            long shrunk = heap.realloc(large, 600_000);
            assertNotEquals(large, shrunk);
            assertEquals(77, TestHeaps.MEMORY.get(ValueLayout.JAVA_LONG, shrunk + (1 << 19)));
            long grown = heap.realloc(shrunk, 1 << 21);
            assertEquals(77, TestHeaps.MEMORY.get(ValueLayout.JAVA_LONG, grown + (1 << 19)));
            heap.free(moved);
            heap.free(grown);
            heap.verify();
            assertEquals(0, heap.stats().objects());
        }
    }

    @Test
    void usableSizeAndObjectBaseDescribeLiveObjects() {
        try (SparseHeap heap = TestHeaps.REAL.builder(ArenaLayout.SPARSE).build()) {
            long small = heap.malloc(100);
            long large = heap.malloc(40_000);
            assertEquals(112, heap.usableSize(small));
            assertEquals(40_960, heap.usableSize(large));
            assertEquals(small, heap.objectBase(small + 111));
            assertEquals(large, heap.objectBase(large + 40_959));
            heap.free(small);
            assertEquals(0, heap.objectBase(small + 5));
            heap.free(large);
            assertEquals(0, heap.objectBase(large));
        }
    }

    @Test
    void alignedAllocationsUseClassesUpToTheirNaturalAlignmentThenPages() {
        try (SparseHeap heap = TestHeaps.REAL.builder(ArenaLayout.SPARSE).build()) {
            long inClass = heap.mallocAligned(100, 64);
            assertEquals(0, inClass % 64);
            assertEquals(128, heap.usableSize(inClass));
            long page = heap.mallocAligned(4096, 4096);
            assertEquals(0, page % 4096);
            assertEquals(4096, heap.usableSize(page));
            long huge = heap.mallocAligned(100, 1 << 21);
            assertEquals(0, huge % (1 << 21));
            assertEquals(8192, heap.usableSize(huge));
            long beyondArena = heap.mallocAligned(100, 1L << 27);
            assertEquals(0, beyondArena % (1L << 27));
            HeapStats stats = heap.stats();
            assertTrue(stats.reservedBytes() < 1L << 30, "reserved " + stats.reservedBytes());
            for (long address : new long[] {inClass, page, huge, beyondArena}) {
                heap.free(address);
            }
            heap.verify();
        }
    }

    @Test
    void callocZeroesOnlyWhatMayHoldOldBytes() {
        try (SparseHeap heap = TestHeaps.REAL.builder(ArenaLayout.SPARSE).build()) {
            long p = heap.malloc(200);
            TestHeaps.MEMORY.asSlice(p, 200).fill((byte) 1);
            heap.free(p);
            long q = heap.calloc(200);
            for (int i = 0; i < 200; i++) {
                assertEquals(0, TestHeaps.MEMORY.get(ValueLayout.JAVA_BYTE, q + i));
            }
            long big = heap.malloc(1 << 20);
            TestHeaps.MEMORY.asSlice(big, 1 << 20).fill((byte) 1);
            heap.free(big);
            long zeroedBig = heap.calloc(1 << 20);
            assertEquals(-1, TestHeaps.MEMORY.asSlice(zeroedBig, 1 << 20)
                    .mismatch(MemorySegment.ofArray(new byte[1 << 20])));
            heap.free(q);
            heap.free(zeroedBig);
        }
    }

    @Test
    void statsAddUp() {
        try (SparseHeap heap = TestHeaps.REAL.builder(ArenaLayout.SPARSE).build()) {
            long a = heap.malloc(100);
            long b = heap.malloc(100);
            long c = heap.malloc(1 << 20);
            heap.free(b);
            HeapStats stats = heap.stats();
            assertEquals(2, stats.objects());
            assertEquals(112 + (1 << 20), stats.liveBytes());
            assertEquals(3, stats.allocations());
            assertEquals(1, stats.frees());
            assertEquals(1, stats.largeObjects());
            assertEquals(1 << 20, stats.largeBytes());
            assertEquals(stats.mappedBytes(), stats.inUseBytes() + stats.freeBytes());
            assertTrue(stats.reservedBytes() >= stats.mappedBytes());
            assertTrue(stats.metadataBytes() > 0);
            HeapStats.SizeClassStats ofHundred = stats.sizeClasses().stream()
                    .filter(cls -> cls.objectSize() == 112).findFirst().orElseThrow();
            assertEquals(1, ofHundred.objects());
            assertEquals(2, ofHundred.allocations());
            assertEquals(1, ofHundred.frees());
            assertEquals(1, ofHundred.spans());
            heap.free(a);
            heap.free(c);
        }
    }

    @Test
    void everyRejectedFreeIsCounted() {
        try (SparseHeap heap = TestHeaps.REAL.builder(ArenaLayout.SPARSE).build()) {
            long small = heap.malloc(100);
            long large = heap.malloc(1 << 20);
            heap.free(small);
            heap.free(large);
            assertEquals(0, heap.stats().badFrees());
            assertThrows(IllegalArgumentException.class, () -> heap.free(small));
            assertThrows(IllegalArgumentException.class, () -> heap.free(large));
            long live = heap.malloc(100);
            assertThrows(IllegalArgumentException.class, () -> heap.free(live + 16));
            assertThrows(IllegalArgumentException.class, () -> heap.free(0x1000));
            assertEquals(4, heap.stats().badFrees());
            heap.free(live);
            assertEquals(4, heap.stats().badFrees());
        }
    }

    @Test
    void layoutShowsArenasHintsRangesAndForeignMappingsOfASimulatedSpace() {
        SimulatedAddressSpace space = SimulatedAddressSpace.builder().addressBits(48).build();
        try (SparseHeap heap = SparseHeap.builder().addressSpace(space).build()) {
            long p = heap.malloc(1 << 20);
            HeapLayout layout = heap.layout();
            assertEquals(48, layout.addressBits());
            assertEquals(64L << 20, layout.arenaBytes());
            assertFalse(layout.arenas().isEmpty());
            assertTrue(layout.arenas().stream().anyMatch(arena -> arena.base() <= p && p < arena.end()));
            assertTrue(layout.heapRanges().stream().anyMatch(range -> range.base() <= p && p < range.end()));
            assertFalse(layout.hints().isEmpty());
            assertFalse(layout.foreignMappings().isEmpty(), "the program image is a foreign mapping");
            assertTrue(layout.freeRuns().stream().noneMatch(run -> run.base() <= p && p < run.end()));
            heap.free(p);
        }
    }

    @Test
    void aHeapOverASimulatedSpaceRunsWithoutMemory() {
        SimulatedAddressSpace space = SimulatedAddressSpace.builder().addressBits(32).physicalPageSize(4096).build();
        try (SparseHeap heap = SparseHeap.builder().addressSpace(space).layout(ArenaLayout.CONTIGUOUS).build()) {
            long a = heap.calloc(1 << 20);
            long b = heap.realloc(a, 3 << 20);
            long c = heap.calloc(50);
            heap.free(b);
            heap.free(c);
            heap.verify();
            assertEquals(0, heap.stats().objects());
            assertTrue(heap.releaseMemory() >= 0);
        }
    }
}
