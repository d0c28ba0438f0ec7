/*
 * A half-open range of addresses [base, base + size). Used for what ArenaSet.grow hands to the
 * page layer and for the heap's mapped ranges. Sizes are positive and the end never overflows,
 * so every range can be compared and drawn without special cases.
 */
package dev.sparseheap;

/**
 * The addresses {@code [base, base + size)}.
 *
 * <p>Immutable; safe for use by any thread.
 *
 * @param base first address
 * @param size number of bytes, positive
 */
public record ArenaRange(long base, long size) {

    /**
     * Checks that the range is non-empty and does not wrap around.
     *
     * @throws IllegalArgumentException when {@code base} is negative, {@code size} is not
     *                                  positive or the range wraps around
     */
    public ArenaRange {
        if (base < 0 || size <= 0 || base + size < base) {
            throw new IllegalArgumentException(
                    "bad range: base 0x" + Long.toHexString(base) + ", size " + size);
        }
    }

    /**
     * One past the last address.
     *
     * @return {@code base + size}
     */
    public long end() {
        return base + size;
    }

    /**
     * Whether {@code addr} lies in the range.
     *
     * @param addr an address
     * @return whether {@code base <= addr < end()}
     */
    public boolean contains(long addr) {
        return addr >= base && addr - base < size;
    }

    @Override
    public String toString() {
        return "[0x" + Long.toHexString(base) + ", 0x" + Long.toHexString(end()) + ")";
    }
}
