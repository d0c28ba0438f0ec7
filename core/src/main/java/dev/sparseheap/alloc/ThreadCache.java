/*
 * A thread cache: one current span per size class, used by one thread at a time.
 *
 * Holder. The field holder says who may use the cache: nobody (null), a thread, or the heap's
 * closed marker. Two kinds of holding share it:
 *   lease  a platform thread takes the cache once (one CAS) and keeps it while it lives; its
 *          allocations then check only that holder is itself, a plain load and compare;
 *   claim  a virtual thread, or a platform thread that found no cache to lease, takes the
 *          cache for one allocation and gives it back at once (a release store), so that an
 *          unmounted virtual thread never sits on a cache.
 * A lease ends when its thread has died: a thread that needs a cache, and every flush, may take
 * it over (Thread.isAlive() false; the dead thread's last writes happen-before that answer; see
 * ThreadCaches for when they look).
 * The current spans then stay with the cache for its next holder, so a thread that exits
 * strands nothing.
 *
 * While held, the current spans and the counters are the holder's alone; the CAS that takes
 * the cache (acquire) and the store that gives it back or the thread's death order them between
 * successive holders.
 *
 * Counting allocations costs nothing per allocation: the cache counts the free slots it takes
 * over from spans (at refill) minus those it gives back (at flush), so the objects it handed
 * out are that count minus the free slots its current span still holds. Readers that only add
 * up statistics read the counts with opaque loads.
 *
 * A closed heap gives every cache to the closed marker for good, so that no allocation reaches
 * a span after close.
 */
package dev.sparseheap.alloc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * One thread cache.
 *
 * <p>Thread safety: {@link #isHeldBy}, the take-over methods and {@link #allocations(int)} are
 * safe from any thread; every other method requires the caller to hold the cache.
 */
final class ThreadCache {

    private static final VarHandle HOLDER;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);
    /** Holder of every cache of a closed heap. */
    private static final Object CLOSED = new Object();

    static {
        try {
            HOLDER = MethodHandles.lookup().findVarHandle(ThreadCache.class, "holder", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** null (free), the holding thread, or CLOSED; written only through HOLDER. */
    private Object holder;
    private final SmallSpan[] currentSpans = new SmallSpan[SizeClasses.count()];
    /** Per class: free slots taken over from spans, minus those given back. */
    private final long[] slotsTaken = new long[SizeClasses.count()];
    /** The span the holder last freed into, or null; possibly dead since. Holder only. */
    private SmallSpan recentFree;

    /**
     * Whether {@code thread} holds this cache. A plain load suffices: only {@code thread} itself
     * ever stores a reference to itself here.
     */
    boolean isHeldBy(Thread thread) {
        return holder == thread;
    }

    /** Whether nobody holds this cache now. */
    boolean isFree() {
        return HOLDER.getOpaque(this) == null;
    }

    /** Takes this cache for {@code thread} if nobody holds it. */
    boolean tryTake(Thread thread) {
        return HOLDER.getOpaque(this) == null && HOLDER.compareAndSet(this, null, thread);
    }

    /**
     * Takes this cache over for {@code thread} (or frees it, with null) if it is leased by a
     * thread that has died.
     *
     * @return whether the lease of a dead thread ended here
     */
    boolean tryTakeFromDead(Thread thread) {
        Object current = HOLDER.getAcquire(this);
        return current instanceof Thread previous && !previous.isAlive()
                && HOLDER.compareAndSet(this, previous, thread);
    }

    /** Gives the cache back; the caller holds it. */
    void release() {
        HOLDER.setRelease(this, null);
    }

    /** Gives the cache to the closed marker for good: the heap is closed. */
    void closeForever() {
        HOLDER.setVolatile(this, CLOSED);
    }

    /**
     * Allocates one object of class {@code cls}; the caller holds the cache.
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

    /**
     * The live span the holder last freed into, when it holds {@code address}, else null; the
     * caller holds the cache. A span found here is exactly what the span map would give: a span
     * that has died since is not used, and a legitimate free of an address on its pages comes
     * after the death (the new object was allocated after it), so it sees the span dead.
     */
    SmallSpan recentFreeHolding(long address) {
        SmallSpan span = recentFree;
        return span != null && span.isLive() && span.holdsObjectsAt(address) ? span : null;
    }

    /** Remembers the span the holder just freed into; the caller holds the cache. */
    void setRecentFree(SmallSpan span) {
        recentFree = span;
    }

    /** Gives every current span back to its central list; the caller holds the cache. */
    void flush(CentralList[] centrals) {
        for (int cls = 1; cls < currentSpans.length; cls++) {
            SmallSpan span = currentSpans[cls];
            if (span != null) {
                SLOTS.setOpaque(slotsTaken, cls, slotsTaken[cls] - span.ownerFree());
                currentSpans[cls] = null;
                centrals[cls].uncache(span);
            }
        }
        recentFree = null;
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
