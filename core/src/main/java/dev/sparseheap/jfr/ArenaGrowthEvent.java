/*
 * One growth of a heap's arenas: the range added and how its place was found, which is what
 * the seeds' growth algorithm is about (a hint that held keeps the heap contiguous; a fallback
 * reservation means a foreign mapping or the address space's end was in the way).
 */
package dev.sparseheap.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.MemoryAddress;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * {@code dev.sparseheap.ArenaGrowth}: the heap's arenas grew.
 *
 * <p>Thread safety: an event instance belongs to the thread that commits it.
 */
@Name("dev.sparseheap.ArenaGrowth")
@Label("Native Heap Arena Growth")
@Category({"sparseheap", "Heap"})
@Description("The heap mapped more address space for its arenas")
@StackTrace(false)
public final class ArenaGrowthEvent extends Event {

    /** Start of the range added. */
    @Label("Address")
    @MemoryAddress
    public long address;

    /** Bytes added. */
    @Label("Size")
    @DataAmount(DataAmount.BYTES)
    public long size;

    /** The arena layout: SPARSE or CONTIGUOUS. */
    @Label("Layout")
    public String layout;

    /** Whether the range was placed at one of the heap's hints. */
    @Label("Hint Held")
    public boolean hintHeld;

    /** Whether no hint held and a new reservation anywhere was needed. */
    @Label("Fallback Reservation")
    public boolean fallback;
}
