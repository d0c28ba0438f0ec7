/*
 * Larson and Krishnan's server benchmark (mimalloc-bench bench/larson) re-expressed. The main
 * thread fills one array of objects per lineage; each lineage's thread replaces random objects of
 * its array (free, then allocate 8 to 1000 bytes) and, after its round, hands the whole array to
 * a new thread that continues, as a server hands a connection's state from one worker to the
 * next. Objects are thus routinely freed by a thread other than the one that allocated them, and
 * threads die with objects of theirs still live.
 */
package dev.sparseheap.bench.workload;

import dev.sparseheap.bench.Allocator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

/** Cross-thread handoff of object arrays between generations of threads. */
public record Larson() implements Workload {

    private static final int OBJECTS_PER_LINEAGE = 1000;
    private static final int GENERATIONS = 40;
    private static final int REPLACEMENTS_PER_GENERATION = 75_000;
    private static final long MIN_SIZE = 8;
    private static final long MAX_SIZE = 1000;

    @Override
    public String name() {
        return "larson";
    }

    @Override
    public String description() {
        return "larson: random replacement in object arrays handed from each thread to its successor";
    }

    @Override
    public String parameters(int threads, double scale) {
        return threads + " lineages x " + GENERATIONS + " thread generations x "
                + Workload.scaled(REPLACEMENTS_PER_GENERATION, scale) + " replacements; "
                + OBJECTS_PER_LINEAGE + " objects of 8..1000 B per lineage";
    }

    @Override
    public long run(Allocator allocator, int threads, double scale) {
        int replacements = Workload.scaled(REPLACEMENTS_PER_GENERATION, scale);
        var lineages = new ArrayList<Lineage>();
        for (int i = 0; i < threads; i++) {
            lineages.add(new Lineage(allocator, new SplittableRandom(0x1a_75_0a + i)));
        }
        var failure = new AtomicReference<Throwable>();
        for (int generation = 0; generation < GENERATIONS; generation++) {
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Lineage lineage = lineages.get(i);
                workers.add(Workers.start(name() + "-" + generation + "-" + i, i,
                        index -> lineage.replace(replacements), failure));
            }
            Workers.joinAll(workers);
            Workers.rethrow(failure.get());
        }
        for (Lineage lineage : lineages) {
            lineage.freeAll();
        }
        return 2L * OBJECTS_PER_LINEAGE * threads + 2L * threads * GENERATIONS * replacements;
    }

    /** One array of objects passed from thread to thread. Used by one thread at a time. */
    private final class Lineage {
        private final Allocator allocator;
        private final SplittableRandom random;
        private final long[] handles = new long[OBJECTS_PER_LINEAGE];
        private final long[] sizes = new long[OBJECTS_PER_LINEAGE];

        Lineage(Allocator allocator, SplittableRandom random) {
            this.allocator = allocator;
            this.random = random;
            for (int i = 0; i < OBJECTS_PER_LINEAGE; i++) {
                sizes[i] = Sizes.uniform(random, MIN_SIZE, MAX_SIZE);
                handles[i] = Contents.allocate(allocator, sizes[i]);
            }
        }

        void replace(int replacements) {
            for (int i = 0; i < replacements; i++) {
                int slot = random.nextInt(OBJECTS_PER_LINEAGE);
                Contents.verifyAndFree(allocator, handles[slot], sizes[slot], name());
                sizes[slot] = Sizes.uniform(random, MIN_SIZE, MAX_SIZE);
                handles[slot] = Contents.allocate(allocator, sizes[slot]);
            }
        }

        void freeAll() {
            for (int i = 0; i < OBJECTS_PER_LINEAGE; i++) {
                Contents.verifyAndFree(allocator, handles[i], sizes[i], name());
            }
        }
    }
}
