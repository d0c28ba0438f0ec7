/*
 * Large objects: each in a span of its own, taken from the page heap with the alignment asked
 * for (the page heap finds an aligned run, so an alignment never costs more than the run).
 *
 * A registry (a SpanList under one lock) keeps every live large span so that statistics
 * and verification can enumerate them. The lock is taken once per large allocation and free,
 * next to the page heap's own lock, and never on the small-object path.
 */
package dev.sparseheap.alloc;

import dev.sparseheap.arena.HeapArena;
import dev.sparseheap.page.PageHeap;
import dev.sparseheap.page.SpanFactory;
import dev.sparseheap.page.SpanList;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Allocation, freeing and enumeration of large objects.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class LargeObjects implements SpanFactory<LargeSpan> {

    private final PageHeap pageHeap;
    private final ReentrantLock lock = new ReentrantLock();
    private final SpanList<LargeSpan> registry = new SpanList<>();
    private final MemoryClearer clearer;
    private long liveObjects;
    private long liveBytes;
    private long allocations;
    private long frees;

    LargeObjects(PageHeap pageHeap, MemoryClearer clearer) {
        this.pageHeap = pageHeap;
        this.clearer = clearer;
    }

    @Override
    public LargeSpan create(long base, long pages, boolean needsZero) {
        return new LargeSpan(base, pages, needsZero);
    }

    /** Pages of a span holding {@code size} bytes. */
    static long pagesFor(long size) {
        return Math.max(1, (size + HeapArena.PAGE_SIZE - 1) >>> HeapArena.PAGE_SHIFT);
    }

    /**
     * Allocates a span for one object of {@code size} bytes aligned to {@code alignment}, its
     * first {@code size} bytes zeroed when {@code zero} and the span may hold old bytes.
     *
     * @return the object's address
     */
    long allocate(long size, long alignment, boolean zero) {
        LargeSpan span = pageHeap.allocate(pagesFor(size), Math.max(alignment, HeapArena.PAGE_SIZE), this);
        lock.lock();
        try {
            registry.addFirst(span);
            liveObjects++;
            liveBytes += span.bytes();
            allocations++;
        } finally {
            lock.unlock();
        }
        if (zero && span.needsZero()) {
            clearer.clear(span.base(), size);
        }
        return span.base();
    }

    /**
     * Frees the object of {@code span} at {@code address}.
     *
     * @throws IllegalArgumentException for an interior address or a double free; nothing changes
     */
    void free(LargeSpan span, long address) {
        if (address != span.base()) {
            throw new IllegalArgumentException(String.format(
                    "0x%x is not the start of an object: it lies inside the %d-byte object at 0x%x",
                    address, span.bytes(), span.base()));
        }
        if (!span.claimFree()) {
            throw new IllegalArgumentException(String.format(
                    "double free: the %d-byte object at 0x%x is already freed", span.bytes(), address));
        }
        lock.lock();
        try {
            registry.remove(span);
            liveObjects--;
            liveBytes -= span.bytes();
            frees++;
        } finally {
            lock.unlock();
        }
        pageHeap.free(span);
    }

    /** Calls {@code visitor} with every live large span, under the registry lock. */
    void forEachSpan(Consumer<LargeSpan> visitor) {
        lock.lock();
        try {
            registry.forEach(visitor);
        } finally {
            lock.unlock();
        }
    }

    /** A consistent snapshot of the large-object counters. */
    LargeUsage usage() {
        lock.lock();
        try {
            return new LargeUsage(liveObjects, liveBytes, allocations, frees);
        } finally {
            lock.unlock();
        }
    }
}
