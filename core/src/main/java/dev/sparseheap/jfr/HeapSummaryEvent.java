/*
 * The periodic summary of one heap. JFR calls the API layer's periodic hook once per period
 * while a recording runs (never otherwise); the hook commits one event per open heap.
 */
package dev.sparseheap.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * {@code dev.sparseheap.HeapSummary}: a heap's memory figures, every second by default while
 * recording.
 *
 * <p>Thread safety: an event instance belongs to the thread that commits it.
 */
@Name("dev.sparseheap.HeapSummary")
@Label("Native Heap Summary")
@Category({"sparseheap", "Heap"})
@Description("Memory figures of a sparseheap heap")
@Period("1 s")
@StackTrace(false)
public final class HeapSummaryEvent extends Event {

    /** The heap's name ("" when unnamed). */
    @Label("Heap")
    public String heap;

    /** Address space held by the heap. */
    @Label("Reserved")
    @DataAmount(DataAmount.BYTES)
    public long reservedBytes;

    /** Heap pages ready for access. */
    @Label("Mapped")
    @DataAmount(DataAmount.BYTES)
    public long mappedBytes;

    /** Pages in live spans. */
    @Label("In Use")
    @DataAmount(DataAmount.BYTES)
    public long inUseBytes;

    /** Usable bytes of live objects. */
    @Label("Live")
    @DataAmount(DataAmount.BYTES)
    public long liveBytes;

    /** Free pages given back to the OS. */
    @Label("Released")
    @DataAmount(DataAmount.BYTES)
    public long releasedBytes;

    /** Live objects. */
    @Label("Objects")
    public long objects;

    /** Used bytes of every open child allocator, as {@code path=bytes} separated by commas. */
    @Label("Allocators")
    public String allocators;
}
