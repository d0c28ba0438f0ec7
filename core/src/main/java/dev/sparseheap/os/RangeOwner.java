/*
 * Who holds a range of an address space: the heap that reserved it through the AddressSpace, or
 * anybody else in the process. Shared by the real and the simulated address space.
 */
package dev.sparseheap.os;

/**
 * Who holds a range of an address space.
 *
 * <p>Immutable; safe for use by any thread.
 */
public enum RangeOwner {
    /** Reserved through the {@link AddressSpace} itself. */
    HEAP,
    /** Anything else in the process: the program image, brk, libraries, shadows, other heaps. */
    FOREIGN
}
