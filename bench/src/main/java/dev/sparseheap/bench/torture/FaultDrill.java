/*
 * Injected OS failures: a fresh heap over a FaultyAddressSpace, used by one platform thread alone
 * for one generation. Because nothing else uses that heap (and its background scavenger is off,
 * so every release happens inside a call of this thread), every error can be traced to its cause:
 *
 *   - OutOfMemoryError from an allocation is accepted only when the space injected a failure
 *     during that very call; a heap that gives up without an injected failure is a violation;
 *   - releaseMemory() may throw IllegalStateException only when a release was injected to fail
 *     during it (the failure the real space reports when madvise fails);
 *   - any other exception is a violation, and after every failure the heap must go on: the
 *     objects held stay intact and verify() passes at the end of the generation.
 *
 * The background scavenger stays off here because a release that fails on its thread would
 * reach no caller; that path is outside what this drill can attribute.
 */
package dev.sparseheap.bench.torture;

import dev.sparseheap.SparseHeap;
import dev.sparseheap.os.LinuxAddressSpace;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A heap with a failing address space, driven by one thread. Confined to that thread. */
final class FaultDrill implements AutoCloseable {

    /** Probability that a reserve, map or release fails. */
    static final double FAILURE_RATE = 0.2;

    private static final int MAX_HELD = 48;
    private static final int RELEASE_EVERY = 64;

    private final FaultyAddressSpace space;
    private final SparseHeap heap;
    private final SplittableRandom random;
    private final Inboxes ids;
    private final Tally tally;
    private final List<Tracked> held = new ArrayList<>();

    FaultDrill(long seed, Inboxes ids, Tally tally) {
        this.random = new SplittableRandom(seed);
        this.space = new FaultyAddressSpace(LinuxAddressSpace.create(), FAILURE_RATE, random.nextLong());
        this.heap = SparseHeap.builder().addressSpace(space).backgroundScavenger(false)
                .onBadFree(e -> tally.violation("the faulty heap reported a bad free nobody made: " + e)).build();
        this.ids = ids;
        this.tally = tally;
    }

    /** Failures injected into this drill's space so far. */
    long injectedFailures() {
        return space.injectedFailures();
    }

    /** Runs until {@code deadlineNanos} or a violation anywhere in the run. */
    void work(long deadlineNanos) {
        try {
            for (long done = 0; System.nanoTime() < deadlineNanos && !tally.failed(); done++) {
                if (done % RELEASE_EVERY == RELEASE_EVERY - 1) {
                    releaseMemory();
                } else if (held.size() >= MAX_HELD || (!held.isEmpty() && random.nextInt(3) == 0)) {
                    Operations.free(heap, held.remove(random.nextInt(held.size())), tally);
                } else {
                    allocate();
                }
            }
        } catch (RuntimeException | Error e) {
            tally.violation("fault drill: unexpected " + e);
        }
    }

    private void allocate() {
        long size = random.nextBoolean() ? 1 + random.nextInt(4096) : random.nextLong(8L << 20);
        long injectedBefore = space.injectedFailures();
        try {
            Tracked object = random.nextInt(4) == 0
                    ? Operations.calloc(heap, size, ids.nextId(), tally)
                    : Operations.malloc(heap, size, ids.nextId(), tally);
            if (object != null) {
                held.add(object);
            }
        } catch (OutOfMemoryError e) {
            tally.faultOutOfMemory.increment();
            if (space.injectedFailures() == injectedBefore) {
                tally.violation("the faulty heap threw OutOfMemoryError for %d bytes with no failure injected: %s"
                        .formatted(size, e));
            }
        }
    }

    private void releaseMemory() {
        long releaseFailuresBefore = space.releaseFailures();
        try {
            heap.releaseMemory();
        } catch (IllegalStateException e) {
            tally.faultReleaseErrors.increment();
            if (space.releaseFailures() == releaseFailuresBefore) {
                tally.violation("releaseMemory() threw with no release failure injected: " + e);
            }
        }
    }

    /** Checks and frees everything held, verifies the heap and closes it. */
    @Override
    public void close() {
        try {
            Checkpoint.checkLiveSet(heap, held, tally);
            for (Tracked object : held) {
                Operations.free(heap, object, tally);
            }
            held.clear();
            Checkpoint.verify(heap, "of the heap with injected failures", tally);
        } finally {
            heap.close();
        }
    }
}
