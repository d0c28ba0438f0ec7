/*
 * A thread cache: the owner of small spans, used by one thread at a time.
 *
 * Holder. The field holder says who may use the cache: nobody (null), a thread, or the heap's
 * closed marker. Two kinds of holding share it:
 *   lease  a platform thread takes the cache once (one CAS) and keeps it while it lives; its
 *          allocations and frees then check only that holder is itself, a plain load and
 *          compare;
 *   claim  a virtual thread, or a platform thread that found no cache to lease, takes the
 *          cache for one allocation and gives it back at once (a release store), so that an
 *          unmounted virtual thread never sits on a cache.
 * A lease ends when its thread has died: a thread that needs a cache, and every tidy, may take
 * it over (Thread.isAlive() false; the dead thread's last writes happen-before that answer; see
 * ThreadCaches for when they look). The spans stay with the cache for its next holder, so a
 * thread that exits strands nothing and nothing needs adopting span by span.
 *
 * Spans. The cache owns every span it took from the page heap until the span's last object is
 * freed (SmallSpan explains the bitmaps). Per size class it keeps:
 *   current    the span it allocates from;
 *   available  owned spans with free slots, most recently freed into first;
 * and spans with no free slot (FULL) in no list at all: a local free into one moves it to
 * available; remote frees reach the cache through its RemoteFreeInbox.
 * While held, all of this is the holder's alone; the CAS that takes the cache (acquire) and the
 * store that gives it back or the thread's death order it between successive holders.
 *
 * Fast paths, the common case in a few lines and no atomic instruction, no volatile store, no
 * lock: allocate takes the lowest ready bit of the current span; a local free sets it again.
 * The rare cases — the current span ran out, a local free into a span that is
 * not current — are separate methods.
 *
 * When the current span runs out, the cache collects it (remote frees become ready); if that
 * frees nothing it is FULL and the cache takes, in order: the first available
 * span, spans the inbox brought back, a new span from the class's registry. A span whose last
 * object the owner sees freed goes back to the page heap at once unless it is current (a loop
 * of pairs never churns spans) or its class keeps no empty span yet (one per class, so a class
 * whose live count hovers at a span boundary does not trade spans with the page heap on every
 * crossing); releaseMemory gives those back too.
 *
 * A closed heap gives every cache to the closed marker for good, so that no allocation reaches
 * a span after close.
 */
package dev.sparseheap.alloc;

