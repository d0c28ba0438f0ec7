/*
 * The object allocator: size classes, thread caches that own their spans, and large objects
 * over one page heap.
 *
 * Small allocation (<= 32 KiB, alignment within the class's natural alignment):
 *   size -> class by table lookup; the thread cache the calling thread leases (its home slot
 *   by a hash of the thread id, one load, one compare; see ThreadCaches for threads without a
 *   lease); the lowest ready bit of the cache's current span of the class. Plain loads and
 *   stores only: no atomic instruction, no volatile store, no lock. The rare cases (the span
 *   ran out) are ThreadCache's slow path.
 * Free: the span the calling thread's leased cache last freed into, when it holds the address
 *   (no lookup: a loop freeing what it allocated stays in one span), else the span map through
 *   the arena index (lock-free). A small object in a span of the caller's own cache is freed
 *   locally (plain loads and stores, as allocation); any other small object is freed remotely
 *   (one atomic OR on the span's remote bitmap; see SmallSpan). A large object's span goes back
 *   to the page heap.
 * Large allocation: a span of its own with the requested alignment.
 * No cache: when caches are off, or every cache is held at once, allocation goes through a
 *   shared cache under one lock; frees into its spans are remote frees like any other.
 *
 * Zeroing: allocateZeroed asks the span that served the object whether it may hold old bytes
 * (SmallSpan.mayHoldOldBytes, LargeObjects) and clears only then, through the heap's
 * MemoryClearer.
 *
 * Addresses are validated through the page heap's span map before anything changes: an
 * address no live span holds, an address inside an object, and a double free each throw
 * IllegalArgumentException, counted in BadFrees. Two threads racing to free one object free it
 * once; the duplicate is thrown, or found when the owner collects (SmallSpan).
 */
package dev.sparseheap.alloc;

import dev.sparseheap.arena.HeapArena;
import dev.sparseheap.page.PageHeap;
import dev.sparseheap.page.Span;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Allocates and frees objects of any size over a {@link PageHeap}.
 *
 * <p>Thread safety: safe for concurrent use by any number of threads; allocation and free of
 * small objects take no lock and, on the owning thread, no atomic instruction in the common
 * case. Sizes and alignments are validated by the caller (see each method); addresses are
 * validated here.
 */
public final class ObjectHeap {

    private final PageHeap pageHeap;
    private final ClassSpans[] classes;
    private final ThreadCaches caches;
    /** Serves allocations that have no cache; guarded by sharedLock. */
    private final ThreadCache shared;
    private final ReentrantLock sharedLock = new ReentrantLock();
    private final LargeObjects large;
    private final BadFrees badFrees;
    private volatile boolean closed;

    /**
     * @param pageHeap     where spans come from
     * @param threadCaches whether to keep per-thread caches; without them every small allocation
     *                     takes one lock
     * @param badFrees     where rejected frees are counted
     * @param clearer      how objects that may hold old bytes are zeroed
     */
    public ObjectHeap(PageHeap pageHeap, boolean threadCaches, BadFrees badFrees, MemoryClearer clearer) {
        this.pageHeap = pageHeap;
        this.badFrees = badFrees;
        this.classes = new ClassSpans[SizeClasses.count()];
        for (int cls = 1; cls < classes.length; cls++) {
            classes[cls] = new ClassSpans(cls, pageHeap);
        }
        this.caches = threadCaches
                ? new ThreadCaches(Runtime.getRuntime().availableProcessors(), classes, badFrees, clearer)
                : null;
        this.shared = new ThreadCache(classes, null, badFrees, clearer);
        this.large = new LargeObjects(pageHeap, clearer);
    }

    /**
     * Allocates {@code size} bytes, {@code 0 <= size}, 16-byte aligned from 16 bytes up;
     * contents unspecified.
     *
     * @throws OutOfMemoryError when the page heap cannot supply the pages
     */
    public long allocate(long size) {
        if (size <= SizeClasses.MAX_SMALL_SIZE) {
            return allocateSmall(SizeClasses.classOf(size), -1);
        }
        return large.allocate(size, HeapArena.PAGE_SIZE, false);
    }

