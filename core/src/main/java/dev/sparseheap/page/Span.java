/*
 * Spans.
 *
 * A span is a run of whole heap pages (8 KiB each) that the page heap has handed out. The page
 * heap publishes a span in the span map of every arena page it covers, so that any interior
 * address finds its span with two array loads through the arena index. The object layer
 * subclasses Span to hang its own metadata on it (allocation bitmaps, size class, large-object
 * bookkeeping); the page layer only knows the fields declared here.
 *
 * Invariants:
 *  - base is a multiple of the heap page size, pages >= 1, and [base, end) lies in the heap.
 *  - A span is live from the moment PageHeap.allocate publishes it until PageHeap.free returns
 *    its pages; once dead it never becomes live again (a span object is used once).
 *  - needsZero is decided once, at allocation: false only when every byte of the span is known
 *    to read as zero (never touched since the OS mapped it, or released by the scavenger since
 *    its last use). It says nothing about the span after its owner has written to it.
 */
package dev.sparseheap.page;

import dev.sparseheap.arena.HeapArena;

/**
 * A run of heap pages handed out by {@link PageHeap}. The object layer extends it (small-object
 * span with an allocation bitmap, large-object span); fields of subclasses are theirs.
 *
 * <p>Thread safety: the base, size and zeroing state are immutable. The liveness flag is written
 * by the page heap under its lock and read without a lock (it is volatile), so a lock-free
 * reader that found the span through the span map sees it live or, after a racing free, dead.
 */
public abstract class Span {

    private final long base;
    private final long pages;
    private final boolean needsZero;
    private volatile boolean live;

    /** Links of the one {@link SpanList} holding this span, if any; guarded as that list is. */
    Span listPrevious;
    Span listNext;

    /**
     * Creates the metadata of a span; only a {@link SpanFactory} called by
     * {@link PageHeap#allocate} should do this, with the arguments it was given.
     *
     * @throws IllegalArgumentException when base is not page-aligned or positive, or pages < 1
     */
    protected Span(long base, long pages, boolean needsZero) {
        if (base <= 0 || (base & (HeapArena.PAGE_SIZE - 1)) != 0) {
            throw new IllegalArgumentException("span base 0x%x is not a positive multiple of %d"
                    .formatted(base, HeapArena.PAGE_SIZE));
        }
        if (pages < 1 || pages > (Long.MAX_VALUE - base) >>> HeapArena.PAGE_SHIFT) {
            throw new IllegalArgumentException("span of %d pages at 0x%x is empty or overflows"
                    .formatted(pages, base));
        }
        this.base = base;
        this.pages = pages;
        this.needsZero = needsZero;
    }

    /** The first address of the span. */
    public final long base() {
        return base;
    }

    /** Number of heap pages in the span. */
    public final long pages() {
        return pages;
    }

    /** Size of the span in bytes. */
    public final long bytes() {
        return pages << HeapArena.PAGE_SHIFT;
    }

    /** One past the last address of the span. */
    public final long end() {
        return base + bytes();
    }

    /** True when the span holds {@code address}. */
    public final boolean contains(long address) {
        return address >= base && address < end();
    }

    /**
     * False when every byte of the span read as zero when it was handed out (fresh from the OS
     * or released by the scavenger since its last use), so its owner need not clear it.
     */
    public final boolean needsZero() {
        return needsZero;
    }

    /** True from allocation until {@link PageHeap#free}. */
    public final boolean isLive() {
        return live;
    }

    final void markLive() {
        live = true;
    }

    final void markDead() {
        live = false;
    }

    @Override
    public String toString() {
        return "%s[0x%x, 0x%x) %d pages%s%s".formatted(getClass().getSimpleName(), base, end(), pages,
                needsZero ? "" : " zeroed", live ? "" : " dead");
    }
}
