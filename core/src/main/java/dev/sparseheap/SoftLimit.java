/*
 * A soft limit with its reclaim callback, for a heap or a child allocator.
 *
 * When an allocation would take the figure the limit bounds past it, the callback is called
 * with the bytes by which it would, and may free memory; then the allocation goes ahead. When
 * an allocation fails against a hard limit, the callback is called once more and the
 * allocation retried once (as Arrow's onFailedAllocation); only then does it fail. One call at
 * a time per limit: a callback that allocates, or other threads passing the limit meanwhile,
 * go ahead without calling it again.
 */
package dev.sparseheap;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;

/**
 * A soft limit in bytes and the callback that may reclaim memory when it is passed.
 *
 * <p>Thread safety: safe for concurrent use; the callback runs on the allocating thread, at
 * most one at a time.
 */
final class SoftLimit {

    private final long bytes;
    private final LongConsumer reclaimer;
    private final AtomicBoolean reclaiming = new AtomicBoolean();

    SoftLimit(long bytes, LongConsumer reclaimer) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("soft limit " + bytes + " is not positive");
        }
        this.bytes = bytes;
        this.reclaimer = Objects.requireNonNull(reclaimer, "reclaimer");
    }

    /** The limit in bytes. */
    long bytes() {
        return bytes;
    }

    /** Calls the callback when {@code current + size} passes the limit. */
    void beforeAllocation(long current, long size) {
        long excess = current + size - bytes;
        if (excess > 0) {
            reclaim(excess);
        }
    }

    /** Calls the callback with {@code wanted} unless a call is running; true when this call ran it. */
    boolean reclaim(long wanted) {
        if (!reclaiming.compareAndSet(false, true)) {
            return false;
        }
        try {
            reclaimer.accept(wanted);
            return true;
        } finally {
            reclaiming.set(false);
        }
    }
}
