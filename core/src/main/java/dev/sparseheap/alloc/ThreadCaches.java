/*
 * The fixed set of thread caches of one heap.
 *
 * Size: twice the available processors, at least 4, rounded up to a power of two. At most as
 * many threads as there are processors run at once, so with twice as many caches a thread
 * nearly always finds its home cache free, and a preempted claimer only costs a probe.
 *
 * Home slot: the thread id, mixed by a multiplicative hash, so that consecutive ids spread.
 * On contention a thread probes the following slots; when every cache is claimed (more threads
 * in the allocator at once than caches, e.g. parked virtual threads) it allocates through the
 * class's shared span under the class lock instead of waiting.
 */
package dev.sparseheap.alloc;

/**
 * The bounded set of thread caches.
 *
 * <p>Thread safety: safe for concurrent use; claiming is lock-free.
 */
final class ThreadCaches {

    private static final long GOLDEN_GAMMA = 0x9E37_79B9_7F4A_7C15L;

    private final ThreadCache[] caches;
    private final int mask;

    ThreadCaches(int processors) {
        int count = Integer.highestOneBit(Math.max(4, 2 * processors) * 2 - 1);
        caches = new ThreadCache[count];
        for (int i = 0; i < count; i++) {
            caches[i] = new ThreadCache();
        }
        mask = count - 1;
    }

    /** Claims a cache for the calling thread, or returns null when all are claimed. */
    ThreadCache claim() {
        int home = (int) ((Thread.currentThread().threadId() * GOLDEN_GAMMA) >>> 40);
        ThreadCache[] all = caches;
        for (int i = 0; i < all.length; i++) {
            ThreadCache cache = all[(home + i) & mask];
            if (cache.tryClaim()) {
                return cache;
            }
        }
        return null;
    }

    /** Claims every cache for good, so that later allocations take the uncached path. */
    void closeAll() {
        for (ThreadCache cache : caches) {
            cache.claimForever();
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
}
