/*
 * The periodic dev.sparseheap.HeapSummary event of every open heap.
 *
 * JFR runs one hook per period while a recording has the event enabled, and never otherwise.
 * The hook is registered once per JVM, and only once Flight Recorder is initialized (at once if it
 * is when the first heap is built, else by a listener when it starts): registering it earlier would
 * initialize Flight Recorder in every program that builds a heap, about a tenth of a second. The hook commits one summary per open heap; a heap closing
 * concurrently is skipped.
 */
package dev.sparseheap;

import dev.sparseheap.jfr.HeapSummaryEvent;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The open heaps that report summaries. Thread-safe; static state only. */
final class HeapSummaries {

    private static final Set<SparseHeap> OPEN = ConcurrentHashMap.newKeySet();

    static {
        if (FlightRecorder.isInitialized()) {
            registerHook();
        } else {
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recorderInitialized(FlightRecorder recorder) {
                    registerHook();
                }
            });
        }
    }

    private HeapSummaries() {
    }

    static void opened(SparseHeap heap) {
        OPEN.add(heap);
    }

    static void closed(SparseHeap heap) {
        OPEN.remove(heap);
    }

    private static void registerHook() {
        FlightRecorder.addPeriodicEvent(HeapSummaryEvent.class, HeapSummaries::commitAll);
    }

    private static void commitAll() {
        for (SparseHeap heap : OPEN) {
            heap.commitSummary();
        }
    }
}
