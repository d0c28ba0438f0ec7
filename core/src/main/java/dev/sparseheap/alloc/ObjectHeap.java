/*
 * The object allocator: size classes, thread caches, central lists and large objects over one
 * page heap.
 *
 * Small allocation (<= 32 KiB, alignment within the class's natural alignment):
 *   size -> class by table lookup; find the thread cache the calling thread leases (its home
 *   slot by a hash of the thread id, one load, one compare; see ThreadCaches for threads
 *   without a lease); take a
 *   slot of the cache's current span of the class (bit scan, one CAS on the bitmap word).
 *   No lock, no Java object allocated. When the span has no free slot left the cache first
 *   counts the span's free slots again (frees since its last count), then trades the span for another one at the class's
 *   central list (class lock), which takes a new span from the page heap when it has none.
 * Free (any thread): the span the calling thread's leased cache last freed into, when it is
 *   still live and holds the address (no lookup: a loop freeing what it allocated stays in
 *   one span), else the span map through the arena index (lock-free); for a small object
 *   one CAS on the bitmap word and a load of the span's state; the class lock only when the
 *   span changes state. For a large object its span goes back to the page
 *   heap.
 * Large allocation: a span of its own with the requested alignment.
 *
 * Every address returned carries, in its low bit, whether the object may hold old bytes
 * (DIRTY), so that callers zero only when needed; the bit is free because objects are at least
 * 8-byte aligned.
 *
 * Addresses are validated through the page heap's span map before anything changes: an
 * address no live span holds, an address inside an object, and a double free each throw
 * IllegalArgumentException.
 */
package dev.sparseheap.alloc;

import dev.sparseheap.arena.HeapArena;
import dev.sparseheap.page.PageHeap;
import dev.sparseheap.page.Span;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Allocates and frees objects of any size over a {@link PageHeap}.
 *
 * <p>Thread safety: safe for concurrent use by any number of threads; allocation and free of
 * small objects take no lock in the common case. Sizes and alignments are validated by the
 * caller (see each method); addresses are validated here.
 */
public final class ObjectHeap {

    /** Low bit of an address returned by the allocation methods: the object may hold old bytes. */
    public static final long DIRTY = SmallSpan.DIRTY;

    private final PageHeap pageHeap;
    private final CentralList[] centrals;
    private final ThreadCaches caches;
    private final LargeObjects large;
    private final BadFrees badFrees;
    private volatile boolean closed;

    /**
     * @param pageHeap     where spans come from
     * @param threadCaches whether to keep per-thread caches; without them every small allocation
     *                     takes its class lock
     * @param badFrees     where rejected frees are counted
     */
    public ObjectHeap(PageHeap pageHeap, boolean threadCaches, BadFrees badFrees) {
        this.pageHeap = pageHeap;
        this.badFrees = badFrees;
        this.centrals = new CentralList[SizeClasses.count()];
        for (int cls = 1; cls < centrals.length; cls++) {
            centrals[cls] = new CentralList(cls, pageHeap);
        }
        this.caches = threadCaches ? new ThreadCaches(Runtime.getRuntime().availableProcessors()) : null;
        this.large = new LargeObjects(pageHeap);
    }

    /**
     * Allocates {@code size} bytes, {@code 0 <= size}, 16-byte aligned from 16 bytes up.
     *
     * @return the address, with {@link #DIRTY} set when the object may hold old bytes
     * @throws OutOfMemoryError when the page heap cannot supply the pages
     */
    public long allocate(long size) {
        if (size <= SizeClasses.MAX_SMALL_SIZE) {
            return allocateSmall(SizeClasses.classOf(size));
        }
        return large.allocate(size, HeapArena.PAGE_SIZE);
    }

    /**
     * Allocates {@code size} bytes at an address aligned to {@code alignment}, a power of two.
     *
     * @return the address, with {@link #DIRTY} set when the object may hold old bytes
     * @throws OutOfMemoryError when the page heap cannot supply the pages
     */
    public long allocateAligned(long size, long alignment) {
        int cls = SizeClasses.classOf(size, alignment);
        if (cls != 0) {
            return allocateSmall(cls);
        }
        return large.allocate(size, alignment);
    }

    private long allocateSmall(int cls) {
        ThreadCaches all = caches;
        if (all != null) {
            Thread self = Thread.currentThread();
            ThreadCache leased = all.heldAtHome(self);
            if (leased != null) {
                return leased.allocate(cls, centrals);
            }
            return allocateWithoutLease(all, self, cls);
        }
        return allocateUncached(cls);
    }

    private long allocateWithoutLease(ThreadCaches all, Thread self, int cls) {
        ThreadCache leased = all.lease(self);
        if (leased != null) {
            return leased.allocate(cls, centrals);
        }
        ThreadCache claimed = all.claim(self);
        if (claimed == null) {
            return allocateUncached(cls);
        }
        try {
            return claimed.allocate(cls, centrals);
        } finally {
            claimed.release();
        }
    }

    private long allocateUncached(int cls) {
        if (closed) {
            throw new IllegalStateException("the heap is closed");
        }
        return centrals[cls].allocateShared();
    }

    /**
     * Ends allocation: every cache is given to the closed marker for good, leases included, so
     * that later small allocations and frees take the uncached path, which reports the closed
     * heap, as the page heap does for everything else.
     * Must not race with other calls.
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
     * @throws IllegalArgumentException when no live object starts at {@code address}; nothing changes
     */
    public void free(long address) {
        try {
            freeChecked(address);
        } catch (IllegalArgumentException badFree) {
            throw badFrees.thrown(badFree);
        }
    }

    /** Rejected frees so far, thrown or found late. */
    public long badFrees() {
        return badFrees.count();
    }

