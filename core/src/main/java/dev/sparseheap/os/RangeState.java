/*
 * The states a range held by an address space can be in, shared by the real and the simulated
 * address space so that both describe their mappings alike (see AddressSpace for the
 * transitions between them). "None" is not a state: a range in no state is simply not listed.
 */
package dev.sparseheap.os;

/**
 * The state of a range an {@link AddressSpace} holds.
 *
 * <p>Immutable; safe for use by any thread.
 */
public enum RangeState {
    /** Held but inaccessible: reserved, or faulted back to reserved. */
    RESERVED,
    /** Readable and writable. */
    READY,
    /** Accessible, but its physical pages were handed back: it reads as zero when touched. */
    RELEASED
}
