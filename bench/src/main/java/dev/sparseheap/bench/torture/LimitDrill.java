/*
 * The memory limit hit on purpose: a heap built with Builder.memoryLimit is filled with 1 MiB
 * objects until it throws OutOfMemoryError. The error must come (within twice the limit's worth
 * of objects), the pages in use must stay within the limit, every object allocated before it must
 * be intact, and the heap must stay usable: after half the objects are freed, the same
 * allocation succeeds again. Then everything is freed and the heap verified.
 */
package dev.sparseheap.bench.torture;

import dev.sparseheap.SparseHeap;

import java.util.ArrayList;

/** One drill on a limited heap. Stateless; used by one thread at a time. */
final class LimitDrill {

    /** The limit of the drill's heap. */
    static final long LIMIT_BYTES = 32L << 20;

    private static final long OBJECT_BYTES = 1L << 20;

    private LimitDrill() {
    }

    static void run(SparseHeap limited, Inboxes ids, Tally tally) {
        var held = new ArrayList<Tracked>();
        boolean refused = false;
        for (long i = 0; i < 2 * LIMIT_BYTES / OBJECT_BYTES && !refused; i++) {
            try {
                held.add(Operations.malloc(limited, OBJECT_BYTES, ids.nextId(), tally));
            } catch (OutOfMemoryError expected) {
                refused = true;
                tally.limitOutOfMemory.increment();
            }
        }
        held.removeIf(java.util.Objects::isNull);
        if (!refused) {
            tally.violation("a heap limited to %d bytes gave out %d objects of %d bytes without OutOfMemoryError"
                    .formatted(LIMIT_BYTES, held.size(), OBJECT_BYTES));
        }
        long inUse = limited.stats().inUseBytes();
        if (inUse > LIMIT_BYTES) {
            tally.violation("a heap limited to %d bytes has %d bytes in use".formatted(LIMIT_BYTES, inUse));
        }
        for (int i = held.size() - 1; i >= 0; i -= 2) {
            Operations.free(limited, held.remove(i), tally);
        }
        try {
            held.add(Operations.malloc(limited, OBJECT_BYTES, ids.nextId(), tally));
        } catch (OutOfMemoryError e) {
            tally.violation("after freeing half, the limited heap still refuses %d bytes: %s".formatted(OBJECT_BYTES, e));
        }
        for (Tracked object : held) {
            if (object != null) {
                Operations.free(limited, object, tally);
            }
        }
        Checkpoint.verify(limited, "of the limited heap", tally);
    }
}
