/*
 * The demo's phase on observability: "who holds the memory?". A workload allocates from two
 * visibly different sites (many small records, fewer page-sized cache buffers) on a heap that
 * samples at the profiling rate, and the heap profile shows both with their estimated bytes next
 * to the true ones. Then a child allocator on a heap that samples every allocation leaks three
 * buffers on purpose, and its close() prints the leak report with the leaking site. The sites
 * are methods of this class, so the stacks printed point here.
 */
package dev.sparseheap.cli;

import dev.sparseheap.HeapAllocator;
import dev.sparseheap.HeapLeakException;
import dev.sparseheap.SparseHeap;
import dev.sparseheap.ByteSize;

import java.io.PrintWriter;
import java.util.Locale;

/** Prints the profile and leak-report phase of {@code ./sparseheap demo}. Not thread-safe. */
final class DemoProfilePhase {

    private static final int CACHE_BUFFERS = 16_384;
    private static final long CACHE_BUFFER_BYTES = 4096;
    private static final int RECORDS = 500_000;
    private static final long RECORD_BYTES = 48;
    private static final int SESSION_BUFFERS = 10;
    private static final long SESSION_BUFFER_BYTES = 1500;

    private final PrintWriter out;

    DemoProfilePhase(PrintWriter out) {
        this.out = out;
    }

    void run() {
        out.printf(Locale.ROOT, "Where the memory goes: allocation sites sampled at the profiling rate (one sample per %s allocated)%n",
                ByteSize.format(SparseHeap.PROFILING_SAMPLING_INTERVAL));
        try (SparseHeap heap = SparseHeap.builder().name("demo").sampling(SparseHeap.PROFILING_SAMPLING_INTERVAL).build()) {
            long[] buffers = new long[CACHE_BUFFERS];
            long[] records = new long[RECORDS];
            for (int i = 0; i < Math.max(CACHE_BUFFERS, RECORDS); i++) {
                if (i < CACHE_BUFFERS) {
                    buffers[i] = cacheBuffer(heap);
                }
                if (i < RECORDS) {
                    records[i] = record(heap);
                }
            }
            out.printf(Locale.ROOT, "  true live bytes: %s in %,d cache buffers (cacheBuffer), %s in %,d records (record)%n",
                    ByteSize.format(CACHE_BUFFERS * CACHE_BUFFER_BYTES), CACHE_BUFFERS,
                    ByteSize.format(RECORDS * RECORD_BYTES), RECORDS);
            out.print(indented(heap.profile().toString()));
            for (long buffer : buffers) {
                heap.free(buffer);
            }
            for (long record : records) {
                heap.free(record);
            }
        }
        out.println();
        out.println("A child allocator leaking on purpose, on a heap that samples every allocation (sampling(1)):");
        try (SparseHeap heap = SparseHeap.builder().name("demo-leak").sampling(1).build()) {
            HeapAllocator session = heap.newAllocator("session", 1 << 20);
            for (int i = 0; i < SESSION_BUFFERS; i++) {
                long buffer = sessionBuffer(session);
                if (i % 4 != 0) {
                    session.free(buffer);
                }
            }
            try {
                session.close();
                out.println("  no leak");
            } catch (HeapLeakException leak) {
                out.print(indented("HeapLeakException: " + leak.getMessage() + System.lineSeparator()));
            }
        }
        out.println();
        out.flush();
    }

    private static long cacheBuffer(SparseHeap heap) {
        return heap.malloc(CACHE_BUFFER_BYTES);
    }

    private static long record(SparseHeap heap) {
        return heap.malloc(RECORD_BYTES);
    }

    private static long sessionBuffer(HeapAllocator session) {
        return session.malloc(SESSION_BUFFER_BYTES);
    }

    private static String indented(String text) {
        return text.indent(2);
    }
}
