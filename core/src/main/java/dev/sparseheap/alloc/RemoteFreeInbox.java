/*
 * Where other threads tell a thread cache that they freed into its spans.
 *
 * A lock-free stack (Treiber) of spans linked through SmallSpan.nextInInbox. Any thread pushes;
 * only the cache's holder takes, and it always takes the whole stack at once with one atomic
 * exchange, so no pop ever races a push for one node and the ABA problem of single pops cannot
 * arise. A span is pushed at most once until it is taken (SmallSpan's pending notice), so a
 * span is never in the stack twice.
 */
package dev.sparseheap.alloc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The remote-free inbox of one thread cache.
 *
 * <p>Thread safety: {@link #post} may be called by any thread; {@link #takeAll} only by the
 * holder of the cache.
 */
final class RemoteFreeInbox {

    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(RemoteFreeInbox.class, "head", SmallSpan.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through HEAD
    private volatile SmallSpan head;

    /** Pushes {@code span}, which is in no inbox. */
    void post(SmallSpan span) {
        SmallSpan first;
        do {
            first = (SmallSpan) HEAD.getAcquire(this);
            span.nextInInbox = first;
        } while (!HEAD.compareAndSet(this, first, span));
    }

    /** Takes every span posted so far, linked through nextInInbox, or null when there is none. */
    SmallSpan takeAll() {
        return HEAD.getOpaque(this) == null ? null : (SmallSpan) HEAD.getAndSet(this, (SmallSpan) null);
    }
}
