/*
 * Every live span of one size class: where spans are made and where they end.
 *
 * Spans belong to thread caches (see SmallSpan, ThreadCache), which allocate and free without
 * any lock; this registry is touched only when a span begins (taken from the page heap) and
 * when it ends (its pages given back), under one lock per class — never a global one — so that
 * statistics and verification can enumerate the spans of a class while caches work.
 *
 * The registry is an array with swap-removal: a span knows its index, so both ends are O(1)
 * and enumeration reads a dense array.
 */
package dev.sparseheap.alloc;

import dev.sparseheap.arena.HeapArena;
import dev.sparseheap.page.PageHeap;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The live spans of one size class.
 *
 * <p>Thread safety: safe for concurrent use; every method takes the class lock, never while
 * calling the page heap.
 */
final class ClassSpans {

    private final int sizeClass;
    private final PageHeap pageHeap;
    private final ReentrantLock lock = new ReentrantLock();

    private SmallSpan[] registry = new SmallSpan[8];
    private int registered;

    ClassSpans(int sizeClass, PageHeap pageHeap) {
        this.sizeClass = sizeClass;
        this.pageHeap = pageHeap;
    }

    /**
     * A new span of the class from the page heap, owned by {@code owner}.
     *
     * @throws OutOfMemoryError when the page heap has no pages for it
     */
    SmallSpan newSpan(ThreadCache owner) {
        SmallSpan span = pageHeap.allocate(SizeClasses.spanPages(sizeClass), HeapArena.PAGE_SIZE,
                (base, pages, needsZero) -> new SmallSpan(base, pages, needsZero, sizeClass, owner));
        lock.lock();
        try {
            if (registered == registry.length) {
                registry = Arrays.copyOf(registry, registered * 2);
            }
            span.registryIndex = registered;
            registry[registered++] = span;
        } finally {
            lock.unlock();
        }
        return span;
    }

    /** Ends {@code span}, whose owner found every slot free: its pages go back to the page heap. */
    void retire(SmallSpan span) {
        lock.lock();
        try {
            SmallSpan last = registry[--registered];
            registry[span.registryIndex] = last;
            last.registryIndex = span.registryIndex;
            registry[registered] = null;
        } finally {
            lock.unlock();
        }
        pageHeap.free(span);
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
}
