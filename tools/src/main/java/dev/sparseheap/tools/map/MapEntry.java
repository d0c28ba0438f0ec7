/*
 * One line of an address map: a range of the address space and what occupies it, or a point
 * (a hint, size 0). Entries are produced sorted by AddressMap and drawn by AddressMapText and
 * AddressMapSvg, so the text and the picture always agree.
 */
package dev.sparseheap.tools.map;

/**
 * A range {@code [base, base + size)} of an address map and what it holds.
 *
 * <p>Immutable; safe for use by any thread.
 *
 * @param base  first address
 * @param size  bytes, 0 for a hint (a point)
 * @param kind  what is there
 * @param label a short description ("3 arenas", "next hint, up", "/usr/lib/libc.so.6")
 */
public record MapEntry(long base, long size, Kind kind, String label) {

    /** What an entry of the map holds. */
    public enum Kind {
        /** Heap memory handed out by growth, in arenas. */
        HEAP,
        /** Address space the heap reserved and has not used yet (or stranded). */
        RESERVED,
        /** A mapping of somebody else: program image, brk, libraries, shadows, other heaps. */
        FOREIGN,
        /** A place the heap will try to grow at. */
        HINT,
        /** Nothing mapped. */
        GAP
    }

    /** Checks the range. */
    public MapEntry {
        if (base < 0 || size < 0 || base + size < base || (size == 0) != (kind == Kind.HINT)) {
            throw new IllegalArgumentException("bad map entry " + kind + " at 0x" + Long.toHexString(base)
                    + " of " + size + " bytes (only hints have size 0)");
        }
    }

    /** One past the last address. */
    public long end() {
        return base + size;
    }
}
