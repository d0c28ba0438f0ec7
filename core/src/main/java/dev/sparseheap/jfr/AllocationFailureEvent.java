/*
 * One allocation that ended in OutOfMemoryError: a hard limit of the heap or of a child
 * allocator, the address space, or the OS (its errno is in the reason).
 */
package dev.sparseheap.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * {@code dev.sparseheap.AllocationFailure}: an allocation failed.
 *
 * <p>Thread safety: an event instance belongs to the thread that commits it.
 */
@Name("dev.sparseheap.AllocationFailure")
@Label("Native Allocation Failure")
@Category({"sparseheap", "Errors"})
@Description("An allocation the heap could not satisfy")
@StackTrace(true)
public final class AllocationFailureEvent extends Event {

    /** Bytes asked for. */
    @Label("Size")
    @DataAmount(DataAmount.BYTES)
    public long size;

    /** The heap's name, or the path of the child allocator asked. */
    @Label("Allocator")
    public String allocator;

    /** Why: the limit reached, or the OS refusal with its errno. */
    @Label("Reason")
    public String reason;

    /** Commits the failure when a recording wants it. */
    public static void record(long size, String allocator, String reason) {
        AllocationFailureEvent event = new AllocationFailureEvent();
        if (event.shouldCommit()) {
            event.size = size;
            event.allocator = allocator;
            event.reason = reason;
            event.commit();
        }
    }
}
