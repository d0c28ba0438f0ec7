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
 */
package dev.sparseheap.arena;

import java.util.List;

/** Checks of an ArenaSet's structure. Stateless; the caller holds the set's lock. */
final class ArenaInvariants {

    private ArenaInvariants() {
    }

    /** @throws IllegalStateException naming the first invariant found broken */
    static void check(ArenaLayout layout, long arenaBytes, ArenaIndex index, RangeSet heapRanges,
                      ReservationLedger ledger, long metadataRegionBytes) {
        List<HeapArena> arenas = index.sorted();
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
    }

    private static void checkArenas(List<HeapArena> arenas, long arenaBytes, ArenaIndex index) {
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

    private static void checkCovered(ArenaRange range, long arenaBytes, ArenaIndex index) {
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
}
