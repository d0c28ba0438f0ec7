package dev.sparseheap.arena;

import dev.sparseheap.ArenaLayout;
import dev.sparseheap.ArenaRange;
import dev.sparseheap.os.SimulatedAddressSpace;
import dev.sparseheap.page.PageArena;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Metadata accounting, one model for both layouts: every frame with metadata costs one fixed
 * arena footprint, plus the index's tables; the layouts differ only in which frames have it.
 */
class LayoutMetadataTest {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final long TIB = 1L << 40;
    private static final long ARENA = 64 * MIB;
    private static final long FIRST_HINT = 0x00c0L << 32;

    @Test
    void theSameHeapCostsTheSameMetadataUnderBothLayouts() {
        try (var sparse = ArenaSet.create(SimulatedAddressSpace.builder().build(), ArenaLayout.SPARSE, PageArena.FACTORY);
             var contiguous = ArenaSet.create(SimulatedAddressSpace.builder().build(), ArenaLayout.CONTIGUOUS, PageArena.FACTORY)) {
            assertEquals(new ArenaRange(FIRST_HINT, 4 * ARENA), sparse.grow(4 * ARENA));
            assertEquals(new ArenaRange(FIRST_HINT, 4 * ARENA), contiguous.grow(4 * ARENA));
            assertEquals(4, contiguous.arenaCount());
            assertEquals(sparse.metadataBytes(), contiguous.metadataBytes());
            assertTrue(sparse.metadataBytes() >= 4 * PageArena.FACTORY.footprint(ARENA), "" + sparse.metadataBytes());
        }
    }

    @Test
    void everySparseArenaAddsExactlyItsFootprint() {
        try (var set = ArenaSet.create(SimulatedAddressSpace.builder().build(), ArenaLayout.SPARSE, PageArena.FACTORY)) {
            set.grow(ARENA);
            long one = set.metadataBytes();
            set.grow(3 * ARENA);
            assertEquals(one + 3 * PageArena.FACTORY.footprint(ARENA), set.metadataBytes());
            long arenasAlone = set.arenas().size() * PageArena.FACTORY.footprint(ARENA);
            assertTrue(set.metadataBytes() > arenasAlone, "the index tables are counted on top of the arenas");
        }
    }

    @Test
    void twoSparseArenasOneTebibyteApartCostWhatTwoAdjacentOnesCost() {
        // 16 GiB arenas: one L2 block of the index then covers 2 TiB, so both placements need the
        // same index tables and the comparison is of the arenas' metadata alone.
        long arena = 16 * GIB;
        var apartSpace = SimulatedAddressSpace.builder().build();
        try (var adjacent = ArenaSet.create(SimulatedAddressSpace.builder().build(), ArenaLayout.SPARSE, arena, PageArena.FACTORY);
             var apart = ArenaSet.create(apartSpace, ArenaLayout.SPARSE, arena, PageArena.FACTORY)) {
            ArenaRange first = adjacent.grow(arena);
            assertEquals(first.end(), adjacent.grow(arena).base());

            ArenaRange low = apart.grow(arena);
            apartSpace.mapForeign(apart.nextHint().address(), 4096);
            ArenaRange high = apart.grow(arena);
            assertEquals(TIB, high.base() - low.base());

            assertEquals(2, apart.arenaCount());
            assertEquals(adjacent.metadataBytes(), apart.metadataBytes());
        }
    }

    @Test
    void theDistanceBetweenSparseArenasCostsNothingAtTheDefaultArenaSize() {
        long oneTiB = metadataOfTwoArenasApart(TIB);
        long sixtyFourTiB = metadataOfTwoArenasApart(64 * TIB);
        assertEquals(oneTiB, sixtyFourTiB);
    }

    /** A sparse heap with one arena at the first hint and one {@code distance} above it, at a later hint. */
    private static long metadataOfTwoArenasApart(long distance) {
        var space = SimulatedAddressSpace.builder().build();
        try (var set = ArenaSet.create(space, ArenaLayout.SPARSE, PageArena.FACTORY)) {
            ArenaRange low = set.grow(ARENA);
            space.mapForeign(low.end(), FIRST_HINT + distance - low.end());
            ArenaRange high = set.grow(ARENA);
            assertEquals(distance, high.base() - low.base());
            assertEquals(2, set.arenaCount());
            return set.metadataBytes();
        }
    }

    @Test
    void on32BitTheContiguousHeapPaysForEveryFrameBelowAHighFirstBlock() {
        var space = SimulatedAddressSpace.builder().addressBits(32).foreignMapping(0x2000_0000L, 0xa000_0000L).build();
        try (var set = ArenaSet.create(space, ArenaLayout.CONTIGUOUS, PageArena.FACTORY)) {
            ArenaRange first = set.grow(ArenaSet.DEFAULT_ARENA_BYTES_32);
            assertTrue(first.base() >= 0xc000_0000L, first.toString());
            long frames = Bytes.roundUp(first.end(), set.arenaBytes()) / set.arenaBytes();
            long footprints = frames * PageArena.FACTORY.footprint(set.arenaBytes());
            assertEquals(frames, set.arenaCount());
            assertTrue(set.metadataBytes() >= footprints && set.metadataBytes() - footprints < footprints / 100,
                    "metadata " + set.metadataBytes() + " for " + frames + " frames: their footprints and the index tables");
        }
    }

    @Test
    void on32BitTheSparseHeapPaysForItsArenasInTheMetadataRegionOnly() {
        var space = SimulatedAddressSpace.builder().addressBits(32).foreignMapping(0x2000_0000L, 0xa000_0000L).build();
        try (var set = ArenaSet.create(space, ArenaLayout.SPARSE, PageArena.FACTORY)) {
            set.grow(4 * ArenaSet.DEFAULT_ARENA_BYTES_32);
            long footprints = 4 * PageArena.FACTORY.footprint(set.arenaBytes());
            assertEquals(Bytes.roundUp(footprints, space.physicalPageSize()), set.metadataRegionBytes());
            assertTrue(set.metadataBytes() - set.metadataRegionBytes() < PageArena.FACTORY.footprint(set.arenaBytes()),
                    "only the index tables besides the region: " + set.metadataBytes());
            set.verify();
        }
    }
}
