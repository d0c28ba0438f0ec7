/*
 * How a heap lays its arenas out in the address space.
 *
 * SPARSE is the design of seed 004: arenas anywhere, found through the arena index, grown at
 * hint addresses that move past any foreign mapping. CONTIGUOUS is the state just before it
 * (seed 000): one region that starts at a fixed place and may only grow at its end, kept so
 * that its limits can be shown next to the sparse layout.
 */
package dev.sparseheap;

/**
 * How a heap places its arenas in the address space; chosen with
 * {@link SparseHeap.Builder#layout(ArenaLayout)}, {@link #SPARSE} by default.
 *
 * <p>Immutable; safe for use by any thread.
 */
public enum ArenaLayout {
    /** Size-aligned arenas anywhere in the address space, grown at hints (seed 004). */
    SPARSE,
    /** One region with a 512 GiB ceiling on 64-bit, grown at its end (seed 000). */
    CONTIGUOUS
}
