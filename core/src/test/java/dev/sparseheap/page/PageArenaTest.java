package dev.sparseheap.page;

import dev.sparseheap.arena.HeapArena;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page layer's per-arena metadata: the span map, created whole with the arena. */
class PageArenaTest {

    private static final long ARENA = 64L << 20;
    private static final long BASE = 0x00c0L << 32;

    @Test
    void aNewArenaMapsNoPage() {
        PageArena arena = PageArena.FACTORY.create(BASE, ARENA);
        assertEquals(8192, arena.pageCount());
        assertNull(arena.span(0));
        assertNull(arena.span(8191));
    }

    @Test
    void theSpanMapStoresAnEntryPerPage() {
        PageArena arena = PageArena.FACTORY.create(BASE, ARENA);
        Span span = new TestSpan(BASE + 513 * HeapArena.PAGE_SIZE, 2, false);
        arena.setSpan(513, span);
        arena.setSpan(514, span);
        assertSame(span, arena.span(513));
        assertSame(span, arena.span(514));
        assertNull(arena.span(512));
        arena.setSpan(513, null);
        assertNull(arena.span(513));
    }

    @Test
    void anArenaCostsItsWholeSpanMapFromTheMomentItExists() {
        long footprint = PageArena.FACTORY.footprint(ARENA);
        assertEquals(HeapArena.objectBytes(4) + 16 + 8192 * 4, footprint, "the object and a reference per page");
        assertTrue(PageArena.FACTORY.footprint(2 * ARENA) > footprint);
    }

    @Test
    void pagesOutsideTheArenaAreRejected() {
        PageArena arena = PageArena.FACTORY.create(BASE, ARENA);
        assertThrows(IndexOutOfBoundsException.class, () -> arena.span(8192));
        assertThrows(IndexOutOfBoundsException.class, () -> arena.setSpan(-1, null));
        assertThrows(IllegalArgumentException.class, () -> PageArena.FACTORY.create(BASE + 4096, ARENA));
    }
}
