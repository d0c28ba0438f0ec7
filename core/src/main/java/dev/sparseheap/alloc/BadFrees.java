/*
 * The heap's record of rejected frees.
 *
 * A free that the freeing thread can see is bad (foreign, interior, double, through the wrong
 * allocator) is thrown to its caller and counted here. A duplicate that no caller could see —
 * two threads racing to free one object, both calls returning — is found later, when the
 * span's owner merges the frees other threads posted; it is counted here as well and handed
 * to the heap's handler, since no caller is left to throw it to. The count is therefore one per
 * bad free, thrown or late, never zero and never two for one racing pair.
 */
package dev.sparseheap.alloc;

import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Counts rejected frees and delivers late ones to a handler.
 *
 * <p>Thread safety: safe for concurrent use. The handler is called on the thread that found the
 * duplicate, outside any lock of the heap; an exception it throws is not propagated.
 */
public final class BadFrees {

    private static final System.Logger LOG = System.getLogger("dev.sparseheap");

    private final LongAdder count = new LongAdder();
    private final Consumer<IllegalArgumentException> lateHandler;

    /** @param lateHandler receives each duplicate found after both frees returned */
    public BadFrees(Consumer<IllegalArgumentException> lateHandler) {
        this.lateHandler = Objects.requireNonNull(lateHandler);
    }

    /** The default handler: a warning through the {@code dev.sparseheap} system logger. */
    public static void logWarning(IllegalArgumentException badFree) {
        LOG.log(System.Logger.Level.WARNING, badFree.getMessage(), badFree);
    }

    /** Counts a bad free that was thrown to its caller, and returns it for throwing. */
    public IllegalArgumentException thrown(IllegalArgumentException badFree) {
        count.increment();
        return badFree;
    }

    /** Counts a duplicate found after both frees returned and hands it to the handler. */
    void late(IllegalArgumentException badFree) {
        count.increment();
        try {
            lateHandler.accept(badFree);
        } catch (RuntimeException handlerFailure) {
            LOG.log(System.Logger.Level.ERROR, "the bad-free handler failed", handlerFailure);
        }
    }

    /** Rejected frees so far, thrown or late. */
    public long count() {
        return count.sum();
    }
}
