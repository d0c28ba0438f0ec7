/*
 * A snapshot of where a heap lies in its address space: what a drawing of the address space
 * needs, and what tests of the arena growth rules assert on.
 */
package dev.sparseheap;

import java.util.List;

/**
 * Immutable snapshot of a heap's place in its address space. All lists are sorted by address.
 *
 * @param addressSpace    a short name of the address space ("linux", "simulated linux 32-bit 4 KiB", …)
 * @param addressBits     significant address bits of the space
 * @param arenaBytes      size (and alignment) of every arena
 * @param arenas          the heap's arenas
 * @param hints           the addresses where the heap will try to grow next, in the order tried
 * @param heapRanges      maximal runs of contiguous arenas
 * @param freeRuns        runs of free heap pages
 * @param foreignMappings mappings of others in the space (only known for a simulated space;
 *                        empty on the real OS)
 */
public record HeapLayout(String addressSpace, int addressBits, long arenaBytes, List<Range> arenas,
                         List<Hint> hints, List<Range> heapRanges, List<Range> freeRuns,
                         List<Range> foreignMappings) {

    /** Copies the lists. */
    public HeapLayout {
        arenas = List.copyOf(arenas);
        hints = List.copyOf(hints);
        heapRanges = List.copyOf(heapRanges);
        freeRuns = List.copyOf(freeRuns);
        foreignMappings = List.copyOf(foreignMappings);
    }

    /**
     * The range {@code [base, base + size)}.
     *
     * @param base first address
     * @param size bytes
     */
    public record Range(long base, long size) {

        /** One past the last address. */
        public long end() {
            return base + size;
        }
    }

    /**
     * An address where the heap tries to grow.
     *
     * @param address the next arena is tried at this address (growing up) or just below it (down)
     * @param down    whether the hint grows towards lower addresses
     */
    public record Hint(long address, boolean down) {
    }
}
