/*
 * SparseHeap.Builder.recordTrace as the replay sees it: what a heap records is a valid
 * sparseheap-trace 1 file, with the ids the format asks for, in an order that agrees with what
 * happened to each address even when many threads allocate and free each other's objects.
 */
package dev.sparseheap.bench.trace;

import dev.sparseheap.SparseHeap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Traces recorded by a heap, read back by the replay's parser. */
class RecordedTraceTest {

    @TempDir
    Path directory;

    @Test
    void everyKindOfCallIsRecordedWithIdsInAllocationOrder() throws Exception {
        Path file = directory.resolve("calls.trace");
        long[] aligned = new long[1];
        try (SparseHeap heap = SparseHeap.builder().recordTrace(file).build()) {
            long p = heap.malloc(100);
            long q = heap.calloc(50);
            long r = heap.mallocAligned(64, 4096);
            aligned[0] = r;
            p = heap.realloc(p, 100_000);
            q = heap.realloc(q, 40);
            heap.free(p);
            heap.free(q);
            heap.free(r);
            assertThrows(IllegalArgumentException.class, () -> heap.free(r));
            try (Arena arena = heap.newArena()) {
                arena.allocate(24, 8);
            }
            heap.free(heap.realloc(0, 7));
        }
        assertEquals(List.of(
                "# sparseheap-trace 1",
                "a 1 100",
                "z 2 50",
                "m 3 64 4096",
                "r 1 100000",
                "r 2 40",
                "f 1",
                "f 2",
                "f 3",
                "# free of 0x" + Long.toHexString(aligned[0]) + ": no live object there",
                "m 4 24 8",
                "f 4",
                "a 5 7",
                "f 5"), Files.readAllLines(file));
        Trace trace = TraceParser.parse(file);
        assertEquals(12, trace.events());
        assertEquals(5, trace.maxId());
    }

    @Test
    void threadsFreeingEachOthersObjectsRecordAValidGzipTrace() throws Exception {
        Path file = directory.resolve("threads.trace.gz");
        long seed = System.nanoTime();
        int threads = 4;
        int operations = 20_000;
        AtomicLong allocations = new AtomicLong();
        AtomicLong resizes = new AtomicLong();
        AtomicLong frees = new AtomicLong();
        ConcurrentLinkedQueue<Long> handedOver = new ConcurrentLinkedQueue<>();
        try (SparseHeap heap = SparseHeap.builder().recordTrace(file).build()) {
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Random random = new Random(seed + t);
                workers.add(Thread.ofPlatform().start(() -> {
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < operations; i++) {
                        int choice = random.nextInt(10);
                        if (choice < 4 || mine.isEmpty()) {
                            mine.add(heap.malloc(1 + random.nextInt(i % 100 == 0 ? 200_000 : 500)));
                            allocations.incrementAndGet();
                        } else if (choice < 5) {
                            int index = random.nextInt(mine.size());
                            mine.set(index, heap.realloc(mine.get(index), random.nextInt(2000)));
                            resizes.incrementAndGet();
                        } else if (choice < 7) {
                            handedOver.add(mine.remove(mine.size() - 1));
                        } else {
                            Long theirs = handedOver.poll();
                            heap.free(theirs != null ? theirs : mine.remove(mine.size() - 1));
                            frees.incrementAndGet();
                        }
                    }
                    mine.forEach(address -> {
                        heap.free(address);
                        frees.incrementAndGet();
                    });
                }));
            }
            for (Thread worker : workers) {
                worker.join();
            }
            for (Long address = handedOver.poll(); address != null; address = handedOver.poll()) {
                heap.free(address);
                frees.incrementAndGet();
            }
        }
        Trace trace = TraceParser.parse(file);
        long[] counts = new long[128];
        for (byte kind : trace.kinds()) {
            counts[kind]++;
        }
        String failure = "seed " + seed;
        assertEquals(allocations.get(), counts['a'], failure);
        assertEquals(resizes.get(), counts['r'], failure);
        assertEquals(frees.get(), counts['f'], failure);
        assertEquals(allocations.get(), trace.maxId(), failure);
        assertEquals(0, counts['z'] + counts['m'], failure);
    }

    @Test
    void aTraceFileThatCannotBeOpenedIsAClearErrorAtBuild() {
        Path missing = directory.resolve("no-such-directory").resolve("heap.trace");
        UncheckedIOException error = assertThrows(UncheckedIOException.class,
                () -> SparseHeap.builder().recordTrace(missing).build());
        assertTrue(error.getMessage().contains(missing.toString()), error.getMessage());
        assertFalse(Files.exists(missing));
    }
}
