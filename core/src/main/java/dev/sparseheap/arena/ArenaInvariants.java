/*
 * The invariants of an ArenaSet, checked from its parts: what verify() runs and what the
 * scenarios and randomized tests rely on after every step.
 *
 *   1. Every arena is aligned to and sized by the arena size, and the index finds it from its
 *      first and last address; no two arenas share a frame.
 *   2. Every arena frame overlapped by a mapped heap range has an arena.
 *   3. Sparse: every arena overlaps a mapped heap range (metadata only for arenas in use).
 *      Contiguous: the arenas form one run of consecutive frames (metadata for the whole
 *      range from the region's start to its highest used address).
 *   4. Every heap range lies inside the heap's reservations, and the ledger has mapped at least
 *      the heap ranges plus the metadata region (exactly that, but for the contiguous layout's
 *      32-bit fallback, which maps one heap page more than it hands out).
 *   5. The metadata region's mapped part (32-bit sparse) is the footprints of the arenas placed
 *      in it rounded up to the physical page: the figure counted for them is their footprint.
 *   6. Against the address space, where the set is its one user: no heap range overlaps a
 *      foreign mapping (the heap never clobbers anyone), every heap range is held by the heap
 *      and accessible, and the space counts exactly the bytes the set reserved and mapped. The
 *      space's mapping list and the heap ranges are both sorted, so one merge walk checks them.
 */
package dev.sparseheap.arena;

import dev.sparseheap.ArenaLayout;
import dev.sparseheap.ArenaRange;
import dev.sparseheap.os.AddressSpace;
import dev.sparseheap.os.Mapping;
import dev.sparseheap.os.RangeOwner;
import dev.sparseheap.os.RangeState;

import java.util.List;

/** Checks of an ArenaSet's structure. Stateless; the caller holds the set's lock. */
final class ArenaInvariants {

    private ArenaInvariants() {
    }

    /** @throws IllegalStateException naming the first invariant found broken */
    static void check(ArenaLayout layout, long arenaBytes, ArenaIndex<?> index, RangeSet heapRanges,
                      ReservationLedger ledger, long metadataRegionBytes, long arenasInMetadataRegion) {
        List<? extends HeapArena> arenas = index.sorted();
        checkArenas(arenas, arenaBytes, index);
        List<ArenaRange> ranges = heapRanges.ranges();
        for (ArenaRange range : ranges) {
            checkCovered(range, arenaBytes, index);
            checkReserved(range, ledger.reservations());
        }
        switch (layout) {
            case SPARSE -> {
                for (HeapArena arena : arenas) {
                    if (!heapRanges.overlaps(arena.base(), arena.size())) {
                        throw broken("arena " + arena + " has metadata but no mapped heap range");
                    }
                }
            }
            case CONTIGUOUS -> {
                for (int i = 1; i < arenas.size(); i++) {
                    if (arenas.get(i).base() != arenas.get(i - 1).end()) {
                        throw broken("contiguous metadata has a hole between " + arenas.get(i - 1) + " and " + arenas.get(i));
                    }
                }
            }
        }
        if (ledger.mappedBytes() < heapRanges.totalBytes() + metadataRegionBytes) {
            throw broken("ledger mapped " + ledger.mappedBytes() + " bytes, heap ranges " + heapRanges.totalBytes()
                    + " plus metadata region " + metadataRegionBytes);
        }
        long footprints = arenasInMetadataRegion * index.arenaFootprint();
        if (metadataRegionBytes != Bytes.roundUp(footprints, ledger.physicalPage())) {
            throw broken("metadata region has " + metadataRegionBytes + " bytes mapped for " + arenasInMetadataRegion
                    + " arenas of " + index.arenaFootprint() + " bytes of metadata each");
        }
    }

    private static void checkArenas(List<? extends HeapArena> arenas, long arenaBytes, ArenaIndex<?> index) {
        long previousEnd = Long.MIN_VALUE;
        for (HeapArena arena : arenas) {
            if (arena.size() != arenaBytes || (arena.base() & (arenaBytes - 1)) != 0) {
                throw broken("arena " + arena + " is not an aligned " + arenaBytes + "-byte frame");
            }
            if (arena.base() < previousEnd) {
                throw broken("arena " + arena + " overlaps the arena before it");
            }
            if (index.lookup(arena.base()) != arena || index.lookup(arena.end() - 1) != arena) {
                throw broken("index does not find " + arena + " from its own addresses");
            }
            previousEnd = arena.end();
        }
    }

    private static void checkCovered(ArenaRange range, long arenaBytes, ArenaIndex<?> index) {
        for (long frame = Bytes.roundDown(range.base(), arenaBytes); frame < range.end(); frame += arenaBytes) {
            if (index.lookup(frame) == null) {
                throw broken("heap range " + range + " has no arena for frame 0x" + Long.toHexString(frame));
            }
        }
    }

    private static void checkReserved(ArenaRange range, List<ArenaRange> reservations) {
        long covered = range.base();
        for (ArenaRange reservation : reservations) {
            if (reservation.base() <= covered && covered < reservation.end()) {
                covered = reservation.end();
                if (covered >= range.end()) {
                    return;
                }
            }
        }
        throw broken("heap range " + range + " is not inside the heap's reservations (uncovered from 0x"
                + Long.toHexString(covered) + ")");
    }

    private static IllegalStateException broken(String what) {
        return new IllegalStateException("arena invariant broken: " + what);
    }

    /** Invariant 6. @throws IllegalStateException naming the first broken part */
    static void checkAgainstSpace(List<ArenaRange> heapRanges, AddressSpace space, long reservedBytes,
                                  long mappedBytes) {
        List<Mapping> mappings = space.mappings();
        int first = 0;
        for (ArenaRange range : heapRanges) {
            while (first < mappings.size() && mappings.get(first).end() <= range.base()) {
                first++;
            }
            long covered = range.base();
            for (int i = first; i < mappings.size() && mappings.get(i).base() < range.end(); i++) {
                Mapping mapping = mappings.get(i);
                if (mapping.owner() == RangeOwner.FOREIGN) {
                    throw new IllegalStateException("heap range " + range + " overlaps foreign mapping " + mapping);
                }
                if (mapping.state() == RangeState.RESERVED || mapping.base() > covered) {
                    throw new IllegalStateException("heap range " + range + " is not mapped at 0x"
                            + Long.toHexString(Math.max(covered, mapping.base())));
                }
                covered = Math.max(covered, mapping.end());
            }
            if (covered < range.end()) {
                throw new IllegalStateException("heap range " + range + " is not held by the heap from 0x"
                        + Long.toHexString(covered));
            }
        }
        if (reservedBytes != space.reservedBytes()) {
            throw new IllegalStateException("heap counts " + reservedBytes + " reserved bytes, the space "
                    + space.reservedBytes());
        }
        if (mappedBytes != space.mappedBytes()) {
            throw new IllegalStateException("heap counts " + mappedBytes + " mapped bytes, the space "
                    + space.mappedBytes());
        }
    }
}