    private void freeChecked(long address) {
        ThreadCaches all = caches;
        ThreadCache cache = all == null ? null : all.heldAtHome(Thread.currentThread());
        if (cache != null) {
            SmallSpan recent = cache.recentFreeHolding(address);
            if (recent != null) {
                recent.free(address);
                return;
            }
        }
        Span span = pageHeap.spanOf(address);
        if (span instanceof SmallSpan small) {
            if (cache != null) {
                cache.setRecentFree(small);
            }
            small.free(address);
        } else if (span instanceof LargeSpan big) {
            large.free(big, address);
        } else {
            throw notHeapAddress(address);
        }
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
     * Gives cached spans back to their central lists, so that spans with no live object go back
     * to the page heap: those of the calling thread's cache, of free caches, and of caches whose
     * leasing thread has died (their leases end here). Caches that other live threads hold keep
     * their spans, one per size class at most.
     */
    public void flushCaches() {
        if (caches != null) {
            caches.forEachReachable(Thread.currentThread(), cache -> cache.flush(centrals));
        }
        for (int cls = 1; cls < centrals.length; cls++) {
            centrals[cls].flushShared();
        }
    }

    /** Number of thread caches (0 when caches are off); fixed for the life of the heap. */
    public int threadCacheCount() {
        return caches == null ? 0 : caches.count();
    }

    /** Counters of every size class, class 1 first. */
    public List<ClassUsage> classUsage() {
        List<ClassUsage> usage = new ArrayList<>(centrals.length - 1);
        for (int cls = 1; cls < centrals.length; cls++) {
            long allocations = centrals[cls].sharedAllocations();
            if (caches != null) {
                for (int i = 0; i < caches.count(); i++) {
                    allocations += caches.get(i).allocations(cls);
                }
            }
            long[] spansLiveBitmaps = new long[3];
            centrals[cls].forEachSpan(span -> {
                spansLiveBitmaps[0]++;
                spansLiveBitmaps[1] += span.allocatedObjects();
                spansLiveBitmaps[2] += span.bitmapBytes();
            });
            usage.add(new ClassUsage(cls, SizeClasses.objectSize(cls), spansLiveBitmaps[0], spansLiveBitmaps[1],
                    allocations, allocations - spansLiveBitmaps[1], spansLiveBitmaps[2]));
        }
        return usage;
    }

    /** Counters of the large objects. */
    public LargeUsage largeUsage() {
        return large.usage();
    }

    /**
     * Checks every invariant of the object layer; call it while no other thread allocates or
     * frees. Problems are added to {@code problems}, one sentence each.
     *
     * <ul>
     *   <li>every span is live in the page heap and found by the span map at both ends;</li>
     *   <li>no two spans overlap, so no two live objects do;</li>
     *   <li>the bitmap's tail bits are intact and it has at least the free slots its owner counts;</li>
     *   <li>each span's state matches where it is and what its bitmap holds: one cache or the
     *       shared slot for CACHED, the partial list for PARTIAL (at least its reuse threshold of
     *       free slots), nowhere for FULL (fewer free slots than that);</li>
     *   <li>the bytes of all spans add up to the page heap's in-use bytes.</li>
     * </ul>
     */
    public void verify(List<String> problems) {
        Map<SmallSpan, Integer> holders = new IdentityHashMap<>();
        if (caches != null) {
            for (int i = 0; i < caches.count(); i++) {
                caches.get(i).forEachCurrent(span -> holders.merge(span, 1, Integer::sum));
            }
        }
        List<Span> spans = new ArrayList<>();
        for (int cls = 1; cls < centrals.length; cls++) {
            CentralList central = centrals[cls];
            int[] partial = new int[1];
            central.forEachSpan(span -> {
                spans.add(span);
                boolean shared = central.isSharedSpan(span);
                int held = holders.getOrDefault(span, 0) + (shared ? 1 : 0);
                verifySmall(span, held, problems);
                if (span.state() == SmallSpan.PARTIAL) {
                    partial[0]++;
                }
            });
            if (central.partialCount() != partial[0]) {
                problems.add("class %d has %d spans in its partial list but %d spans in state PARTIAL"
                        .formatted(cls, central.partialCount(), partial[0]));
            }
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

    private static void verifySmall(SmallSpan span, int holders, List<String> problems) {
        int state = span.state();
        int clear = span.freeObjects();
        if (!span.tailIntact()) {
            problems.add("tail bits past the last object were cleared: " + span);
        }
        if (state == SmallSpan.CACHED && clear < span.ownerFree()) {
            problems.add("%s has %d free slots in its bitmap but its owner counts %d"
                    .formatted(span, clear, span.ownerFree()));
        }
        boolean listed = span.central().isPartialListed(span);
        String where = switch (state) {
            case SmallSpan.CACHED -> holders == 1 && !listed ? null : "held %d times, listed %b".formatted(holders, listed);
            case SmallSpan.PARTIAL -> holders == 0 && listed && clear >= span.reuseThreshold() && clear < span.objects()
                    ? null : "held %d times, listed %b, %d free".formatted(holders, listed, clear);
            case SmallSpan.FULL -> holders == 0 && !listed && clear < span.reuseThreshold()
                    ? null : "held %d times, listed %b, %d free".formatted(holders, listed, clear);
            default -> "registered in state " + state;
        };
        if (where != null) {
            problems.add("%s in state %d is misplaced: %s".formatted(span, state, where));
        }
    }

    private static IllegalArgumentException notHeapAddress(long address) {
        return new IllegalArgumentException(String.format(
                "0x%x is not a heap object: no live span of this heap holds it", address));
    }
}
