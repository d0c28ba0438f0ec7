/*
 * The fixed set of thread caches of one heap, and who holds which.
 *
 * Size: twice the available processors rounded up to a power of two, at least 8. At most as
 * many threads as there are processors run at once, so this leaves room for every running
 * thread plus as many again; the floor of 8 leaves small machines room for a long-lived thread
 * (a main thread that set things up) next to the workers.
 *
 * Leases and claims (see ThreadCache). A platform thread leases its home cache the first time
 * it allocates and keeps it until it dies; afterwards each allocation finds its cache with a
 * hash of the thread id, one load and one compare, and no atomic instruction. Leases are taken
 * at home only, so a thread never has to look for its lease anywhere else. At most half of the
 * caches are leased at a time (a counter, touched only when a lease begins or ends), so the
 * other half always serves claims: virtual threads, which must not hold a cache while they are
 * unmounted, and platform threads whose home is leased by another live thread (or that came
 * when every lease was taken) claim a cache for one allocation at a time, at the cost of one
 * CAS. When every cache is held at once the allocation goes through the class's shared span
 * under the class lock instead of waiting.
 *
 * Dead holders. A lease whose thread has died passes to the next platform thread with the same
 * home that allocates; a thread whose home is free but finds the limit reached looks for dead
 * leases and ends them, on every sixteenth such call (a look on every call would double the
 * cost of claiming while live threads hold every lease); every tidy ends them too. So the
 * number of caches stays fixed however many threads come and go, and nothing a dead thread
 * cached stays out of reach.
 *
 * Home slot: the thread id, mixed by a multiplicative hash, so that consecutive ids spread.
 */
package dev.sparseheap.alloc;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The bounded set of thread caches.
 *
 * <p>Thread safety: safe for concurrent use; taking and giving back caches is lock-free.
 */
final class ThreadCaches {

    private static final long GOLDEN_GAMMA = 0x9E37_79B9_7F4A_7C15L;
    /** Calls finding the lease limit reached between two looks for dead leases; a power of two. */
    private static final int DEAD_LOOK_INTERVAL = 16;

    private final ThreadCache[] caches;
    private final int mask;
    private final int leaseLimit;
    /** Leases begun and not yet ended; at most leaseLimit but for a moment while one begins. */
    private final AtomicInteger leases = new AtomicInteger();
    /**
     * Calls of {@link #lease} that found a free home but the limit reached; a plain counter
     * shared on purpose by all threads, since a lost update only delays the next look.
     */
    private int leaselessCalls;

    ThreadCaches(int processors, ClassSpans[] classes, BadFrees badFrees, MemoryClearer clearer) {
        int count = Math.max(8, Integer.highestOneBit(Math.max(1, 2 * processors) * 2 - 1));
        caches = new ThreadCache[count];
        for (int i = 0; i < count; i++) {
            caches[i] = new ThreadCache(classes, this, badFrees, clearer);
        }
        mask = count - 1;
        leaseLimit = count / 2;
    }

    /** The cache {@code thread} holds when it holds its home cache, else null. */
    ThreadCache heldAtHome(Thread thread) {
        ThreadCache cache = caches[home(thread)];
        return cache.isHeldBy(thread) ? cache : null;
    }

    /**
     * A new lease of its home cache for {@code thread}, a platform thread that does not hold
     * it: when the cache is free and fewer than half the caches are leased (counting leases of
     * dead threads until a look ends them), or when the thread that leased it has died (the
     * lease passes over). Else null, and the thread claims caches call by call.
     */
    ThreadCache lease(Thread thread) {
        if (thread.isVirtual()) {
            return null;
        }
        ThreadCache home = caches[home(thread)];
        if (home.tryTakeFromDead(thread)) {
            return home;
        }
        if (home.isFree() && leases.get() >= leaseLimit && (++leaselessCalls & (DEAD_LOOK_INTERVAL - 1)) == 0) {
            endDeadLeases(thread);
        }
        if (home.isFree() && leases.get() < leaseLimit) {
            if (leases.incrementAndGet() <= leaseLimit && home.tryTake(thread)) {
                return home;
            }
            leases.decrementAndGet();
        }
        return null;
    }

    /** Ends every lease whose thread has died, so that its place under the limit is free again. */
    private void endDeadLeases(Thread thread) {
        for (ThreadCache cache : caches) {
            if (cache.tryTakeFromDead(thread)) {
                cache.release();
                leases.decrementAndGet();
            }
        }
    }

    /**
     * Claims a cache for one allocation by {@code thread}, or returns null when every cache is
     * held; the caller gives it back with {@link ThreadCache#release()}.
     */
    ThreadCache claim(Thread thread) {
        int start = home(thread);
        for (int i = 0; i < caches.length; i++) {
            ThreadCache cache = caches[(start + i) & mask];
            if (cache.tryTake(thread)) {
                return cache;
            }
        }
        return null;
    }

    /**
     * Calls {@code action}, on the calling {@code thread}, with every cache it can hold now: its
     * own lease, every free cache (claimed for the call) and every cache leased by a thread that
     * has died (whose lease ends here). Caches that live threads hold are skipped.
     */
    void forEachReachable(Thread thread, Consumer<ThreadCache> action) {
        for (ThreadCache cache : caches) {
            if (cache.isHeldBy(thread)) {
                action.accept(cache);
            } else if (cache.tryTake(thread)) {
                try {
                    action.accept(cache);
                } finally {
                    cache.release();
                }
            } else if (cache.tryTakeFromDead(thread)) {
                leases.decrementAndGet();
                try {
                    action.accept(cache);
                } finally {
                    cache.release();
                }
            }
        }
    }

    /**
     * Collects the inbox of {@code cache} on the calling {@code thread} when nobody holds the
     * cache: it is free (claimed for the call), or leased by a thread that has died (the lease
     * ends here). Does nothing when a live thread holds it: that thread collects it itself.
     */
    void collectIfUnheld(ThreadCache cache, Thread thread) {
        boolean wasFree = cache.tryTake(thread);
        if (!wasFree && !cache.tryTakeFromDead(thread)) {
            return;
        }
        if (!wasFree) {
            leases.decrementAndGet();
        }
        try {
            cache.collectInbox();
        } finally {
            cache.release();
        }
    }

    /** Gives every cache to the closed marker for good, so that later allocations take the uncached path. */
    void closeAll() {
        for (ThreadCache cache : caches) {
            cache.closeForever();
        }
    }

    /** Number of caches: fixed for the life of the heap. */
    int count() {
        return caches.length;
    }

    /** The cache in slot {@code index}. */
    ThreadCache get(int index) {
        return caches[index];
    }

    /** Caches leased to threads now (a racy count while threads come and go). */
    int leaseCount() {
        return leases.get();
    }

    /** The home slot of {@code thread}. */
    int home(Thread thread) {
        return (int) ((thread.threadId() * GOLDEN_GAMMA) >>> 40) & mask;
    }
}
