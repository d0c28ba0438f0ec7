/*
 * mimalloc-bench's mleak re-expressed: thread churn. Round after round, short-lived threads
 * allocate a few thousand small objects, free most of them and leave one in a hundred to the
 * main thread, then exit. An allocator whose per-thread state is not reclaimed at thread exit,
 * or that strands the memory of dead threads, slows down or grows here.
 */
package dev.sparseheap.bench.workload;

import dev.sparseheap.bench.Allocator;

import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Short-lived threads, each leaving a few objects behind for the main thread to free. */
public record Mleak() implements Workload {

    private static final int ROUNDS = 400;
    private static final int OBJECTS_PER_THREAD = 5000;
    private static final int LEFT_BEHIND_EVERY = 100;
    private static final long MIN_SIZE = 16;
    private static final long MAX_SIZE = 512;

    private record LeftBehind(long handle, long size) {
    }

    @Override
    public String name() {
        return "mleak";
    }

    @Override
    public String description() {
        return "mleak: rounds of short-lived threads; each frees most objects and leaves 1 in 100 to the main thread";
    }

    @Override
    public String parameters(int threads, double scale) {
        return Workload.scaled(ROUNDS, scale) + " rounds x " + threads + " threads x " + OBJECTS_PER_THREAD
                + " objects of 16..512 B; 1 in " + LEFT_BEHIND_EVERY + " freed by the main thread";
    }

    @Override
    public long run(Allocator allocator, int threads, double scale) {
        int rounds = Workload.scaled(ROUNDS, scale);
        var leftBehind = new ConcurrentLinkedQueue<LeftBehind>();
        for (int round = 0; round < rounds; round++) {
            long seed = round * 64L;
            Workers.run(threads, name(), index -> churn(allocator, new SplittableRandom(seed + index), leftBehind));
            for (LeftBehind object = leftBehind.poll(); object != null; object = leftBehind.poll()) {
                Contents.verifyAndFree(allocator, object.handle(), object.size(), name());
            }
        }
        return 2L * rounds * threads * OBJECTS_PER_THREAD;
    }

    private void churn(Allocator allocator, SplittableRandom random, ConcurrentLinkedQueue<LeftBehind> leftBehind) {
        long[] handles = new long[OBJECTS_PER_THREAD];
        long[] sizes = new long[OBJECTS_PER_THREAD];
        for (int i = 0; i < OBJECTS_PER_THREAD; i++) {
            sizes[i] = Sizes.uniform(random, MIN_SIZE, MAX_SIZE);
            handles[i] = Contents.allocate(allocator, sizes[i]);
        }
        for (int i = 0; i < OBJECTS_PER_THREAD; i++) {
            if (i % LEFT_BEHIND_EVERY == 0) {
                leftBehind.add(new LeftBehind(handles[i], sizes[i]));
            } else {
                Contents.verifyAndFree(allocator, handles[i], sizes[i], name());
            }
        }
    }
}
