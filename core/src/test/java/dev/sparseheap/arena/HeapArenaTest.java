package dev.sparseheap.arena;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The arena layer's own per-arena metadata: the frame and its zeroed boundary. */
class HeapArenaTest {

    private static final long ARENA = 64L << 20;
    private static final long BASE = 0x00c0L << 32;

    @Test
    void anArenaFrameHas8KiBPagesAndStartsZeroed() {
        var arena = new HeapArena(BASE, ARENA);
        assertEquals(8192, arena.pageCount());
        assertEquals(BASE, arena.zeroedBase());
        assertEquals(BASE + ARENA, arena.end());
    }

    @Test
    void theZeroedBoundaryOnlyMovesUp() {
        var arena = new HeapArena(BASE, ARENA);
        arena.setZeroedBase(BASE + 3 * HeapArena.PAGE_SIZE);
        arena.setZeroedBase(BASE + HeapArena.PAGE_SIZE);
        assertEquals(BASE + 3 * HeapArena.PAGE_SIZE, arena.zeroedBase());
        arena.setZeroedBase(BASE + ARENA);
        assertEquals(BASE + ARENA, arena.zeroedBase());
    }

    @Test
    void framesAndBoundariesOutsideTheArenaAreRejectedAndChangeNothing() {
        var arena = new HeapArena(BASE, ARENA);
        assertThrows(IllegalArgumentException.class, () -> arena.setZeroedBase(BASE - 1));
        assertThrows(IllegalArgumentException.class, () -> arena.setZeroedBase(BASE + ARENA + 1));
        assertEquals(BASE, arena.zeroedBase());
        assertThrows(IllegalArgumentException.class, () -> new HeapArena(BASE + 4096, ARENA));
        assertThrows(IllegalArgumentException.class, () -> new HeapArena(BASE, ARENA + 8192));
        assertThrows(IllegalArgumentException.class, () -> new HeapArena(BASE, 4096));
    }

    @Test
    void anObjectCostsItsHeaderAndFieldsPadded() {
        assertEquals(40, HeapArena.objectBytes(0), "header 12 + 3 longs + an int = 40");
        assertEquals(48, HeapArena.objectBytes(4), "one reference more, padded to 8");
    }
}
