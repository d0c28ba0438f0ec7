/*
 * The torture run: everything a heap must survive, at once, for a given time, from one seed.
 *
 * The run is a sequence of generations of about GENERATION_MILLIS each. In a generation:
 *   - `threads` platform workers and VIRTUAL_WORKERS virtual workers run random heap calls on the
 *     heap under test (Worker), handing objects to each other through inboxes, with bad frees
 *     that are safe while others work;
 *   - one platform thread drives a fresh heap over a FaultyAddressSpace (FaultDrill).
 * Then every thread is joined: the workers die holding objects (and whatever spans and caches the
 * heap gave their threads), and the next generation, on new threads, takes their objects over
 * and frees them. With everything at rest, the checkpoint checks the live set, does double,
 * interior and garbage frees whose effect can be compared exactly, races double frees, runs
 * verify() and the bad-free accounting, and drills the memory limit (LimitDrill).
 *
 * At the end every object left is checked and freed and the heap verified once more. Any
 * violation stops the run at the next checkpoint; the report carries the seed and the first
 * violations. Thread interleavings are not reproducible, so a seed replays the same decisions,
 * not the same schedule.
 */
package dev.sparseheap.bench.torture;

import dev.sparseheap.SparseHeap;
import dev.sparseheap.bench.GlibcAllocator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** Runs torture. One run per call; a run uses only what it creates. */
public final class Torture {

    private static final long GENERATION_MILLIS = 1000;
    private static final int VIRTUAL_WORKERS = 16;
    private static final long VIRTUAL_OPERATIONS = 4000;
    private static final int VIRTUAL_YIELD_EVERY = 32;

    private final TortureOptions options;
    private final Tally tally = new Tally();
    private final AtomicLong lateDuplicates = new AtomicLong();
    private final SplittableRandom random;
    private long injectedFaults;
    private long generations;
    private long startNanos;

    private Torture(TortureOptions options) {
        this.options = options;
        this.random = new SplittableRandom(options.seed());
    }

    /**
     * Runs torture as {@code options} say, telling {@code progress} the report so far after every
     * checkpoint; returns the final report.
     */
    public static TortureReport run(TortureOptions options, Consumer<TortureReport> progress) throws InterruptedException {
        return new Torture(options).run(progress);
    }

    private TortureReport run(Consumer<TortureReport> progress) throws InterruptedException {
        startNanos = System.nanoTime();
        long endNanos = startNanos + TimeUnit.SECONDS.toNanos(options.seconds());
        var inboxes = new Inboxes(options.threads() + VIRTUAL_WORKERS);
        try (SparseHeap heap = SparseHeap.builder().onBadFree(e -> lateDuplicates.incrementAndGet()).build();
             SparseHeap foreign = SparseHeap.create();
             SparseHeap limited = SparseHeap.builder().memoryLimit(LimitDrill.LIMIT_BYTES)
                     .onBadFree(e -> tally.violation("the limited heap reported a bad free nobody made: " + e)).build();
             var glibc = new GlibcAllocator()) {
            while (!tally.failed() && System.nanoTime() < endNanos) {
                long deadline = Math.min(endNanos, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GENERATION_MILLIS));
                generation(heap, foreign, glibc, inboxes, deadline);
                List<Tracked> live = inboxes.drainAll();
                Checkpoint.run(heap, live, random, tally, lateDuplicates::get);
                LimitDrill.run(limited, inboxes, tally);
                inboxes.spread(live);
                generations++;
                progress.accept(report());
            }
            List<Tracked> live = inboxes.drainAll();
            Checkpoint.checkLiveSet(heap, live, tally);
            for (Tracked object : live) {
                Operations.free(heap, object, tally);
            }
            Checkpoint.checkAccounting(heap, tally, lateDuplicates::get);
            if (heap.stats().objects() != 0) {
                tally.violation("every object was freed, yet the heap counts %d live".formatted(heap.stats().objects()));
            }
        } catch (RuntimeException | Error e) {
            tally.violation("the run itself failed: " + e);
        }
        return report();
    }

    private void generation(SparseHeap heap, SparseHeap foreign, GlibcAllocator glibc, Inboxes inboxes, long deadline)
            throws InterruptedException {
        var threads = new ArrayList<Thread>();
        for (int i = 0; i < options.threads(); i++) {
            threads.add(Thread.ofPlatform().name("torture-worker-" + i).start(new Worker(heap, foreign, glibc, inboxes, i,
                    random.nextLong(), tally, deadline, Long.MAX_VALUE, 0)));
            tally.workerThreads.increment();
        }
        for (int v = 0; v < VIRTUAL_WORKERS; v++) {
            threads.add(Thread.ofVirtual().start(new Worker(heap, foreign, glibc, inboxes, options.threads() + v,
                    random.nextLong(), tally, deadline, VIRTUAL_OPERATIONS, VIRTUAL_YIELD_EVERY)));
            tally.virtualThreads.increment();
        }
        try (var drill = new FaultDrill(random.nextLong(), inboxes, tally)) {
            Thread faults = Thread.ofPlatform().name("torture-faults").start(() -> drill.work(deadline));
            for (Thread thread : threads) {
                thread.join();
            }
            faults.join();
            injectedFaults += drill.injectedFailures();
        }
    }

    private TortureReport report() {
        return new TortureReport(options.seed(), options.seconds(), options.threads(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), generations,
                tally.workerThreads.sum(), tally.virtualThreads.sum(), tally.operations.sum(), tally.handOvers.sum(),
                tally.badFreesThrown.sum(), tally.racingPairs.sum(), tally.racingThrown.sum(), tally.racingLate.sum(),
                tally.limitOutOfMemory.sum(), injectedFaults, tally.faultOutOfMemory.sum(),
                tally.faultReleaseErrors.sum(), tally.verifyPasses.sum(), tally.violationCount(), tally.violations());
    }
}
