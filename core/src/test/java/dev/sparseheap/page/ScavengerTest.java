package dev.sparseheap.page;

import dev.sparseheap.ArenaLayout;
import dev.sparseheap.arena.ArenaSet;
import dev.sparseheap.os.SimulatedAddressSpace;
import dev.sparseheap.testing.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scavenger, by hand and in the background. The background tests wait for the scavenger
 * without a deadline (its pace is a fraction of the time its batches take, which load stretches)
 * and keep the excess small, so that it takes few batches; their {@code @Timeout} only catches a hang.
 */
class ScavengerTest {

    private static final long PAGE = PageHeap.PAGE_SIZE;
    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;
    private static final long ARENA = 4 * MIB;

    private static PageHeapConfig manual() {
        return PageHeapConfig.defaults().withBackgroundScavenger(false);
    }

    private static SimulatedAddressSpace space(long physicalPage) {
        return SimulatedAddressSpace.builder().addressBits(48).physicalPageSize(physicalPage).build();
    }

    private static TestSpan allocate(PageHeap heap, long pages) {
        return heap.allocate(pages, PAGE, TestSpan::new);
    }

    @Test
    void releasingFreeMemoryGivesBackExactlyTheDirtyFreePagesAndTheyReadAsZeroWhenReused() {
        SimulatedAddressSpace space = space(4 * KIB);
        try (PageHeap heap = new PageHeap(ArenaSet.create(space, ArenaLayout.SPARSE, ARENA, PageArena.FACTORY), manual())) {
            TestSpan used = allocate(heap, 64);
            TestSpan kept = allocate(heap, 1);
            heap.free(used);
            assertEquals(64 * PAGE, heap.stats().dirtyFreeBytes());
            assertEquals(64 * PAGE, heap.releaseFreeMemory());
            PageHeapStats released = heap.stats();
            assertEquals(64 * PAGE, released.releasedBytes());
            assertEquals(0, released.dirtyFreeBytes());
            assertEquals(kept.bytes(), released.retainedBytes());
            assertEquals(64 * PAGE, space.releasedBytes());
            assertEquals(0, heap.releaseFreeMemory(), "nothing left to release");

            TestSpan reused = allocate(heap, 16);
            assertEquals(used.base(), reused.base());
            assertFalse(reused.needsZero(), "released pages read as zero");
            assertEquals(48 * PAGE, space.releasedBytes(), "the reused pages are mapped again");
            assertEquals(48 * PAGE, heap.stats().releasedBytes());
            heap.verify();
        }
    }

    @Test
    void withLargePhysicalPagesOnlyWholePhysicalPagesInsideFreeRunsAreReleased() {
        long physical = 64 * KIB;
        long pagesPerUnit = physical / PAGE;
        SimulatedAddressSpace space = space(physical);
        try (PageHeap heap = new PageHeap(ArenaSet.create(space, ArenaLayout.SPARSE, ARENA, PageArena.FACTORY), manual())) {
            List<TestSpan> singles = new ArrayList<>();
            for (int i = 0; i < 4 * pagesPerUnit; i++) {
                singles.add(allocate(heap, 1));
            }
            assertEquals(0, singles.getFirst().base() % physical, "the heap starts on a physical page");
            long freedPages = 0;
            for (int i = 0; i < singles.size(); i += 2) {
                heap.free(singles.get(i));
                freedPages++;
            }
            assertEquals(0, heap.releaseFreeMemory(), "every physical page still holds a live heap page");

            for (int i = 1; i < 3 * pagesPerUnit - 2; i += 2) {
                heap.free(singles.get(i));
                freedPages++;
            }
            long releasedBytes = heap.releaseFreeMemory();
            assertEquals(2 * physical, releasedBytes, "units 0 and 1 are wholly free; unit 2 is not");
            assertEquals(2 * physical, space.releasedBytes());
            assertEquals(freedPages * PAGE - 2 * physical, heap.stats().dirtyFreeBytes());

            TestSpan fromReleased = allocate(heap, pagesPerUnit + 1);
            assertEquals(singles.getFirst().base(), fromReleased.base());
            assertFalse(fromReleased.needsZero());
            assertEquals(0, space.releasedBytes(), "both units it touches are mapped again, whole");
            TestSpan rest = allocate(heap, pagesPerUnit - 1);
            assertFalse(rest.needsZero(), "the rest of a unit that was released is still zero");
            TestSpan dirty = allocate(heap, 2);
            assertTrue(dirty.needsZero());
            heap.verify();
        }
    }

    @Test
    void theSoftMemoryLimitReleasesFreePagesBeforeRetainedMemoryWouldPassIt() {
        long limit = 8 * MIB;
        SimulatedAddressSpace space = space(4 * KIB);
        try (PageHeap heap = new PageHeap(ArenaSet.create(space, ArenaLayout.SPARSE, ARENA, PageArena.FACTORY), manual().withMemoryLimit(limit))) {
            TestSpan big = allocate(heap, 6 * MIB / PAGE);
            heap.free(big);
            assertEquals(6 * MIB, heap.stats().retainedBytes());
            TestSpan next = allocate(heap, 4 * MIB / PAGE);
            PageHeapStats stats = heap.stats();
            assertTrue(stats.retainedBytes() <= limit, () -> "retained " + stats.retainedBytes());
            assertTrue(stats.releasedBytes() >= 2 * MIB, () -> "released " + stats.releasedBytes());
            assertEquals(big.base(), next.base());
            heap.verify();
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theBackgroundScavengerBringsRetainedMemoryDownToTheGoal() throws InterruptedException {
        SimulatedAddressSpace space = space(4 * KIB);
        double ratio = 1.5;
        long spanPages = 4;
        PageHeapConfig config = PageHeapConfig.defaults().withRetainRatio(ratio);
        try (PageHeap heap = new PageHeap(ArenaSet.create(space, ArenaLayout.SPARSE, ARENA, PageArena.FACTORY), config)) {
            List<TestSpan> spans = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                spans.add(allocate(heap, spanPages));
            }
            for (int i = 0; i < spans.size(); i++) {
                if (i % 8 != 0) {
                    heap.free(spans.get(i));
                }
            }
            long goal = (long) (5 * spanPages * PAGE * ratio);
            Eventually.await(() -> heap.stats().retainedBytes() <= goal);
            PageHeapStats stats = heap.stats();
            assertTrue(stats.retainedBytes() <= goal, "retained " + stats.retainedBytes() + " > goal " + goal);
            assertEquals(5 * spanPages * PAGE, stats.inUseBytes());
            assertTrue(stats.releasedBytes() > 0);
            heap.verify();
        }
    }

    @Test
    void closingStopsTheBackgroundScavenger() {
        SimulatedAddressSpace space = space(4 * KIB);
        Set<Thread> before = scavengerThreads();
        PageHeap heap = new PageHeap(ArenaSet.create(space, ArenaLayout.SPARSE, ARENA, PageArena.FACTORY), PageHeapConfig.defaults());
        Set<Thread> started = scavengerThreads();
        started.removeAll(before);
        assertEquals(1, started.size(), "the heap starts one scavenger thread");
        Thread scavenger = started.iterator().next();
        assertTrue(scavenger.isDaemon());
        heap.free(allocate(heap, 8));
        heap.close();
        assertFalse(scavenger.isAlive(), "close waits for the scavenger to stop");
    }

    private static Set<Thread> scavengerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("sparseheap-scavenger") && thread.isAlive())
                .collect(Collectors.toCollection(HashSet::new));
    }
}
