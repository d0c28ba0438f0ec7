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
    void theSpanMapStoresAnEntryPerPageAndCostsMemoryOnlyWhereUsed() {
        var arena = new HeapArena(BASE, ARENA);
        long empty = arena.metadataBytes();
        Object span = new Object();
        arena.setSpan(513, span);
        assertSame(span, arena.span(513));
        assertNull(arena.span(512));
        assertTrue(arena.metadataBytes() > empty);
        arena.setSpan(513, null);
        assertNull(arena.span(513));
        long afterOneChunk = arena.metadataBytes();
        arena.setSpan(8000, null);
        assertEquals(afterOneChunk, arena.metadataBytes(), "clearing an empty chunk creates nothing");
        assertTrue(HeapArena.fullFootprint(ARENA) > afterOneChunk);
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
