/*
 * The growth algorithm behind an ArenaSet: how the heap finds address space for more arenas.
 * Two implementations, one per layout, share the ledger (reservations and mappings), the arena
 * index and the set of heap ranges they are given; each owns its own growth state
 * (hints and pre-reservations, or the contiguous region's bounds).
 */
package dev.sparseheap.arena;

import dev.sparseheap.ArenaHint;
import dev.sparseheap.ArenaRange;

import java.util.List;

/** A layout's way of growing the heap. Not thread-safe: the owning ArenaSet serialises every call. */
sealed interface ArenaGrowth permits SparseGrowth, ContiguousGrowth {

    /** Grows the heap by at least {@code bytes} (positive); null when the address space cannot supply it. */
    ArenaRange grow(long bytes);

    /** The hints in the order they will be tried. */
    List<ArenaHint> hints();

    /** Drops all hints but the first {@code n} (non-negative). */
    void keepHints(int n);

    /** Bytes of pre-reserved metadata space made ready so far (0 where there is none). */
    long metadataRegionBytes();

    /** Arenas whose metadata was carved from the pre-reserved metadata space (0 where there is none). */
    long arenasInMetadataRegion();
}
