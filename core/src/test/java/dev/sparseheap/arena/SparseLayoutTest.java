package dev.sparseheap.arena;

import dev.sparseheap.ArenaHint;
import dev.sparseheap.ArenaLayout;
import dev.sparseheap.ArenaRange;
import dev.sparseheap.os.SimulatedAddressSpace;
import dev.sparseheap.os.SimulatedAddressSpace.Semantics;
import dev.sparseheap.page.PageArena;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sparse layout of seed 004: hints, aligned fallback, 32-bit pre-reservations. */
class SparseLayoutTest {

    private static final long MIB = 1L << 20;
    private static final long ARENA = 64 * MIB;
    private static final long FIRST_HINT = 0x00c0L << 32;

    @Test
    void theFirstArenaLandsAtTheFirstHintAndTheHeapGrowsUpFromIt() {
        var space = SimulatedAddressSpace.builder().build();
        try (var set = ArenaSet.create(space, ArenaLayout.SPARSE, PageArena.FACTORY)) {
            assertEquals(new ArenaHint(FIRST_HINT, false), set.nextHint());
            assertEquals(0x80, set.hints().size());
            assertEquals(new ArenaRange(FIRST_HINT, ARENA), set.grow(1));
            assertEquals(new ArenaRange(FIRST_HINT + ARENA, 2 * ARENA), set.grow(ARENA + 1));
            assertEquals(List.of(new ArenaRange(FIRST_HINT, 3 * ARENA)), set.heapRanges());
            assertEquals(new ArenaHint(FIRST_HINT + 3 * ARENA, false), set.nextHint());
            assertEquals(3, set.arenaCount());
            assertEquals(3 * ARENA, set.mappedBytes());
            assertEquals(3 * ARENA, set.reservedBytes());
            assertEquals(space.reservedBytes(), set.reservedBytes());
            assertEquals(space.mappedBytes(), set.mappedBytes());
            set.verify();
        }
        assertEquals(0, space.reservedBytes());
    }

    @Test
    void aForeignMappingAtTheHintMovesTheHeapToTheNextHintWithoutTouchingIt() {
        var space = SimulatedAddressSpace.builder().build();
        try (var set = ArenaSet.create(space, ArenaLayout.SPARSE, PageArena.FACTORY)) {
            set.grow(ARENA);
            long taken = set.nextHint().address();
            space.mapForeign(taken, 4096);
            ArenaRange next = set.grow(ARENA);
            assertEquals(0x01c0L << 32, next.base());
            assertFalse(next.contains(taken));
            assertNull(set.arenaOf(taken));
            set.verify();
        }
    }

    @Test
    void whenEveryHintFailsTheHeapTakesAnAlignedBlockAnywhereAndHintsBothWaysFromIt() {
        var space = SimulatedAddressSpace.builder().build();
        try (var set = ArenaSet.create(space, ArenaLayout.SPARSE, PageArena.FACTORY)) {
            set.keepHints(1);
            space.mapForeign(FIRST_HINT, 4096);
            ArenaRange block = set.grow(ARENA);
            assertEquals(0, block.base() % ARENA);
            assertTrue(block.size() == ARENA || block.size() == 2 * ARENA, block.toString());
            assertEquals(List.of(new ArenaHint(block.end(), false), new ArenaHint(block.base(), true)), set.hints());
            set.keepHints(0);
            assertNull(set.nextHint());
            set.verify();
        }
    }

    @Test
    void aDownHintGrowsTheHeapBelowItsBlock() {
        var space = SimulatedAddressSpace.builder().build();
        try (var set = ArenaSet.create(space, ArenaLayout.SPARSE, PageArena.FACTORY)) {
            set.keepHints(0);
            ArenaRange block = set.grow(ARENA);
            space.mapForeign(block.end(), 4096);
            ArenaRange below = set.grow(ARENA);
            assertEquals(new ArenaRange(block.base() - ARENA, ARENA), below);
            assertEquals(new ArenaHint(below.base(), true), set.nextHint());
            assertEquals(List.of(new ArenaRange(below.base(), block.end() - below.base())), set.heapRanges());
            set.verify();
        }
    }

    @Test
    void anObjectLargerThan512GiBGetsItsOwnRunOfArenas() {
        var space = SimulatedAddressSpace.builder().build();
        try (var set = ArenaSet.create(space, ArenaLayout.SPARSE, PageArena.FACTORY)) {
            ArenaRange huge = set.grow(600L << 30);
            assertEquals(new ArenaRange(FIRST_HINT, 600L << 30), huge);
            assertEquals(9600, set.arenaCount());
            assertSame(set.arenaOf(FIRST_HINT + (599L << 30)), set.arenas().get(9600 - 16));
            set.verify();
        }
    }

    @Test
    void onWindowsTheAlignedBlockIsReservedAgainExactly() {
        var space = SimulatedAddressSpace.builder().semantics(Semantics.WINDOWS).build();
        try (var set = ArenaSet.create(space, ArenaLayout.SPARSE, PageArena.FACTORY)) {
            set.keepHints(0);
            ArenaRange block = set.grow(ARENA);
            assertEquals(0, block.base() % ARENA);
            assertEquals(ARENA, block.size());
            assertEquals(List.of(block), set.reservations());
            set.verify();
        }
        assertEquals(0, space.reservedBytes());
    }