    /**
     * Allocates {@code size} bytes at an address aligned to {@code alignment}, a power of two;
     * contents unspecified.
     *
     * @throws OutOfMemoryError when the page heap cannot supply the pages
     */
    public long allocateAligned(long size, long alignment) {
        int cls = SizeClasses.classOf(size, alignment);
        if (cls == 0) {
            return large.allocate(size, alignment, false);
        }
        return allocateSmall(cls, -1);
    }

    /**
     * Allocates {@code size} zeroed bytes at an address aligned to {@code alignment}, a power of
     * two, writing zeros only where the memory may hold old bytes.
     *
     * @throws OutOfMemoryError when the page heap cannot supply the pages
     */
    public long allocateZeroed(long size, long alignment) {
        int cls = SizeClasses.classOf(size, alignment);
        if (cls == 0) {
            return large.allocate(size, alignment, true);
        }
        return allocateSmall(cls, size);
    }

    /**
     * Allocates an object of class {@code cls}, zeroing its first {@code zeroBytes} when that is
     * not negative. Callers pass a constant -1 or a size, so once inlined the choice costs nothing.
     */
    private long allocateSmall(int cls, long zeroBytes) {
        ThreadCaches all = caches;
        if (all != null) {
            ThreadCache leased = all.heldAtHome(Thread.currentThread());
            if (leased != null) {
                return zeroBytes < 0 ? leased.allocate(cls) : leased.allocateZeroed(cls, zeroBytes);
            }
        }
        return allocateWithoutLease(cls, zeroBytes);
    }