import dev.sparseheap.page.SpanList;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * One thread cache and the spans it owns.
 *
 * <p>Thread safety: {@link #isHeldBy}, the take-over methods, {@link #inbox()} and the
 * statistics readers are safe from any thread; every other method requires the caller to hold
 * the cache.
 */
final class ThreadCache {

    private static final VarHandle HOLDER;
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
    private final ClassSpans[] classes;
    /** The set this cache belongs to, or null for a cache used only under a lock. */
    private final ThreadCaches set;
    private final BadFrees badFrees;
    private final MemoryClearer clearer;
    private final SmallSpan[] currentSpans = new SmallSpan[SizeClasses.count()];
    private final SpanList<SmallSpan>[] availableSpans;
    /**
     * Per class: one owned span with no live object kept for reuse (it is also in the available
     * list), or null. Without it a class whose live count hovers at a span boundary would give a
     * span back and take a new one from the page heap over and over.
     */
    private final SmallSpan[] emptyReserve = new SmallSpan[SizeClasses.count()];
    /** Per class: frees counted by spans that have since gone back to the page heap. */
    private final long[] retiredFrees = new long[SizeClasses.count()];
    private final RemoteFreeInbox inbox = new RemoteFreeInbox();
    /** The owned span the holder last freed into, or null; never a returned span. Holder only. */
    private SmallSpan recentFree;

    @SuppressWarnings({"unchecked", "rawtypes"}) // an array of a generic type
    ThreadCache(ClassSpans[] classes, ThreadCaches set, BadFrees badFrees, MemoryClearer clearer) {
        this.classes = classes;
        this.set = set;
        this.badFrees = badFrees;
        this.clearer = clearer;
        this.availableSpans = new SpanList[SizeClasses.count()];
        for (int cls = 1; cls < availableSpans.length; cls++) {
            availableSpans[cls] = new SpanList<>();
        }
    }

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
     * Takes this cache over for {@code thread} if it is leased by a thread that has died.
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

    /** Where other threads post spans they freed into; any thread. */
    RemoteFreeInbox inbox() {
        return inbox;
    }

    /**
     * Tells the holder that another thread freed into {@code span}, which this cache owns and
     * which is in no inbox; any thread. When nobody holds the cache — it is free, or leased by a
     * thread that died — the caller collects it at once, so that remote frees into an unheld
     * cache's spans never strand memory.
     */
    void posted(SmallSpan span) {
        inbox.post(span);
        if (set != null && !(HOLDER.getOpaque(this) instanceof Thread holding && holding.isAlive())) {
            set.collectIfUnheld(this, Thread.currentThread());
        }
    }

    /**
     * Allocates one object of class {@code cls}; the caller holds the cache.
     *
     * @throws OutOfMemoryError when a new span is needed and the page heap has none
     */
    long allocate(int cls) {
        SmallSpan span = currentSpans[cls];
        if (span != null) {
            long address = span.allocate();
            if (address != 0) {
                return address;
            }
        }
        return allocateFromAnotherSpan(cls);
    }

    /**
     * Allocates one object of class {@code cls} and clears its first {@code size} bytes when
     * they may hold old bytes; the caller holds the cache. The one place, with
     * {@link LargeObjects}, that decides whether an object needs zeroing.
     */
    long allocateZeroed(int cls, long size) {
        long address = allocate(cls);
        if (currentSpans[cls].mayHoldOldBytes()) {
            clearer.clear(address, size);
        }
        return address;
    }

    /** The current span of the class ran out (or there is none): collect it, or find another. */
    private long allocateFromAnotherSpan(int cls) {
        SmallSpan exhausted = currentSpans[cls];
        if (exhausted != null) {
            exhausted.collect(badFrees);
            long address = exhausted.allocate();
            if (address == 0 && exhausted.noticeHeld) {
                exhausted.clearPendingNotice();
                exhausted.collect(badFrees);
                address = exhausted.allocate();
            }
            if (address != 0) {
                return address;
            }
            exhausted.state = SmallSpan.FULL;
            currentSpans[cls] = null;
        }
        SmallSpan next = availableSpans[cls].pollFirst();
        if (next == null) {
            collectInbox();
            next = availableSpans[cls].pollFirst();
        }
        if (next != null) {
            if (emptyReserve[cls] == next) {
                emptyReserve[cls] = null;
            }
            next.collect(badFrees);
        } else {
            next = classes[cls].newSpan(this);
        }
        next.state = SmallSpan.CURRENT;
        currentSpans[cls] = next;
        return next.allocate();
    }

    /**
     * Frees the object at {@code address} in {@code span}, which this cache owns; the caller
     * holds the cache.
     *
     * @throws IllegalArgumentException for an interior address or an object that is not live
     */
    void freeLocal(SmallSpan span, long address) {
        span.freeLocal(address);
        if (span.state != SmallSpan.CURRENT) {
            freedIntoOtherSpan(span);
        }
    }

    /** A local free into a span that is not current: it is empty now, or has a free slot. */
    private void freedIntoOtherSpan(SmallSpan span) {
        if (span.state == SmallSpan.FULL) {
            span.state = SmallSpan.AVAILABLE;
            availableSpans[span.sizeClass()].addFirst(span);
        }
        if (span.live() == 0) {
            keepOrRetireEmpty(span);
        }
    }

    /**
     * {@code span}, available and not current, has no live object left: it becomes its class's
     * empty reserve when the class has none, and goes back to the page heap otherwise.
     */
    private void keepOrRetireEmpty(SmallSpan span) {
        int cls = span.sizeClass();
        SmallSpan reserve = emptyReserve[cls];
        if (reserve == null || reserve == span) {
            emptyReserve[cls] = span;
        } else {
            retire(span);
        }
    }

    /**
     * The owned span the holder last freed into, when it holds {@code address}, else null; the
     * caller holds the cache. Only the holder returns owned spans to the page heap, and it
     * forgets this one when it does, so a span found here is live and exactly what the span map
     * would give.
     */
    SmallSpan recentFreeHolding(long address) {
        SmallSpan span = recentFree;
        return span != null && span.holdsObjectsAt(address) ? span : null;
    }

    /** Remembers the owned span the holder just freed into; the caller holds the cache. */
    void setRecentFree(SmallSpan span) {
        recentFree = span;
    }

    /**
     * Collects every span other threads freed into since the last look: spans that gained a
     * free slot become available, spans with no live object left go back to the page heap. The
     * caller holds the cache.
     */
    void collectInbox() {
        SmallSpan span = inbox.takeAll();
        while (span != null) {
            SmallSpan next = span.nextInInbox;
            span.nextInInbox = null;
            if (span.state == SmallSpan.CURRENT) {
                span.noticeHeld = true;
            } else {
                span.clearPendingNotice();
            }
            span.collect(badFrees);
            if (span.state == SmallSpan.FULL && span.hasReady()) {
                span.state = SmallSpan.AVAILABLE;
                availableSpans[span.sizeClass()].addFirst(span);
            }
            if (span.state == SmallSpan.AVAILABLE && span.live() == 0) {
                keepOrRetireEmpty(span);
            }
            span = next;
        }
    }

    /**
     * Settles the cache: collects the inbox and every current span (whose notice of remote frees
     * may be held up, see SmallSpan), so that every remote free posted so far is seen and every
     * duplicate counted; then gives back every span with no live object that is not current,
     * and, when {@code includingCurrent}, the empty reserves and empty current spans too. The
     * caller holds the cache.
     */
    void tidy(boolean includingCurrent) {
        collectInbox();
        for (SmallSpan current : currentSpans) {
            if (current != null) {
                current.collect(badFrees);
            }
        }
        if (!includingCurrent) {
            return;
        }
        for (SmallSpan reserve : emptyReserve) {
            if (reserve != null) {
                retire(reserve);
            }
        }
        for (SmallSpan current : currentSpans) {
            if (current != null && current.live() == 0) {
                retire(current);
            }
        }
    }

    /** Gives {@code span}, owned and with no live object, back to the page heap. */
    private void retire(SmallSpan span) {
        int cls = span.sizeClass();
        if (span.state == SmallSpan.AVAILABLE) {
            availableSpans[cls].remove(span);
        } else if (span.state == SmallSpan.CURRENT) {
            currentSpans[cls] = null;
        }
        if (span.noticeHeld) {
            span.clearPendingNotice();
        }
        if (emptyReserve[cls] == span) {
            emptyReserve[cls] = null;
        }
        span.collect(badFrees);
        span.state = SmallSpan.RETURNED;
        if (recentFree == span) {
            recentFree = null;
        }
        retiredFrees[cls] += span.frees();
        classes[cls].retire(span);
    }

    /** Frees of class {@code cls} counted by spans of this cache that were given back; racy while in use. */
    long retiredFrees(int cls) {
        return retiredFrees[cls];
    }

    /** Calls {@code visitor} with every current span; for verification at rest. */
    void forEachCurrent(Consumer<SmallSpan> visitor) {
        for (SmallSpan span : currentSpans) {
            if (span != null) {
                visitor.accept(span);
            }
        }
    }

    /** Calls {@code visitor} with every available span; for verification at rest. */
    void forEachAvailable(Consumer<SmallSpan> visitor) {
        for (int cls = 1; cls < availableSpans.length; cls++) {
            availableSpans[cls].forEach(visitor);
        }
    }
}
