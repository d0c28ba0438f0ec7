/*
 * A snapshot of where a heap lies in its address space: what a drawing of the address space
 * needs, and what tests of the arena growth rules assert on. One set of value types describes
 * it (ArenaRange, ArenaHint, ArenaLayout), the same the arena layer works with, so a snapshot
 * is a copy of the layer's own lists and nothing is translated.
 */
package dev.sparseheap;

import java.util.List;
import java.util.Objects;

/**
 * Immutable snapshot of a heap's place in its address space, as {@link SparseHeap#layout()}
 * returns it. All lists are sorted by address, except {@code hints}, which is in the order the
 * heap tries them.
 *
 * <p>Immutable; safe for use by any thread. It describes the moment it was taken: the heap may
 * have grown since, and on the real OS the foreign mappings may have changed.
 *
 * @param addressSpace    a short name of the address space ("linux amd64 48-bit 4 KiB",
 *                        "simulated linux 32-bit 4 KiB", …)
 * @param addressBits     significant address bits of the space
 * @param layout          how the heap places its arenas
 * @param arenaBytes      size (and alignment) of every arena
 * @param arenas          the heap's arenas, one range each
 * @param hints           the addresses where the heap will try to grow next, in the order tried
 * @param heapRanges      maximal runs of address space the heap has mapped for use
 * @param reservations    every reservation the heap holds in the space, exactly as made (they
 *                        contain the heap ranges and the space not used yet)
 * @param freeRuns        runs of free heap pages
 * @param foreignMappings mappings of others in the space, as the address space lists them
 *                        ({@link dev.sparseheap.os.AddressSpace#mappings()}): exact for a
 *                        simulated space; on the real OS the process's other mappings
 * @param reservedBytes   address space the heap holds
 * @param mappedBytes     bytes the heap has made ready for use
 * @param metadataBytes   bytes of arena metadata: the arena index and the per-arena page maps
 *                        ({@link HeapStats#metadataBytes()} adds the object layer's)
 */
public record HeapLayout(String addressSpace, int addressBits, ArenaLayout layout, long arenaBytes,
                         List<ArenaRange> arenas, List<ArenaHint> hints, List<ArenaRange> heapRanges,
                         List<ArenaRange> reservations, List<ArenaRange> freeRuns,
                         List<ArenaRange> foreignMappings, long reservedBytes, long mappedBytes,
                         long metadataBytes) {

    /**
     * Copies the lists.
     *
     * @throws NullPointerException when a name, the layout, a list or an element is null
     */
    public HeapLayout {
        Objects.requireNonNull(addressSpace, "addressSpace");
        Objects.requireNonNull(layout, "layout");
        arenas = List.copyOf(arenas);
        hints = List.copyOf(hints);
        heapRanges = List.copyOf(heapRanges);
        reservations = List.copyOf(reservations);
        freeRuns = List.copyOf(freeRuns);
        foreignMappings = List.copyOf(foreignMappings);
    }
}
