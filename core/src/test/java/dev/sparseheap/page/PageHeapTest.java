package dev.sparseheap.page;

import dev.sparseheap.ArenaLayout;
import dev.sparseheap.ArenaRange;
import dev.sparseheap.arena.ArenaSet;
import dev.sparseheap.os.SimulatedAddressSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PageHeapTest {

    static final long PAGE = PageHeap.PAGE_SIZE;
    static final long KIB = 1024;
    static final long MIB = 1024 * KIB;
    static final long GIB = 1024 * MIB;
    static final long TIB = 1024 * GIB;
    static final long SMALL_ARENA = 4 * MIB;

    static PageHeap simulatedHeap(ArenaLayout layout, long arenaBytes, long physicalPage, PageHeapConfig config) {
        SimulatedAddressSpace space = SimulatedAddressSpace.builder().addressBits(48).physicalPageSize(physicalPage).build();
        return new PageHeap(ArenaSet.create(space, layout, arenaBytes, PageArena.FACTORY), config);
    }

    static PageHeap simulatedHeap(ArenaLayout layout) {
        return simulatedHeap(layout, SMALL_ARENA, 4 * KIB, PageHeapConfig.defaults().withBackgroundScavenger(false));
    }

    static TestSpan allocate(PageHeap heap, long pages) {
        return heap.allocate(pages, PAGE, TestSpan::new);
    }

    @Test
    void aReleaseTheOsRefusesLeavesThePagesDirtyAndTheHeapWorking() {
        SimulatedAddressSpace space = SimulatedAddressSpace.builder().addressBits(48).build();
        try (PageHeap heap = new PageHeap(ArenaSet.create(space, ArenaLayout.SPARSE, SMALL_ARENA, PageArena.FACTORY),
                PageHeapConfig.defaults().withBackgroundScavenger(false))) {
            TestSpan span = allocate(heap, 16);
            heap.free(span);
            space.failNext(SimulatedAddressSpace.Operation.RELEASE, 1);
            assertEquals(0, heap.releaseFreeMemory(), "nothing was released");
            assertEquals(0, heap.stats().releasedBytes());
            heap.verify();
            assertTrue(allocate(heap, 16).needsZero(), "the pages stayed dirty");
            assertTrue(heap.releaseFreeMemory() >= 0);
            heap.verify();
        }
    }

    @ParameterizedTest
    @EnumSource(ArenaLayout.class)
    void aFreshSpanIsLiveNeedsNoZeroingAndIsFoundFromAnyOfItsBytes(ArenaLayout layout) {
        try (PageHeap heap = simulatedHeap(layout)) {
            TestSpan span = allocate(heap, 3);
            assertTrue(span.isLive());
            assertFalse(span.needsZero(), "pages fresh from the OS read as zero");
            assertEquals(3 * PAGE, span.bytes());
            assertEquals(0, span.base() % PAGE);
            for (long address : new long[] {span.base(), span.base() + PAGE + 17, span.end() - 1}) {
                assertSame(span, heap.spanOf(address));
            }
            assertNull(heap.spanOf(span.end()), "the page after the span is free");
            assertNull(heap.spanOf(span.base() - 1));
            assertNull(heap.spanOf(0));
            assertNull(heap.spanOf(-PAGE));
            heap.verify();
        }
    }

    @Test
    void allocationIsAddressOrderedFirstFit() {
        try (PageHeap heap = simulatedHeap(ArenaLayout.SPARSE)) {
            TestSpan a = allocate(heap, 2);
            TestSpan b = allocate(heap, 4);
            TestSpan c = allocate(heap, 1);
            assertEquals(a.end(), b.base());
            assertEquals(b.end(), c.base());
            heap.free(b);
            TestSpan small = allocate(heap, 1);
            assertEquals(b.base(), small.base(), "the lowest hole that fits is taken");
            TestSpan tooBig = allocate(heap, 5);
            assertTrue(tooBig.base() >= c.end(), "a request larger than the hole goes above it");
            heap.verify();
        }
    }

    @Test
    void freeingCoalescesWithBothNeighbours() {
        try (PageHeap heap = simulatedHeap(ArenaLayout.SPARSE)) {
            TestSpan a = allocate(heap, 2);
            TestSpan b = allocate(heap, 3);
            TestSpan c = allocate(heap, 4);
            TestSpan guard = allocate(heap, 1);
            heap.free(a);
            heap.free(c);
            assertEquals(3, heap.stats().freeRuns(), "a, c, and the rest of the arena above guard");
            heap.free(b);
            List<ArenaRange> runs = heap.freeRuns();
            assertEquals(2, runs.size());
            assertEquals(new ArenaRange(a.base(), 9 * PAGE), runs.getFirst());
            assertNull(heap.spanOf(b.base()));
            assertFalse(b.isLive());
            heap.free(guard);
            assertEquals(1, heap.freeRuns().size());
            heap.verify();
        }
    }

    @Test
    void reusedPagesNeedZeroingAndFreshOnesDoNot() {
        try (PageHeap heap = simulatedHeap(ArenaLayout.SPARSE)) {
            TestSpan first = allocate(heap, 4);
            heap.free(first);
            TestSpan reused = allocate(heap, 2);
            assertEquals(first.base(), reused.base());
            assertTrue(reused.needsZero());
            TestSpan straddling = allocate(heap, 4);
            assertTrue(straddling.needsZero(), "half of it was used before");
            TestSpan fresh = allocate(heap, 4);
            assertFalse(fresh.needsZero());
            heap.verify();
        }
    }

    @ParameterizedTest(name = "alignment {0}")
    @ValueSource(longs = {1, 16, 4096, 8192, 64 * 1024, 1 << 20, 64L << 20})
    void spansHonourTheirAlignment(long alignment) {
        try (PageHeap heap = simulatedHeap(ArenaLayout.SPARSE, 64 * MIB, 4 * KIB,
                PageHeapConfig.defaults().withBackgroundScavenger(false))) {
            TestSpan misalign = allocate(heap, 1);
            for (long pages : new long[] {1, 3, 8, 200}) {
                TestSpan span = heap.allocate(pages, alignment, TestSpan::new);
                assertEquals(0, span.base() % Math.max(alignment, PAGE), () -> span + " for alignment " + alignment);
                assertEquals(pages, span.pages());
                assertSame(span, heap.spanOf(span.end() - 1));
            }
            heap.verify();
            assertTrue(misalign.isLive());
        }
    }

    @Test
    void alignedRequestsReuseTheAlignedPartOfALowerHole() {
        try (PageHeap heap = simulatedHeap(ArenaLayout.SPARSE, 64 * MIB, 4 * KIB,
                PageHeapConfig.defaults().withBackgroundScavenger(false))) {
            TestSpan head = allocate(heap, 1);
            TestSpan hole = allocate(heap, 300);
            allocate(heap, 1);
            heap.free(hole);
            TestSpan aligned = heap.allocate(64, 512 * KIB, TestSpan::new);
            assertEquals(0, aligned.base() % (512 * KIB));
            assertTrue(aligned.base() > head.base() && aligned.end() <= hole.end(), "placed inside the hole");
            heap.verify();
        }
    }

    @ParameterizedTest
    @EnumSource(ArenaLayout.class)
    void aSpanLargerThanAnArenaCrossesArenaBoundaries(ArenaLayout layout) {
        try (PageHeap heap = simulatedHeap(layout)) {
            long arenaPages = SMALL_ARENA / PAGE;
            TestSpan small = allocate(heap, 5);
            TestSpan big = allocate(heap, 3 * arenaPages + 7);
            assertTrue(heap.arenas().arenaCount() >= 4);
            for (long address = big.base(); address < big.end(); address += SMALL_ARENA / 3) {
                assertSame(big, heap.spanOf(address));
            }
            assertSame(big, heap.spanOf(big.end() - 1));
            heap.verify();
            heap.free(big);
            heap.free(small);
            heap.verify();
            PageHeapStats stats = heap.stats();
            assertEquals(0, stats.inUseBytes());
            assertEquals(stats.mappedBytes(), stats.freeBytes());
        }
    }

    @Test
    void aTerabyteSimulatedHeapOfMixedSpans() {
        try (PageHeap heap = simulatedHeap(ArenaLayout.SPARSE, 64 * MIB, 4 * KIB,
                PageHeapConfig.defaults().withBackgroundScavenger(false))) {
            TestSpan huge = allocate(heap, 512 * GIB / PAGE);
            TestSpan[] large = new TestSpan[200];
            for (int i = 0; i < large.length; i++) {
                large[i] = heap.allocate((1 + i % 7) * GIB / PAGE, 64 * MIB, TestSpan::new);
            }
            TestSpan[] small = new TestSpan[1000];
            for (int i = 0; i < small.length; i++) {
                small[i] = allocate(heap, 1 + i % 13);
            }
            PageHeapStats stats = heap.stats();
            assertTrue(stats.mappedBytes() >= TIB, () -> "mapped " + stats.mappedBytes());
            assertEquals(stats.mappedBytes(), stats.inUseBytes() + stats.freeBytes());
            assertSame(huge, heap.spanOf(huge.base() + 300 * GIB + 5));
            for (int i = 0; i < large.length; i += 2) {
                heap.free(large[i]);
            }
            heap.free(huge);
            TestSpan refill = allocate(heap, 100 * GIB / PAGE);
            assertEquals(huge.base(), refill.base(), "first fit reuses the lowest hole");
            assertTrue(refill.needsZero());
            heap.verify();
        }
    }

    @Test
    void theMemoryLimitBoundsLiveSpansAndTheHeapStaysUsable() {
        long limit = 10 * MIB;
        try (PageHeap heap = simulatedHeap(ArenaLayout.SPARSE, SMALL_ARENA, 4 * KIB,
                PageHeapConfig.defaults().withBackgroundScavenger(false).withMemoryLimit(limit))) {
            TestSpan a = allocate(heap, 6 * MIB / PAGE);
            PageHeapStats before = heap.stats();
            OutOfMemoryError error = assertThrows(OutOfMemoryError.class, () -> allocate(heap, 5 * MIB / PAGE));
            assertEquals("cannot allocate %d bytes: memory limit %d reached (in use %d)".formatted(5 * MIB, limit, 6 * MIB),
                    error.getMessage());
            assertEquals(before, heap.stats(), "a refused allocation changes nothing");
            TestSpan b = allocate(heap, 4 * MIB / PAGE);
            assertEquals(limit, heap.stats().inUseBytes());
            heap.free(a);
            TestSpan c = allocate(heap, 5 * MIB / PAGE);
            assertTrue(c.isLive() && b.isLive());
            heap.verify();
        }
    }

    @Test
    void exhaustingTheAddressSpaceIsAnOutOfMemoryErrorNamingTheSize() {
        SimulatedAddressSpace space = SimulatedAddressSpace.builder().addressBits(32).physicalPageSize(4 * KIB).build();
        try (PageHeap heap = new PageHeap(ArenaSet.create(space, ArenaLayout.SPARSE, SMALL_ARENA, PageArena.FACTORY),
                PageHeapConfig.defaults().withBackgroundScavenger(false))) {
            TestSpan kept = allocate(heap, 1);
            long pages = 8 * GIB / PAGE / 2;
            OutOfMemoryError error = assertThrows(OutOfMemoryError.class, () -> allocate(heap, pages));
            assertTrue(error.getMessage().startsWith("cannot allocate " + pages * PAGE + " bytes: "), error.getMessage());
            assertSame(kept, heap.spanOf(kept.base()));
            assertTrue(allocate(heap, 2).isLive(), "the heap stays usable");
            heap.verify();
        }
    }

    @Test
    void badRequestsAreRefusedBeforeAnyEffect() {
        try (PageHeap heap = simulatedHeap(ArenaLayout.SPARSE)) {
            TestSpan span = allocate(heap, 2);
            PageHeapStats before = heap.stats();
            assertThrows(IllegalArgumentException.class, () -> allocate(heap, 0));
            assertThrows(IllegalArgumentException.class, () -> allocate(heap, -1));
            assertThrows(IllegalArgumentException.class, () -> allocate(heap, Long.MAX_VALUE));
            assertThrows(IllegalArgumentException.class, () -> heap.allocate(1, 3 * PAGE, TestSpan::new));
            assertThrows(IllegalArgumentException.class, () -> heap.allocate(1, 0, TestSpan::new));
            assertThrows(IllegalArgumentException.class, () -> heap.allocate(1, 1L << 62, TestSpan::new));
            assertThrows(IllegalStateException.class,
                    () -> heap.allocate(2, PAGE, (base, pages, zero) -> new TestSpan(base, 1, zero)));
            heap.free(span);
            assertThrows(IllegalArgumentException.class, () -> heap.free(span), "double free");
            assertThrows(IllegalArgumentException.class, () -> heap.free(new TestSpan(span.base(), 2, false)),
                    "a span this heap did not hand out");
            assertEquals(before.mappedBytes(), heap.stats().mappedBytes());
            assertEquals(0, heap.stats().spans());
            heap.verify();
        }
    }

    @Test
    void aClosedHeapRefusesUseAndClosesOnlyOnce() {
        PageHeap heap = simulatedHeap(ArenaLayout.SPARSE);
        TestSpan span = allocate(heap, 1);
        heap.close();
        heap.close();
        assertThrows(IllegalStateException.class, () -> allocate(heap, 1));
        assertThrows(IllegalStateException.class, () -> heap.free(span));
        assertThrows(IllegalStateException.class, () -> heap.spanOf(span.base()));
        assertThrows(IllegalStateException.class, heap::stats);
        assertThrows(IllegalStateException.class, heap::releaseFreeMemory);
    }
}
