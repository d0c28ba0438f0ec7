package dev.sparseheap;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many short-lived threads, platform and virtual: the number of thread caches never changes, and
 * once every object is freed and the caches are flushed no page stays in use.
 */
class ThreadChurnTest {

    private static final long[] SIZES = {8, 100, 1000, 20_000, 50_000};

    private static void allocateAndFree(SparseHeap heap) {
        long[] addresses = new long[SIZES.length];
        for (int i = 0; i < SIZES.length; i++) {
            addresses[i] = heap.malloc(SIZES[i]);
        }
        for (long address : addresses) {
            heap.free(address);
        }
    }

    @Test
    void tenThousandPlatformThreadsShareABoundedSetOfCachesAndStrandNothing() throws Exception {
        try (SparseHeap heap = TestHeaps.REAL.builder(ArenaLayout.SPARSE).build()) {
            int caches = heap.stats().threadCaches();
            for (int batch = 0; batch < 1000; batch++) {
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    threads.add(Thread.ofPlatform().start(() -> allocateAndFree(heap)));
                }
                for (Thread thread : threads) {
                    thread.join();
                }
            }
            assertNothingStranded(heap, caches, 10_000);
        }
    }

    @Test
    void aHundredThousandVirtualThreadsShareABoundedSetOfCachesAndStrandNothing() throws Exception {
        try (SparseHeap heap = TestHeaps.REAL.builder(ArenaLayout.SPARSE).build()) {
            int caches = heap.stats().threadCaches();
            List<Future<?>> done = new ArrayList<>();
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 100_000; i++) {
                    done.add(executor.submit(() -> allocateAndFree(heap)));
                }
            }
            for (Future<?> future : done) {
                future.get();
            }
            assertNothingStranded(heap, caches, 100_000);
        }
    }

    private static void assertNothingStranded(SparseHeap heap, int caches, int threads) {
        HeapStats stats = heap.stats();
        assertEquals(caches, stats.threadCaches());
        assertTrue(stats.threadCaches() <= Math.max(8, 4 * Runtime.getRuntime().availableProcessors()),
                stats.threadCaches() + " caches");
        assertEquals((long) threads * SIZES.length, stats.allocations());
        assertEquals(stats.allocations(), stats.frees());
        assertEquals(0, stats.objects());
        heap.releaseMemory();
        assertEquals(0, heap.stats().inUseBytes());
        heap.verify();
    }
}
