/*
 * One rejected free, committed on the thread that made it (or, for a duplicate of two racing
 * frees found afterwards, on the thread that found it), so the stack trace shows the culprit.
 */
package dev.sparseheap.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.MemoryAddress;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * {@code dev.sparseheap.BadFree}: a free the heap rejected.
 *
 * <p>Thread safety: an event instance belongs to the thread that commits it.
 */
@Name("dev.sparseheap.BadFree")
@Label("Native Heap Bad Free")
@Category({"sparseheap", "Errors"})
@Description("A free of an address that is not a live object's start")
@StackTrace(true)
public final class BadFreeEvent extends Event {

    /** The address freed. */
    @Label("Address")
    @MemoryAddress
    public long address;

    /** What was wrong: double, foreign, interior or wrong allocator. */
    @Label("Kind")
    public String kind;

    /** The heap's name, or the path of the child allocator the free went through. */
    @Label("Allocator")
    public String allocator;

    /** The message of the exception the free raised. */
    @Label("Message")
    public String message;
}
