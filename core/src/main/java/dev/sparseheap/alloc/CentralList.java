/*
 * The central list of one size class: the spans of that class that no cache holds and that
 * have free slots, plus a registry of every live span of the class.
 *
 * Locking. One lock per class, never a global one. It guards the partial list, the registry,
 * the shared span, and every state transition of a span of the class except the owner taking
 * counted frees (see SmallSpan for the state machine). The page heap is called with this lock
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
        if (exhausted != null && exhausted.reclaimFrees()) {
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
     * Moves a span that a free left needing a transition: a FULL span that gained its first free
     * slot becomes PARTIAL, an uncached span with every object free goes back to the page heap.
     * Does nothing when another thread already moved it or a cache took it.
     */
    void afterFree(SmallSpan span) {
        SmallSpan emptied = null;
        lock.lock();
        try {
            while (true) {
                long control = span.control();
                int state = SmallSpan.stateOf(control);
                int free = SmallSpan.freeCountOf(control);
                boolean empty = free == span.objects();
                int target;
                if (state == SmallSpan.FULL && free > 0) {
                    target = empty ? SmallSpan.RETURNED : SmallSpan.PARTIAL;
                } else if (state == SmallSpan.PARTIAL && empty) {
                    target = SmallSpan.RETURNED;
                } else {
                    break;
                }
                if (span.compareAndSetControl(control, SmallSpan.controlWord(target, free))) {
                    if (state == SmallSpan.PARTIAL) {
                        unlinkPartialLocked(span);
                    }
                    if (target == SmallSpan.PARTIAL) {
                        pushPartialLocked(span);
                    } else {
                        unregisterLocked(span);
                        emptied = span;
                    }
                    break;
                }
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
        while (true) {
            long control = span.control();
            int free = SmallSpan.freeCountOf(control) + span.ownerFree();
            int target = free == 0 ? SmallSpan.FULL
                    : free == span.objects() ? SmallSpan.RETURNED
                    : SmallSpan.PARTIAL;
            if (span.compareAndSetControl(control, SmallSpan.controlWord(target, free))) {
                span.setOwnerFree(0);
                if (target == SmallSpan.PARTIAL) {
                    pushPartialLocked(span);
                    return null;
                }
                if (target == SmallSpan.RETURNED) {
                    unregisterLocked(span);
                    return span;
                }
                return null;
            }
        }
    }

    private SmallSpan popPartialLocked() {
        SmallSpan span = partialHead;
        if (span == null) {
            return null;
        }
        unlinkPartialLocked(span);
        while (true) {
            long control = span.control();
            if (span.compareAndSetControl(control, SmallSpan.controlWord(SmallSpan.CACHED, 0))) {
                span.setOwnerFree(SmallSpan.freeCountOf(control));
                return span;
            }
        }
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
