/*
 * One mapping of an address space as AddressSpace.mappings() lists it: a range, its state and
 * its owner. A value, detached from the space: it describes the moment it was listed.
 */
package dev.sparseheap.os;

import java.util.Objects;

/**
 * The range {@code [base, base + size)} of an address space, its state and who holds it.
 *
 * <p>Immutable; safe for use by any thread.
 *
 * @param base  first address
 * @param size  bytes, positive
 * @param state the range's state; foreign mappings are {@link RangeState#READY}
 * @param owner who holds the range
 */
public record Mapping(long base, long size, RangeState state, RangeOwner owner) {

    /**
     * Checks the mapping.
     *
     * @throws IllegalArgumentException when {@code base} is negative, {@code size} is not
     *                                  positive or the range wraps around
     * @throws NullPointerException     when {@code state} or {@code owner} is null
     */
    public Mapping {
        if (base < 0 || size <= 0 || base + size < base) {
            throw new IllegalArgumentException("bad mapping: base 0x" + Long.toHexString(base) + ", size " + size);
        }
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(owner, "owner");
    }

    /**
     * One past the last byte.
     *
     * @return {@code base + size}
     */
    public long end() {
        return base + size;
    }
}
