package dev.sparseheap.page;

import dev.sparseheap.ArenaLayout;
import dev.sparseheap.arena.ArenaSet;
import dev.sparseheap.os.SimulatedAddressSpace;
import dev.sparseheap.testing.Seeds;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Threads allocating and freeing at once while others look spans up without a lock: every
 * thread always finds its own live spans, lookups never see a half-published span, and the
 * heap's invariants hold at the end.
 */
class ConcurrentPageHeapTest {

    private static final long PAGE = PageHeap.PAGE_SIZE;

    @Test
    void allocatorsAndLockFreeReadersRunTogether() throws Exception {
        long seed = Seeds.of(20261130)[0];
        SimulatedAddressSpace space = SimulatedAddressSpace.builder().addressBits(48).physicalPageSize(4096).build();
        try (PageHeap heap = new PageHeap(ArenaSet.create(space, ArenaLayout.SPARSE, 4L << 20, PageArena.FACTORY), PageHeapConfig.defaults());
             ExecutorService pool = Executors.newFixedThreadPool(4)) {
            AtomicBoolean running = new AtomicBoolean(true);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                long threadSeed = seed + t;
                workers.add(pool.submit(() -> churn(heap, new Random(threadSeed), threadSeed)));
            }
            Future<?> reader = pool.submit(() -> {
                Random random = new Random(seed);
                long lookups = 0;
                while (running.get()) {
                    long base = heap.arenas().heapRanges().isEmpty() ? 0 : heap.arenas().heapRanges().getFirst().base();
                    Span span = heap.spanOf(base + (random.nextLong(64) << 13) + random.nextInt(8192));
                    assertTrue(span == null || span.pages() >= 1 && span.base() >= base, () -> "seed " + seed + ": " + span);
                    lookups++;
                }
                return lookups;
            });
            for (Future<?> worker : workers) {
                worker.get();
            }
            running.set(false);
            assertTrue((Long) reader.get() > 0);
            heap.verify();
            PageHeapStats stats = heap.stats();
            assertEquals(0, stats.spans(), "seed " + seed);
            assertEquals(stats.mappedBytes(), stats.freeBytes(), "seed " + seed);
        }
    }

    private static Void churn(PageHeap heap, Random random, long seed) {
        List<Span> mine = new ArrayList<>();
        for (int step = 0; step < 3000; step++) {
            if (mine.isEmpty() || random.nextInt(10) < 6) {
                mine.add(heap.allocate(1 + random.nextInt(random.nextInt(10) == 0 ? 200 : 6), PAGE, TestSpan::new));
            } else {
                heap.free(mine.remove(random.nextInt(mine.size())));
            }
            Span probe = mine.isEmpty() ? null : mine.get(random.nextInt(mine.size()));
            if (probe != null) {
                assertSame(probe, heap.spanOf(probe.end() - 1), "seed " + seed + " step " + step);
            }
        }
        mine.forEach(heap::free);
        return null;
    }
}
