package dev.sparseheap.arena;

import dev.sparseheap.ArenaHint;
import dev.sparseheap.ArenaLayout;
import dev.sparseheap.ArenaRange;
import dev.sparseheap.os.SimulatedAddressSpace;
import dev.sparseheap.page.PageArena;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contiguous layout of seed 000, reproduced with its limits. */
class ContiguousLayoutTest {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final long START = 0x00c0L << 32;
    private static final long PAGE = HeapArena.PAGE_SIZE;

    @Test
    void on64BitOne512GiBReservationIsStakedOutAtTheFirstHint() {
        var space = SimulatedAddressSpace.builder().build();
        try (var set = ArenaSet.create(space, ArenaLayout.CONTIGUOUS, PageArena.FACTORY)) {
            assertEquals(List.of(new ArenaRange(START, 512 * GIB + PAGE)), set.reservations());
            assertEquals(new ArenaRange(START, MIB), set.grow(1), "growth is at least 1 MiB");
            assertEquals(new ArenaRange(START + MIB, 2 * MIB + 64 * 1024), set.grow(2 * MIB + 1), "in 64 KiB steps");
            assertEquals(1, set.arenaCount());
            assertEquals(List.of(new ArenaRange(START, 3 * MIB + 64 * 1024)), set.heapRanges());
            assertEquals(space.mappedBytes(), set.mappedBytes());
            set.verify();
        }
    }

    @Test
    void theHeapCannotPass512GiBNorHoldAnObjectThatLarge() {
        var space = SimulatedAddressSpace.builder().build();
        try (var set = ArenaSet.create(space, ArenaLayout.CONTIGUOUS, PageArena.FACTORY)) {
            assertNull(set.grow(600 * GIB));
            assertNotNull(set.grow(511 * GIB));
            assertNull(set.grow(2 * GIB));
            assertEquals(511 * GIB, set.mappedBytes());
            assertEquals(511 * 16, set.arenaCount());
            set.verify();
        }
    }

    @Test
    void underAReservationLimitItFallsBackToTheSmallInitialBlockAfterTheProgram() {
        var space = SimulatedAddressSpace.builder().reservationLimit(4 * GIB).build();
        try (var set = ArenaSet.create(space, ArenaLayout.CONTIGUOUS, PageArena.FACTORY)) {
            ArenaRange block = set.reservations().getFirst();
            assertEquals(512 * MIB + PAGE, block.size());
            assertTrue(block.base() > space.programEnd() && block.base() < START, block.toString());
            assertNotNull(set.grow(GIB), "grows past the block by reserving at its end");
            set.verify();
        }
    }

    @Test
    void on32BitMetadataCoversEveryFrameFromAddressZero() {
        var space = SimulatedAddressSpace.builder().addressBits(32).build();
        try (var set = ArenaSet.create(space, ArenaLayout.CONTIGUOUS, PageArena.FACTORY)) {
            ArenaRange first = set.grow(1);
            long frames = (first.end() + set.arenaBytes() - 1) / set.arenaBytes();
            assertEquals(frames, set.arenaCount());
            assertEquals(0, set.arenas().getFirst().base());
            assertNotNull(set.arenaOf(0x10000), "the old heap's range starts at 0");
            set.verify();
        }
    }

    @Test
    void on32BitABlockBelowTheCurrentOneIsAcceptedWhenLittleIsStranded() {
        var space = SimulatedAddressSpace.builder().addressBits(32).build();
        try (var set = ArenaSet.create(space, ArenaLayout.CONTIGUOUS, PageArena.FACTORY)) {
            ArenaHint end = set.nextHint();
            space.mapForeign(end.address(), 4096);
            long grown = 0;
            while (set.nextHint().equals(end)) {
                assertNotNull(set.grow(16 * MIB));
                grown += 16 * MIB;
                assertTrue(grown < 2 * GIB);
            }
            assertTrue(set.heapRanges().size() >= 2, set.heapRanges().toString());
            for (ArenaRange range : set.heapRanges()) {
                assertTrue(range.end() <= end.address() || range.base() > end.address(), range.toString());
            }
            set.verify();
        }
    }
}
