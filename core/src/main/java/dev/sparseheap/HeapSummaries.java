/*
 * The periodic dev.sparseheap.HeapSummary event of every open heap.
 *
 * JFR runs one hook per period while a recording has the event enabled, and never otherwise;
 * registering the hook once per JVM (when the first heap is built) rather than once per heap
 * keeps heap creation cheap. The hook commits one summary per open heap; a heap closing
 * concurrently is skipped.
 */
package dev.sparseheap;

import dev.sparseheap.jfr.HeapSummaryEvent;
import jdk.jfr.FlightRecorder;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The open heaps that report summaries. Thread-safe; static state only. */
final class HeapSummaries {

    private static final Set<SparseHeap> OPEN = ConcurrentHashMap.newKeySet();

    static {
        FlightRecorder.addPeriodicEvent(HeapSummaryEvent.class, HeapSummaries::commitAll);
    }

    private HeapSummaries() {
    }

    static void opened(SparseHeap heap) {
        OPEN.add(heap);
    }

    static void closed(SparseHeap heap) {
        OPEN.remove(heap);
    }

    private static void commitAll() {
        for (SparseHeap heap : OPEN) {
            heap.commitSummary();
        }
    }
}
