/*
 * A thread cache: one current span per size class, used by one thread at a time.
 *
 * A cache is not bound to a thread. A thread claims a cache for the length of one allocation
 * (a CAS on its claim flag) and gives it back at once (a release store). This is what keeps
 * the number of caches fixed however many threads come and go, virtual ones included: a thread
 * that exits holds nothing, so it strands nothing, and the spans of a cache stay in use by the
 * next thread that hashes to it.
 *
 * While claimed, the current spans and the counters are the claiming thread's alone; the claim
 * CAS (acquire) and the release store order them between successive claimers.
 *
 * Counting allocations costs nothing per allocation: the cache counts the free slots it takes
 * over from spans (at refill) minus those it gives back (at flush), so the objects it handed
 * out are that count minus the free slots its current span still holds. Readers that only add
 * up statistics read the counts with opaque loads.
 *
 * A closed heap claims every cache for good, so that no allocation reaches a span after close.
 */
package dev.sparseheap.alloc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * One thread cache.
 *
 * <p>Thread safety: {@link #tryClaim()} and {@link #allocations(int)} are safe from any thread;
 * every other method requires the caller to hold the claim.
 */
final class ThreadCache {

    private static final VarHandle CLAIMED;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            CLAIMED = MethodHandles.lookup().findVarHandle(ThreadCache.class, "claimed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through CLAIMED
    private volatile int claimed;
    private final SmallSpan[] currentSpans = new SmallSpan[SizeClasses.count()];
    /** Per class: free slots taken over from spans, minus those given back. */
    private final long[] slotsTaken = new long[SizeClasses.count()];

    /** Claims this cache for the calling thread; false if another thread holds it. */
    boolean tryClaim() {
        return claimed == 0 && CLAIMED.compareAndSet(this, 0, 1);
    }

    /** Gives the claim back. */
    void release() {
        CLAIMED.setRelease(this, 0);
    }

    /** Claims this cache for good: the heap is closed. */
    void claimForever() {
        claimed = 1;
    }

    /**
     * Allocates one object of class {@code cls}; the caller holds the claim.
     *
     * @return the address, with {@link SmallSpan#DIRTY} set when its bytes may be non-zero
     */
    long allocate(int cls, CentralList[] centrals) {
        SmallSpan span = currentSpans[cls];
        if (span == null || span.ownerFree() == 0) {
            span = refill(cls, centrals[cls], span);
        }
        return span.allocate();
    }

    private SmallSpan refill(int cls, CentralList central, SmallSpan exhausted) {
        currentSpans[cls] = null;
        SmallSpan span = central.exchange(exhausted);
        SLOTS.setOpaque(slotsTaken, cls, slotsTaken[cls] + span.ownerFree());
        currentSpans[cls] = span;
        return span;
    }

    /** Gives every current span back to its central list; the caller holds the claim. */
    void flush(CentralList[] centrals) {
        for (int cls = 1; cls < currentSpans.length; cls++) {
            SmallSpan span = currentSpans[cls];
            if (span != null) {
                SLOTS.setOpaque(slotsTaken, cls, slotsTaken[cls] - span.ownerFree());
                currentSpans[cls] = null;
                centrals[cls].uncache(span);
            }
        }
    }

    /** Calls {@code visitor} with every current span; for verification at rest. */
    void forEachCurrent(Consumer<SmallSpan> visitor) {
        for (SmallSpan span : currentSpans) {
            if (span != null) {
                visitor.accept(span);
            }
        }
    }

    /**
     * Objects of class {@code cls} allocated through this cache so far; exact at rest, a racy
     * estimate while the cache is in use.
     */
    long allocations(int cls) {
        SmallSpan span = currentSpans[cls];
        return (long) SLOTS.getOpaque(slotsTaken, cls) - (span == null ? 0 : span.ownerFree());
    }
}
