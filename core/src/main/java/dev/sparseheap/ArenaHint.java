/*
 * A snapshot of one arena growth hint: an address at which the heap will next try to add
 * arenas, and the direction it grows from there. A hint growing up asks for [address,
 * address + n); a hint growing down asks for [address - n, address). The live hints are mutable
 * and private to the growth algorithm; this record is what tests and drawings see.
 */
package dev.sparseheap;

/**
 * Where the heap will next try to grow, and in which direction.
 *
 * <p>Immutable; safe for use by any thread.
 *
 * @param address the boundary the heap grows from
 * @param down    true when the heap grows downwards from {@code address}
 */
public record ArenaHint(long address, boolean down) {

    @Override
    public String toString() {
        return (down ? "down from 0x" : "up from 0x") + Long.toHexString(address);
    }
}
