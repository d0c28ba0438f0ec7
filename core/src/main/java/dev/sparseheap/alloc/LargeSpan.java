/*
 * A large object: one object of more than MAX_SMALL_SIZE bytes (or with an alignment no size
 * class offers) in a span of its own. Its usable size is the whole span.
 *
 * Freeing races: two threads may free the same large object at once. The freed flag is set by
 * CAS before the pages go back, so exactly one of them frees the span and the other reports a
 * double free; a free that finds the span no longer live in the span map reports the same.
 */
package dev.sparseheap.alloc;

import dev.sparseheap.page.Span;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The span of one large object.
 *
 * <p>Thread safety: {@link #claimFree()} is atomic and may be called from any thread; the
 * span's membership in the registry is guarded by the {@link LargeObjects} lock.
 */
final class LargeSpan extends Span {

    private static final VarHandle FREED;

    static {
        try {
            FREED = MethodHandles.lookup().findVarHandle(LargeSpan.class, "freed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through FREED
    private volatile boolean freed;

    LargeSpan(long base, long pages, boolean needsZero) {
        super(base, pages, needsZero);
    }

    /** Marks the object freed; true for exactly one caller. */
    boolean claimFree() {
        return FREED.compareAndSet(this, false, true);
    }

    /** Whether the object has been freed (or is being freed). */
    boolean isFreed() {
        return freed;
    }
}
