/*
 * What a torture run checks at rest, between two generations of workers (all joined, so nothing
 * allocates or frees and the heap's verify() is exact):
 *
 *   - the whole live set: every stamp intact, no two objects overlap by the run's own records,
 *     objectBase finds every object from its last byte;
 *   - double frees, interior frees and garbage addresses near the heap's objects, one at a time:
 *     each must throw IllegalArgumentException and change nothing but HeapStats.badFrees (+1),
 *     which at rest can be compared exactly;
 *   - a batch of racing double frees (RacingFrees);
 *   - verify(), then the bad-free accounting of the whole run so far: badFrees equals the bad
 *     frees thrown plus the duplicates found late, no more and no fewer.
 */
package dev.sparseheap.bench.torture;

import dev.sparseheap.HeapCorruptionException;
import dev.sparseheap.HeapStats;
import dev.sparseheap.SparseHeap;

import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/** The checks at rest. Stateless; called by the one thread that runs the torture. */
final class Checkpoint {

    private static final int REST_DOUBLE_FREES = 8;
    private static final int REST_INTERIOR_FREES = 8;
    private static final int REST_GARBAGE_FREES = 32;
    private static final int RACING_PAIRS = 64;
    private static final int GARBAGE_REACH = 1 << 20;

    private Checkpoint() {
    }

    /**
     * Runs every check on {@code heap}, which nothing else may use meanwhile. {@code live} is the
     * whole live set; objects freed here are removed from it.
     */
    static void run(SparseHeap heap, List<Tracked> live, SplittableRandom random, Tally tally, LongSupplier late)
            throws InterruptedException {
        checkLiveSet(heap, live, tally);
        for (int i = 0; i < REST_DOUBLE_FREES && !live.isEmpty(); i++) {
            doubleFree(heap, live.remove(random.nextInt(live.size())), tally);
        }
        for (int i = 0; i < REST_INTERIOR_FREES && !live.isEmpty(); i++) {
            Tracked object = live.get(random.nextInt(live.size()));
            if (object.size() >= 2) {
                long interior = object.address() + 1 + random.nextLong(object.size() - 1);
                rejectedAtRest(heap, interior, "interior address of object " + object.id(), tally);
                Operations.intact(object, "after a rejected interior free at rest", tally);
            }
        }
        for (int i = 0; i < REST_GARBAGE_FREES && !live.isEmpty(); i++) {
            long near = live.get(random.nextInt(live.size())).address() + random.nextInt(2 * GARBAGE_REACH) - GARBAGE_REACH;
            long garbage = i % 2 == 0 ? near & -8L : random.nextLong(1L << 47) & -16L;
            if (garbage != 0 && heap.objectBase(garbage) != garbage) {
                rejectedAtRest(heap, garbage, "a garbage address", tally);
            }
        }
        RacingFrees.run(heap, RACING_PAIRS, random, tally, late);
        checkAccounting(heap, tally, late);
    }

    /** verify(), counted when it passes and recorded as a violation when it does not. */
    static void verify(SparseHeap heap, String when, Tally tally) {
        try {
            heap.verify();
            tally.verifyPasses.increment();
        } catch (HeapCorruptionException e) {
            tally.violation("verify() " + when + ": " + e.getMessage());
        }
    }

    /** After verify(): the heap counted every bad free the run made, each exactly once. */
    static void checkAccounting(SparseHeap heap, Tally tally, LongSupplier late) {
        verify(heap, "at a checkpoint", tally);
        long expected = tally.badFreesThrown.sum() + tally.racingThrown.sum() + late.getAsLong();
        long counted = heap.stats().badFrees();
        if (counted != expected) {
            tally.violation("HeapStats.badFrees() is %d; the run made %d bad frees that threw and the handler heard of %d late"
                    .formatted(counted, tally.badFreesThrown.sum() + tally.racingThrown.sum(), late.getAsLong()));
        }
    }

    /** Every stamp, no overlap by the run's records, objectBase from the last byte. */
    static void checkLiveSet(SparseHeap heap, List<Tracked> live, Tally tally) {
        live.sort(Comparator.comparingLong(Tracked::address));
        Tracked previous = null;
        for (Tracked object : live) {
            Operations.intact(object, "at a checkpoint", tally);
            if (previous != null && previous.address() + Math.max(1, previous.size()) > object.address()) {
                tally.violation("objects %d at 0x%x (%d bytes) and %d at 0x%x overlap".formatted(previous.id(),
                        previous.address(), previous.size(), object.id(), object.address()));
            }
            long last = object.address() + Math.max(1, object.size()) - 1;
            if (heap.objectBase(last) != object.address()) {
                tally.violation("objectBase(0x%x) of object %d at 0x%x is 0x%x".formatted(last, object.id(),
                        object.address(), heap.objectBase(last)));
            }
            previous = object;
        }
    }

    private static void doubleFree(SparseHeap heap, Tracked object, Tally tally) {
        if (!Operations.intact(object, "before a double free at rest", tally)) {
            return;
        }
        heap.free(object.address());
        rejectedAtRest(heap, object.address(), "an object freed just before", tally);
    }

    /** A free that must throw and change nothing but badFrees, at rest where that is exact. */
    private static void rejectedAtRest(SparseHeap heap, long address, String what, Tally tally) {
        HeapStats before = heap.stats();
        Operations.rejectedFree(heap, address, what, tally);
        HeapStats after = heap.stats();
        if (after.objects() != before.objects() || after.liveBytes() != before.liveBytes()
                || after.frees() != before.frees() || after.allocations() != before.allocations()
                || after.inUseBytes() != before.inUseBytes() || after.largeObjects() != before.largeObjects()
                || after.badFrees() != before.badFrees() + 1) {
            tally.violation("the rejected free(0x%x) of %s changed the heap: %s -> %s".formatted(address, what,
                    summary(before), summary(after)));
        }
    }

    private static String summary(HeapStats stats) {
        return "objects %d, live %d, frees %d, allocations %d, in use %d, large %d, badFrees %d".formatted(
                stats.objects(), stats.liveBytes(), stats.frees(), stats.allocations(), stats.inUseBytes(),
                stats.largeObjects(), stats.badFrees());
    }
}
