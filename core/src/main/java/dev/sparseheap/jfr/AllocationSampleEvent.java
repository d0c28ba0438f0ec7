/*
 * One sampled allocation, committed where the sample is recorded, so that its stack trace is
 * the allocating thread's (the top frames are the heap's own sampling code).
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
 * {@code dev.sparseheap.AllocationSample}: an allocation the heap's sampler picked.
 *
 * <p>Thread safety: an event instance belongs to the thread that commits it.
 */
@Name("dev.sparseheap.AllocationSample")
@Label("Native Allocation Sample")
@Category({"sparseheap", "Allocation"})
@Description("An allocation picked by the heap's allocation-site sampler, with its stack trace")
@StackTrace(true)
public final class AllocationSampleEvent extends Event {

    /** Bytes asked for. */
    @Label("Size")
    @DataAmount(DataAmount.BYTES)
    public long size;

    /** Address of the object. */
    @Label("Address")
    @MemoryAddress
    public long address;

    /** The heap's name, or the path of the child allocator that allocated. */
    @Label("Allocator")
    public String allocator;

    /** Bytes this sample stands for: the unbiased estimate of the allocation volume it represents. */
    @Label("Weight")
    @DataAmount(DataAmount.BYTES)
    public long weight;
}
