package dev.sparseheap.arena;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-arena metadata: span map, page bitmap, zeroed boundary. */
class HeapArenaTest {

    private static final long ARENA = 64L << 20;
    private static final long BASE = 0x00c0L << 32;

    @Test
    void anArenaFrameHas8KiBPagesAndStartsZeroedAndEmpty() {
        var arena = new HeapArena(BASE, ARENA);
        assertEquals(8192, arena.pageCount());
        assertEquals(BASE, arena.zeroedBase());
        assertNull(arena.span(0));
        assertNull(arena.span(8191));
        assertFalse(arena.pageInUse(4000));
    }

    @Test
    void theSpanMapStoresAnEntryPerPage() {
        var arena = new HeapArena(BASE, ARENA);
        Object span = new Object();
        arena.setSpan(513, span);
        arena.setSpan(8191, span);
        assertSame(span, arena.span(513));
        assertSame(span, arena.span(8191));
        assertNull(arena.span(512));
        arena.setSpan(513, null);
        assertNull(arena.span(513));
    }

    @Test
    void anArenaCostsItsWholeSpanMapAndBitmapFromTheMomentItExists() {
        var arena = new HeapArena(BASE, ARENA);
        long footprint = HeapArena.footprint(ARENA);
        assertEquals(footprint, arena.metadataBytes());
        assertTrue(footprint > 8192 * 4 + 8192 / 8, "a reference per page and a bit per page: " + footprint);
        for (int page = 0; page < 8192; page += 7) {
            arena.setSpan(page, arena);
        }
        arena.setPagesInUse(0, 8192, true);
        assertEquals(footprint, arena.metadataBytes(), "using the arena commits nothing more");
        assertEquals(footprint, new HeapArena(BASE + 16 * ARENA, ARENA).metadataBytes(), "the same for every frame");
    }

    @Test
    void pagesAreMarkedInUseAcrossBitmapWords() {
        var arena = new HeapArena(BASE, ARENA);
        arena.setPagesInUse(60, 200, true);
        assertFalse(arena.pageInUse(59));
        for (int page = 60; page < 260; page++) {
            assertTrue(arena.pageInUse(page), "page " + page);
        }
        assertFalse(arena.pageInUse(260));
        arena.setPagesInUse(64, 64, false);
        assertTrue(arena.pageInUse(63));
        assertFalse(arena.pageInUse(64));
        assertFalse(arena.pageInUse(127));
        assertTrue(arena.pageInUse(128));
        arena.setPagesInUse(0, 8192, true);
        assertTrue(arena.pageInUse(8191));
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
    void pagesAndAddressesOutsideTheArenaAreRejected() {
        var arena = new HeapArena(BASE, ARENA);
        assertThrows(IllegalArgumentException.class, () -> arena.span(-1));
        assertThrows(IllegalArgumentException.class, () -> arena.span(8192));
        assertThrows(IllegalArgumentException.class, () -> arena.setSpan(8192, new Object()));
        assertThrows(IllegalArgumentException.class, () -> arena.pageInUse(8192));
        assertThrows(IllegalArgumentException.class, () -> arena.setPagesInUse(8000, 193, true));
        assertThrows(IllegalArgumentException.class, () -> arena.setPagesInUse(-1, 2, true));
        assertThrows(IllegalArgumentException.class, () -> arena.setZeroedBase(BASE - 1));
        assertThrows(IllegalArgumentException.class, () -> arena.setZeroedBase(BASE + ARENA + 1));
        assertThrows(IllegalArgumentException.class, () -> new HeapArena(BASE + 4096, ARENA));
        assertFalse(arena.pageInUse(8000), "a refused call changes nothing");
    }
}
