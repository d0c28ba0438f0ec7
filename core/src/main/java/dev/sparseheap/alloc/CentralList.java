/*
 * The central list of one size class: the spans of that class that no cache holds and that
 * have at least their reuse threshold of free slots (see SmallSpan), plus a registry of every
 * live span of the class.
 *
 * Locking. One lock per class, never a global one. It guards the partial list, the registry,
 * the shared span, and every state transition of a span of the class (see SmallSpan for the
 * state machine); each transition is decided here from the span's bitmap, since frees count
 * nothing. The page heap is called with this lock
 * released on the cached path, so a thread that waits for pages does not stall frees of the
 * class; only the shared path (no caches) holds the lock across a page allocation.
 *
 * Partial spans are kept last-in first-out: a span that just received frees is likely still
 * in the processor's caches.
 *
 * The shared span serves allocations that have no thread cache: caches disabled, or every
 * cache busy at once. It is owned by the central list itself, so its owner fields are guarded
 * by the lock.
 */
package dev.sparseheap.alloc;

import dev.sparseheap.arena.HeapArena;
import dev.sparseheap.page.PageHeap;
import dev.sparseheap.page.SpanFactory;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The spans of one size class that no cache owns.
 *
 * <p>Thread safety: safe for concurrent use; all methods take the class lock as needed.
 */
final class CentralList implements SpanFactory<SmallSpan> {

    private final int sizeClass;
    private final PageHeap pageHeap;
    private final ReentrantLock lock = new ReentrantLock();

    private SmallSpan partialHead;
    private SmallSpan[] registry = new SmallSpan[8];
    private int registered;
    private SmallSpan sharedSpan;
    /** Free slots the shared span took over, minus those given back (as in ThreadCache). */
    private long sharedSlotsTaken;

    CentralList(int sizeClass, PageHeap pageHeap) {
        this.sizeClass = sizeClass;
        this.pageHeap = pageHeap;
    }

    int sizeClass() {
        return sizeClass;
    }

    @Override
    public SmallSpan create(long base, long pages, boolean needsZero) {
        return new SmallSpan(base, pages, needsZero, this);
    }

    /**
     * Gives the caller a span it owns with at least one free slot, in exchange for
     * {@code exhausted} (its previous span, or null), which the caller no longer owns afterwards
     * unless it is returned again.
     *
     * @throws OutOfMemoryError when a new span is needed and the page heap has none; the caller
     *                          then owns nothing
     */
    SmallSpan exchange(SmallSpan exhausted) {
        if (exhausted != null && exhausted.recount()) {
            return exhausted;
        }
        SmallSpan next;
        SmallSpan emptied = null;
        lock.lock();
        try {
            if (exhausted != null) {
                emptied = uncacheLocked(exhausted);
            }
            next = popPartialLocked();
        } finally {
            lock.unlock();
        }
        returnToPages(emptied);
        return next != null ? next : newSpan();
    }

    /** Gives up a span the caller owns. */
    void uncache(SmallSpan span) {
        SmallSpan emptied;
        lock.lock();
        try {
            emptied = uncacheLocked(span);
        } finally {
            lock.unlock();
        }
        returnToPages(emptied);
    }

    /** Allocates one object from the shared span, for callers without a cache. */
    long allocateShared() {
        lock.lock();
        try {
            SmallSpan span = sharedSpan;
            if (span == null || span.ownerFree() == 0) {
                sharedSpan = null;
                span = exchange(span);
                sharedSlotsTaken += span.ownerFree();
                sharedSpan = span;
            }
            return span.allocate();
        } finally {
            lock.unlock();
        }
    }

