package dev.sparseheap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Threads allocate objects, stamp each with an owner tag at both ends, and hand them to other
 * threads, which check the tag before freeing. Two live objects that overlapped would clobber a
 * tag; a lost object would leave the counters unbalanced.
 */
class SparseHeapConcurrencyTest {

    private static final int OBJECTS_PER_THREAD = 20_000;

    /** Mostly small objects, one in ten large. */
    private static final SizeMix MIXED = random -> random.nextInt(10) == 0
            ? 16 + random.nextInt(200_000) : 16 + random.nextInt(512);

    /** Classes of one to four objects per span, so that spans change state all the time. */
    private static final SizeMix FEW_PER_SPAN = random -> 9 * 1024 + random.nextInt(23 * 1024);

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 4, 8})
    void objectsHandedBetweenThreadsKeepTheirTagsAndAllComeBack(int threads) throws Exception {
        for (boolean caches : new boolean[] {true, false}) {
            try (SparseHeap heap = TestHeaps.REAL.builder(ArenaLayout.SPARSE).threadCaches(caches).build()) {
                run(heap, threads, 42L * threads + (caches ? 1 : 0), MIXED);
            }
        }
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 4})
    void spansWithFewObjectsSurviveRacingStateChanges(int threads) throws Exception {
        try (SparseHeap heap = TestHeaps.REAL.builder(ArenaLayout.SPARSE).build()) {
            run(heap, threads, 7L * threads, FEW_PER_SPAN);
        }
    }

    /** How a thread picks the size of its next object. */
    private interface SizeMix {
        long next(Random random);
    }

    private static void run(SparseHeap heap, int threads, long seed, SizeMix sizes) throws Exception {
        List<ConcurrentLinkedQueue<long[]>> inboxes = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            inboxes.add(new ConcurrentLinkedQueue<>());
        }
        CyclicBarrier start = new CyclicBarrier(threads);
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int self = t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    Random random = new Random(seed * 1000 + self);
                    for (int i = 0; i < OBJECTS_PER_THREAD; i++) {
                        long size = sizes.next(random);
                        long address = random.nextBoolean() ? heap.malloc(size) : heap.calloc(size);
                        long tag = (long) self << 32 | i;
                        stamp(address, size, tag);
                        inboxes.get(random.nextInt(threads)).add(new long[] {address, size, tag});
                        drain(heap, inboxes.get(self), random.nextInt(3));
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        for (ConcurrentLinkedQueue<long[]> inbox : inboxes) {
            drain(heap, inbox, Integer.MAX_VALUE);
        }
        assertEquals(List.of(), List.copyOf(errors), "seed " + seed);
        HeapStats stats = heap.stats();
        assertEquals((long) threads * OBJECTS_PER_THREAD, stats.allocations(), "seed " + seed);
        assertEquals(stats.allocations(), stats.frees(), "seed " + seed);
        assertEquals(0, stats.objects(), "seed " + seed);
        heap.verify();
        heap.releaseMemory();
        assertEquals(0, heap.stats().inUseBytes(), "seed " + seed);
    }

    private static void stamp(long address, long size, long tag) {
        TestHeaps.MEMORY.set(ValueLayout.JAVA_LONG_UNALIGNED, address, tag);
        TestHeaps.MEMORY.set(ValueLayout.JAVA_LONG_UNALIGNED, address + size - 8, tag);
    }

    private static void drain(SparseHeap heap, ConcurrentLinkedQueue<long[]> inbox, int count) {
        for (int i = 0; i < count; i++) {
            long[] object = inbox.poll();
            if (object == null) {
                return;
            }
            long address = object[0];
            long tag = object[2];
            assertEquals(tag, TestHeaps.MEMORY.get(ValueLayout.JAVA_LONG_UNALIGNED, address), "head tag");
            assertEquals(tag, TestHeaps.MEMORY.get(ValueLayout.JAVA_LONG_UNALIGNED, address + object[1] - 8),
                    "tail tag");
            heap.free(address);
        }
    }
}
