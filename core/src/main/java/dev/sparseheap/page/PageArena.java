/*
 * The page layer's metadata of one arena: the span map, heap page -> the live span that covers
 * it. The arena layer owns the frame and finds it from any address; this subclass adds what the
 * page layer needs there, so a lookup is the arena index's two loads, then one load in the map,
 * and nothing is cast.
 *
 * The span map is exact: a page of a live span maps to that span, a free page to nothing
 * (PageHeap.verify checks it). It is the one record of which pages are in use; a free page is a
 * page that maps to nothing.
 *
 * The map is the structure the page layer reads without a lock (free validates an address
 * through it), so entries are published with release stores and read with acquire loads.
 * Writers hold the page heap's lock, so there is one writer at a time.
 */
package dev.sparseheap.page;

import dev.sparseheap.arena.ArenaFactory;
import dev.sparseheap.arena.Footprint;
import dev.sparseheap.arena.HeapArena;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An arena with the page layer's span map.
 *
 * <p>Thread safety: {@link #span} may be called from any thread without a lock (acquire loads
 * that see every entry published before); {@link #setSpan} must be called with the page heap's
 * lock held.
 */
public final class PageArena extends HeapArena {

    /** Creates page arenas for an {@code ArenaSet}: what a page heap's arena set is built with. */
    public static final ArenaFactory<PageArena> FACTORY = new ArenaFactory<>() {
        @Override
        public PageArena create(long base, long size) {
            return new PageArena(base, size);
        }

        @Override
        public long footprint(long arenaBytes) {
            return HeapArena.objectBytes(Footprint.REFERENCE) + Footprint.referenceArray(arenaBytes >>> PAGE_SHIFT);
        }
    };

    private static final VarHandle SPANS = MethodHandles.arrayElementVarHandle(Span[].class);

    /** The live span covering each heap page, null where none does. */
    private final Span[] spans;

    private PageArena(long base, long size) {
        super(base, size);
        this.spans = new Span[pageCount()];
    }

    /**
     * The live span that covers heap page {@code page} of this arena, or null if none does.
     *
     * @throws ArrayIndexOutOfBoundsException if {@code page} is not in {@code [0, pageCount())}
     */
    Span span(int page) {
        return (Span) SPANS.getAcquire(spans, page);
    }

    /**
     * Records {@code span} (null to clear) as covering heap page {@code page}, with release
     * semantics: a thread that reads it through {@link #span} sees the span fully built.
     * Caller holds the page heap's lock.
     *
     * @throws ArrayIndexOutOfBoundsException if {@code page} is not in {@code [0, pageCount())}
     */
    void setSpan(int page, Span span) {
        SPANS.setRelease(spans, page, span);
    }
}