    @Test
    void on32BitTheMetadataIsPreReservedAndTheHeapStartsAboveTheProgramInOneBlock() {
        var space = SimulatedAddressSpace.builder().addressBits(32).build();
        try (var set = ArenaSet.create(space, ArenaLayout.SPARSE, PageArena.FACTORY)) {
            assertEquals(4 * MIB, set.arenaBytes());
            List<ArenaRange> reservations = set.reservations();
            assertEquals(2, reservations.size(), reservations.toString());
            ArenaRange heapBlock = reservations.stream().filter(r -> r.size() >= 512 * MIB).findFirst().orElseThrow();
            long above = Math.max(space.programEnd(), space.programBreak()) + 256 * 1024;
            assertTrue(heapBlock.base() >= above, heapBlock.toString());
            assertEquals(List.of(new ArenaHint(heapBlock.end(), false)), set.hints());
            long metadataBefore = set.metadataBytes();
            ArenaRange first = set.grow(1);
            assertEquals(new ArenaRange(heapBlock.base(), 4 * MIB), first);
            assertTrue(set.metadataBytes() > metadataBefore);
            assertEquals(List.of(new ArenaHint(heapBlock.end(), false)), set.hints(), "the block is used before any hint");
            set.verify();
        }
    }

    @Test
    void badArenaSizesAndGrowthRequestsAreRefusedBeforeAnyEffect() {
        var space = SimulatedAddressSpace.builder().physicalPageSize(65536).build();
        assertThrows(IllegalArgumentException.class, () -> ArenaSet.create(space, ArenaLayout.SPARSE, 3 * MIB, PageArena.FACTORY));
        assertThrows(IllegalArgumentException.class, () -> ArenaSet.create(space, ArenaLayout.SPARSE, 32 * 1024, PageArena.FACTORY));
        assertThrows(IllegalArgumentException.class, () -> ArenaSet.create(space, ArenaLayout.SPARSE, 128L << 30, PageArena.FACTORY));
        assertEquals(0, space.reservedBytes());
        try (var set = ArenaSet.create(space, ArenaLayout.SPARSE, PageArena.FACTORY)) {
            assertThrows(IllegalArgumentException.class, () -> set.grow(0));
            assertThrows(IllegalArgumentException.class, () -> set.grow(-1));
            assertThrows(IllegalArgumentException.class, () -> set.keepHints(-1));
            assertNull(set.grow(Long.MAX_VALUE));
            assertEquals(0, set.reservedBytes());
            set.close();
            assertThrows(IllegalStateException.class, () -> set.grow(1));
            set.close();
        }
    }

    @Test
    void aRefusedMappingLeavesNothingBehind() {
        var space = SimulatedAddressSpace.builder().mappingLimit(100 * MIB).build();
        try (var set = ArenaSet.create(space, ArenaLayout.SPARSE, PageArena.FACTORY)) {
            assertNotNull(set.grow(ARENA));
            assertThrows(OutOfMemoryError.class, () -> set.grow(ARENA));
            assertEquals(ARENA, set.reservedBytes());
            assertEquals(space.reservedBytes(), set.reservedBytes());
            assertEquals(new ArenaHint(FIRST_HINT + ARENA, false), set.nextHint());
            set.verify();
        }
    }

    @Test
    void on32BitMetadataCostsAddressSpaceInProportionToTheArenasInUse() {
        var space = SimulatedAddressSpace.builder().addressBits(32).build();
        try (var set = ArenaSet.create(space, ArenaLayout.SPARSE, PageArena.FACTORY)) {
            long perArena = PageArena.FACTORY.footprint(set.arenaBytes());
            long reservedAtStart = set.reservedBytes();
            assertEquals(0, set.metadataRegionBytes());
            set.grow(16 * MIB);
            long afterFour = set.metadataRegionBytes();
            assertTrue(afterFour >= 4 * perArena && afterFour < 4 * perArena + space.physicalPageSize(), "" + afterFour);
            set.grow(64 * MIB);
            long afterTwenty = set.metadataRegionBytes();
            assertTrue(afterTwenty >= 20 * perArena && afterTwenty < 20 * perArena + space.physicalPageSize(), "" + afterTwenty);
            assertEquals(reservedAtStart, set.reservedBytes(), "both come out of the pre-reservations");
            assertTrue(set.metadataBytes() - afterTwenty < perArena,
                    "the mapped region is counted instead of the arenas' footprints, not on top: " + set.metadataBytes());
            assertEquals(space.mappedBytes(), set.mappedBytes() + set.metadataRegionBytes());
            set.verify();
        }
    }

    @Test
    void arenasArePublishedWholeToReadersThatRaceWithGrowth() throws Exception {
        var space = SimulatedAddressSpace.builder().build();
        try (var set = ArenaSet.create(space, ArenaLayout.SPARSE, 1L << 20, PageArena.FACTORY)) {
            int arenas = 2000;
            var failures = new java.util.concurrent.atomic.AtomicReference<String>();
            var done = new java.util.concurrent.atomic.AtomicBoolean();
            Runnable reader = () -> {
                while (!done.get()) {
                    for (int i = 0; i < arenas; i++) {
                        long address = FIRST_HINT + ((long) i << 20) + 4096;
                        HeapArena arena = set.arenaOf(address);
                        if (arena != null && (arena.base() != FIRST_HINT + ((long) i << 20) || arena.pageCount() != 128
                                || arena.zeroedBase() != arena.base())) {
                            failures.set("half-built arena seen at 0x" + Long.toHexString(address));
                        }
                    }
                }
            };
            Thread first = Thread.ofPlatform().start(reader);
            Thread second = Thread.ofPlatform().start(reader);
            for (int i = 0; i < arenas; i++) {
                assertNotNull(set.grow(1L << 20));
            }
            done.set(true);
            first.join();
            second.join();
            assertNull(failures.get());
            assertEquals(arenas, set.arenaCount());
        }
    }
}
