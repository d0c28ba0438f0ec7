/*
 * The arena layer of sparseheap, from seeds 004 (sparse heap) and 000 (contiguous arena fix).
 * The heap is a set of arena-size-aligned frames found through a two-level arena index; it
 * grows at hint addresses, around any foreign mapping, or — in the contiguous layout kept for
 * comparison — as one region with the old limits. Every call to the address space goes
 * through one ledger that checks answers and keeps the accounting exact.
 */

/**
 * Arenas: {@link dev.sparseheap.arena.ArenaSet} (index, hints, growth, accounting),
 * {@link dev.sparseheap.arena.HeapArena} (per-arena bounds and zeroed boundary, extended by the
 * layer above through an {@link dev.sparseheap.arena.ArenaFactory}),
 * the layouts of {@link dev.sparseheap.ArenaLayout}, and the value types
 * {@link dev.sparseheap.ArenaRange} and {@link dev.sparseheap.ArenaHint}.
 */
package dev.sparseheap.arena;

import dev.sparseheap.ArenaHint;
import dev.sparseheap.ArenaLayout;
import dev.sparseheap.ArenaRange;