    private long allocateWithoutLease(int cls, long zeroBytes) {
        ThreadCaches all = caches;
        if (all != null) {
            Thread self = Thread.currentThread();
            ThreadCache leased = all.lease(self);
            if (leased != null) {
                return zeroBytes < 0 ? leased.allocate(cls) : leased.allocateZeroed(cls, zeroBytes);
            }
            ThreadCache claimed = all.claim(self);
            if (claimed != null) {
                try {
                    return zeroBytes < 0 ? claimed.allocate(cls) : claimed.allocateZeroed(cls, zeroBytes);
                } finally {
                    claimed.release();
                }
            }
        }
        sharedLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the heap is closed");
            }
            return zeroBytes < 0 ? shared.allocate(cls) : shared.allocateZeroed(cls, zeroBytes);
        } finally {
            sharedLock.unlock();
        }
    }

    /**
     * Ends allocation: every cache is given to the closed marker for good, leases included, so
     * that later small allocations take the shared path, which reports the closed heap, as the
     * page heap does for everything else. Must not race with other calls.
     */
    public void close() {
        closed = true;
        if (caches != null) {
            caches.closeAll();
        }
    }

    /**
     * Frees the object at {@code address}.
     *
     * @throws IllegalArgumentException when no live object starts at {@code address}; nothing
     *                                  changes, and the rejection is counted
     */
    public void free(long address) {
        try {
            ThreadCaches all = caches;
            ThreadCache cache = all == null ? null : all.heldAtHome(Thread.currentThread());
            if (cache != null) {
                SmallSpan recent = cache.recentFreeHolding(address);
                if (recent != null) {
                    cache.freeLocal(recent, address);
                    return;
                }
            }
            freeFound(cache, address);
        } catch (IllegalArgumentException badFree) {
            throw badFrees.thrown(badFree);
        }
    }

    /** A free whose span is found through the span map; {@code cache} is the caller's lease or null. */
    private void freeFound(ThreadCache cache, long address) {
        Span span = pageHeap.spanOf(address);
        if (span instanceof SmallSpan small) {
            if (small.owner() == cache) {
                cache.setRecentFree(small);
                cache.freeLocal(small, address);
            } else {
                small.freeRemote(address);
            }
        } else if (span instanceof LargeSpan big) {
            large.free(big, address);
        } else {
            throw notHeapAddress(address);
        }
    }

    /** Rejected frees so far, thrown or found late. */
    public long badFrees() {
        return badFrees.count();
    }

    /**
     * Bytes usable at {@code address}, the start of a live object.
     *
     * @throws IllegalArgumentException when no live object starts at {@code address}
     */
    public long usableSize(long address) {
        Span span = pageHeap.spanOf(address);
        if (span instanceof SmallSpan small && small.isAllocated(address)) {
            return small.objectSize();
        }
        if (span instanceof LargeSpan big && address == big.base() && !big.isFreed()) {
            return big.bytes();
        }
        throw new IllegalArgumentException(String.format("0x%x is not the start of a live object", address));
    }

    /** The start of the live object holding {@code address}, or 0 when none does. */
    public long objectBase(long address) {
        Span span = pageHeap.spanOf(address);
        if (span instanceof SmallSpan small) {
            return small.objectBase(address);
        }
        if (span instanceof LargeSpan big && !big.isFreed()) {
            return big.base();
        }
        return 0;
    }

    /**
     * Whether the live object at {@code address}, of {@code usable} bytes, can hold
     * {@code newSize} bytes in place without wasting more than its size class (small objects)
     * or an eighth of its span (large objects) would.
     */
    public boolean fitsInPlace(long address, long usable, long newSize) {
        if (newSize > usable) {
            return false;
        }
        if (usable <= SizeClasses.MAX_SMALL_SIZE) {
            return SizeClasses.objectSize(SizeClasses.classOf(newSize)) == usable
                    || usable - newSize <= usable / 8;
        }
        return newSize > SizeClasses.MAX_SMALL_SIZE
                && usable - newSize < Math.max(HeapArena.PAGE_SIZE, usable / 8);
    }

    /**
     * Settles the caches this thread can hold: every remote free posted to them is collected
     * (duplicates of racing frees are counted in BadFrees now), and every span with no live
     * object goes back to the page heap — current spans too when {@code includingCurrent}.
     * Reached are the calling thread's own cache, free caches (claimed for the call), caches
     * whose leasing thread has died (their leases end here), and the shared cache. Caches that
     * other live threads hold are left to their holders, who settle them on their next slow path.
     */
    public void settleCaches(boolean includingCurrent) {
        if (caches != null) {
            caches.forEachReachable(Thread.currentThread(), cache -> cache.tidy(includingCurrent));
        }
        sharedLock.lock();
        try {
            shared.tidy(includingCurrent);
        } finally {
            sharedLock.unlock();
        }
    }

    /** Number of thread caches (0 when caches are off); fixed for the life of the heap. */
    public int threadCacheCount() {
        return caches == null ? 0 : caches.count();
    }

    /** Counters of every size class, class 1 first; exact at rest, racy while threads work. */
    public List<ClassUsage> classUsage() {
        List<ClassUsage> usage = new ArrayList<>(classes.length - 1);
        for (int cls = 1; cls < classes.length; cls++) {
            long retiredFrees = shared.retiredFrees(cls);
            if (caches != null) {
                for (int i = 0; i < caches.count(); i++) {
                    retiredFrees += caches.get(i).retiredFrees(cls);
                }
            }
            long[] spansLiveFreesBitmaps = new long[4];
            classes[cls].forEachSpan(span -> {
                int pending = span.pendingRemoteFrees();
                spansLiveFreesBitmaps[0]++;
                spansLiveFreesBitmaps[1] += span.live() - pending;
                spansLiveFreesBitmaps[2] += span.frees() + pending;
                spansLiveFreesBitmaps[3] += span.bitmapBytes();
            });
            long live = spansLiveFreesBitmaps[1];
            long frees = spansLiveFreesBitmaps[2] + retiredFrees;
            usage.add(new ClassUsage(cls, SizeClasses.objectSize(cls), spansLiveFreesBitmaps[0], live,
                    live + frees, frees, spansLiveFreesBitmaps[3]));
        }
        return usage;
    }

    /** Counters of the large objects. */
    public LargeUsage largeUsage() {
        return large.usage();
    }

    /**
     * Checks every invariant of the object layer; call it while no other thread allocates or
     * frees, after {@link #settleCaches}. Problems are added to {@code problems}, one sentence each.
     *
     * <ul>
     *   <li>every span is live in the page heap and found by the span map at both ends;</li>
     *   <li>no two spans overlap, so no two live objects do;</li>
     *   <li>each span's bitmaps are consistent and agree with its owner's live count;</li>
     *   <li>each span sits where its state says: the current span of its class in its owner,
     *       its owner's available list (with a free slot), or no list (FULL: no free slot);</li>
     *   <li>the bytes of all spans add up to the page heap's in-use bytes.</li>
     * </ul>
     */
    public void verify(List<String> problems) {
        Map<SmallSpan, String> places = new IdentityHashMap<>();
        List<ThreadCache> owners = new ArrayList<>();
        owners.add(shared);
        if (caches != null) {
            for (int i = 0; i < caches.count(); i++) {
                owners.add(caches.get(i));
            }
        }
        for (ThreadCache owner : owners) {
            owner.forEachCurrent(span -> place(places, span, owner, SmallSpan.CURRENT, problems));
            owner.forEachAvailable(span -> place(places, span, owner, SmallSpan.AVAILABLE, problems));
        }
        List<Span> spans = new ArrayList<>();
        for (int cls = 1; cls < classes.length; cls++) {
            classes[cls].forEachSpan(span -> {
                spans.add(span);
                span.verifyBitmaps(problems);
                boolean placed = places.containsKey(span);
                if (span.state == SmallSpan.FULL ? placed || span.live() != span.objects() : !placed) {
                    problems.add("%s in state %d is misplaced (listed: %b, %d live of %d)"
                            .formatted(span, span.state, placed, span.live(), span.objects()));
                }
            });
        }
        large.forEachSpan(span -> {
            spans.add(span);
            if (span.isFreed()) {
                problems.add("freed large span still registered: " + span);
            }
        });
        long bytes = 0;
        for (Span span : spans) {
            bytes += span.bytes();
            if (!span.isLive() || pageHeap.spanOf(span.base()) != span || pageHeap.spanOf(span.end() - 1) != span) {
                problems.add("span not live in the span map: " + span);
            }
        }
        spans.sort((a, b) -> Long.compareUnsigned(a.base(), b.base()));
        for (int i = 1; i < spans.size(); i++) {
            if (spans.get(i).base() < spans.get(i - 1).end()) {
                problems.add("spans overlap: " + spans.get(i - 1) + " and " + spans.get(i));
            }
        }
        long inUse = pageHeap.stats().inUseBytes();
        if (bytes != inUse) {
            problems.add("object spans hold %d bytes but the page heap has %d bytes in use".formatted(bytes, inUse));
        }
    }

    /** Records where {@code span} was found, reporting a span found in two places or with the wrong state or owner. */
    private static void place(Map<SmallSpan, String> places, SmallSpan span, ThreadCache owner, int state,
                              List<String> problems) {
        String where = (state == SmallSpan.CURRENT ? "current" : "available") + " in a cache";
        String earlier = places.put(span, where);
        if (earlier != null) {
            problems.add("%s is both %s and %s".formatted(span, earlier, where));
        }
        if (span.owner() != owner) {
            problems.add("%s is %s that does not own it".formatted(span, where));
        }
        if (span.state != state) {
            problems.add("%s is %s but its state is %d".formatted(span, where, span.state));
        }
        if (state == SmallSpan.AVAILABLE && span.live() == span.objects()) {
            problems.add("%s is %s but has no free slot".formatted(span, where));
        }
        if (!span.isLive()) {
            problems.add("%s is %s but its pages were returned".formatted(span, where));
        }
    }

    private static IllegalArgumentException notHeapAddress(long address) {
        return new IllegalArgumentException(String.format(
                "0x%x is not a heap object: no live span of this heap holds it", address));
    }
}