    /** Gives up the shared span, so that an empty one can go back to the page heap. */
    void flushShared() {
        lock.lock();
        try {
            SmallSpan span = sharedSpan;
            if (span != null) {
                sharedSlotsTaken -= span.ownerFree();
                sharedSpan = null;
                uncache(span);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Objects allocated through the shared span so far. */
    long sharedAllocations() {
        lock.lock();
        try {
            return sharedSlotsTaken - (sharedSpan == null ? 0 : sharedSpan.ownerFree());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves a span that a free left needing a transition, decided here from its bitmap: a FULL
     * span with its reuse threshold of free slots becomes PARTIAL, an uncached span with every
     * object free goes back to the page heap. Does nothing when another thread already moved it, a cache took it, or the
     * span was taken, filled and given up again since the free (then the bitmap decides afresh).
     */
    void afterFree(SmallSpan span) {
        SmallSpan emptied = null;
        lock.lock();
        try {
            int state = span.state();
            int free = span.freeObjects();
            if ((state == SmallSpan.FULL || state == SmallSpan.PARTIAL) && free == span.objects()) {
                if (state == SmallSpan.PARTIAL) {
                    unlinkPartialLocked(span);
                }
                span.setState(SmallSpan.RETURNED);
                unregisterLocked(span);
                emptied = span;
            } else if (state == SmallSpan.FULL && free >= span.reuseThreshold()) {
                span.setState(SmallSpan.PARTIAL);
                pushPartialLocked(span);
            }
        } finally {
            lock.unlock();
        }
        returnToPages(emptied);
    }

    /** Calls {@code visitor} with every live span of the class, under the class lock. */
    void forEachSpan(Consumer<SmallSpan> visitor) {
        lock.lock();
        try {
            for (int i = 0; i < registered; i++) {
                visitor.accept(registry[i]);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code span} is in the partial list; for verification. */
    boolean isPartialListed(SmallSpan span) {
        lock.lock();
        try {
            for (SmallSpan s = partialHead; s != null; s = s.nextPartial) {
                if (s == span) {
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Number of spans in the partial list; for verification. */
    int partialCount() {
        lock.lock();
        try {
            int count = 0;
            for (SmallSpan s = partialHead; s != null; s = s.nextPartial) {
                count++;
            }
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the shared span is {@code span}. */
    boolean isSharedSpan(SmallSpan span) {
        lock.lock();
        try {
            return sharedSpan == span;
        } finally {
            lock.unlock();
        }
    }

    private SmallSpan newSpan() {
        SmallSpan span = pageHeap.allocate(SizeClasses.spanPages(sizeClass), HeapArena.PAGE_SIZE, this);
        lock.lock();
        try {
            registerLocked(span);
        } finally {
            lock.unlock();
        }
        return span;
    }

    /** Ends the caller's ownership of {@code span}; returns it if it must go back to the page heap. */
    private SmallSpan uncacheLocked(SmallSpan span) {
        span.setOwnerFree(0);
        span.setState(SmallSpan.FULL);
        int free = span.freeObjects();
        if (free < span.reuseThreshold()) {
            return null;
        }
        if (free < span.objects()) {
            span.setState(SmallSpan.PARTIAL);
            pushPartialLocked(span);
            return null;
        }
        span.setState(SmallSpan.RETURNED);
        unregisterLocked(span);
        return span;
    }

    private SmallSpan popPartialLocked() {
        SmallSpan span = partialHead;
        if (span == null) {
            return null;
        }
        unlinkPartialLocked(span);
        span.setState(SmallSpan.CACHED);
        span.recount();
        return span;
    }

    private void pushPartialLocked(SmallSpan span) {
        span.previousPartial = null;
        span.nextPartial = partialHead;
        if (partialHead != null) {
            partialHead.previousPartial = span;
        }
        partialHead = span;
    }

    private void unlinkPartialLocked(SmallSpan span) {
        if (span.previousPartial != null) {
            span.previousPartial.nextPartial = span.nextPartial;
        } else {
            partialHead = span.nextPartial;
        }
        if (span.nextPartial != null) {
            span.nextPartial.previousPartial = span.previousPartial;
        }
        span.previousPartial = null;
        span.nextPartial = null;
    }

    private void registerLocked(SmallSpan span) {
        if (registered == registry.length) {
            registry = Arrays.copyOf(registry, registered * 2);
        }
        span.registryIndex = registered;
        registry[registered++] = span;
    }

    private void unregisterLocked(SmallSpan span) {
        SmallSpan last = registry[--registered];
        registry[span.registryIndex] = last;
        last.registryIndex = span.registryIndex;
        registry[registered] = null;
    }

    private void returnToPages(SmallSpan emptied) {
        if (emptied != null) {
            pageHeap.free(emptied);
        }
    }
}
