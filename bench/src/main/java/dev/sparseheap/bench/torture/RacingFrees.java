/*
 * Racing double frees, at rest: two threads free the same live object at the same instant, pair
 * after pair, and nothing else runs on the heap, so no freed slot can be handed out again before
 * both frees of its pair have returned (otherwise the loser would rightly free someone else's
 * object). The heap's contract: each object is freed exactly once, and the duplicate is detected
 * exactly once — thrown to one of the two callers, or, when both calls returned, found later
 * (counted in HeapStats.badFrees and passed to the onBadFree handler); verify() settles every
 * pending remote free first. So after verify(): thrown + late == pairs, and badFrees grew by
 * exactly pairs. Both callers throwing is a violation (the object would be leaked or the count
 * doubled).
 *
 * Variety: the objects are allocated by the checkpoint thread, by one of the racers (so one free
 * is the owner's and one remote), or by a virtual thread; the second racer is a platform or a
 * virtual thread.
 *
 * The racers meet at a spinning start line before each pair, not at a blocking barrier: a barrier
 * lets the last thread to arrive run on while it wakes the other, microseconds later, so its two
 * frees would almost never overlap. Spinning, both leave the line within nanoseconds of each
 * other; after a while a spinner yields, so a racer the scheduler took off its core still gets
 * there on a loaded machine.
 */
package dev.sparseheap.bench.torture;

import dev.sparseheap.SparseHeap;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** One batch of racing double frees. Used by one thread at a time (the checkpoint's). */
final class RacingFrees {

    private static final int SPINS_BEFORE_YIELD = 1000;

    private RacingFrees() {
    }

    /**
     * Races {@code pairs} double frees on {@code heap}, which nothing else may use meanwhile.
     *
     * @param late the number of late duplicates the heap's onBadFree handler has seen so far
     */
    static void run(SparseHeap heap, int pairs, SplittableRandom random, Tally tally, LongSupplier late)
            throws InterruptedException {
        long lateBefore = late.getAsLong();
        long badFreesBefore = heap.stats().badFrees();
        long[] objects = new long[pairs];
        int allocatedBy = random.nextInt(3);
        long size = 1 + random.nextInt(2048);
        if (allocatedBy == 0) {
            fill(heap, objects, size);
        } else if (allocatedBy == 2) {
            Thread.ofVirtual().start(() -> fill(heap, objects, size)).join();
        }
        var startLine = new StartLine();
        var thrown = new AtomicIntegerArray(pairs);
        Thread first = Thread.ofPlatform().name("torture-racer-0").start(
                () -> race(heap, objects, allocatedBy == 1 ? size : 0, startLine, thrown, tally));
        Runnable second = () -> race(heap, objects, 0, startLine, thrown, tally);
        Thread other = random.nextBoolean() ? Thread.ofVirtual().start(second)
                : Thread.ofPlatform().name("torture-racer-1").start(second);
        first.join();
        other.join();
        Checkpoint.verify(heap, "after racing frees", tally);
        long thrownCount = 0;
        for (int i = 0; i < pairs; i++) {
            thrownCount += thrown.get(i);
            if (thrown.get(i) == 2) {
                tally.violation("racing frees of 0x%x: both callers got IllegalArgumentException".formatted(objects[i]));
            }
        }
        long lateCount = late.getAsLong() - lateBefore;
        long counted = heap.stats().badFrees() - badFreesBefore;
        tally.racingPairs.add(pairs);
        tally.racingThrown.add(thrownCount);
        tally.racingLate.add(lateCount);
        if (thrownCount + lateCount != pairs || counted != pairs) {
            tally.violation("%d racing pairs (allocated by %s): %d duplicates thrown + %d found late, badFrees grew by %d"
                    .formatted(pairs, new String[] {"the checkpoint", "a racer", "a virtual thread"}[allocatedBy],
                            thrownCount, lateCount, counted));
        }
    }

    private static void fill(SparseHeap heap, long[] objects, long size) {
        for (int i = 0; i < objects.length; i++) {
            objects[i] = heap.malloc(size);
        }
    }

    /**
     * One racer: allocates the objects first when {@code allocateSize} > 0, then frees each one
     * as it leaves the start line together with the other racer.
     */
    private static void race(SparseHeap heap, long[] objects, long allocateSize, StartLine startLine,
                             AtomicIntegerArray thrown, Tally tally) {
        try {
            if (allocateSize > 0) {
                fill(heap, objects, allocateSize);
            }
            for (int i = 0; i < objects.length && startLine.meet(i); i++) {
                try {
                    heap.free(objects[i]);
                } catch (IllegalArgumentException duplicate) {
                    thrown.incrementAndGet(i);
                }
            }
        } catch (RuntimeException | Error e) {
            startLine.abandon();
            tally.violation("a racer got an unexpected " + e);
        }
    }

    /**
     * Where two racers meet before round {@code i}: each arrives, then spins until both have.
     * Round 0 also publishes the objects the allocating racer filled in. Thread-safe for two.
     */
    private static final class StartLine {
        private final AtomicLong arrivals = new AtomicLong();
        private volatile boolean abandoned;

        /** Arrives for round {@code round} and waits for the other racer; false when it gave up. */
        boolean meet(int round) {
            arrivals.incrementAndGet();
            long target = 2L * (round + 1);
            for (int spins = 0; arrivals.get() < target; spins++) {
                if (abandoned) {
                    return false;
                }
                if (spins < SPINS_BEFORE_YIELD) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            return true;
        }

        /** Tells the other racer to stop waiting. */
        void abandon() {
            abandoned = true;
        }
    }
}
