/*
 * rpmalloc's benchmark (mimalloc-bench's rptest) re-expressed. Each thread cycles a working set:
 * it allocates a batch of objects with sizes skewed towards small (16 B up to 16000 B), frees
 * the previous batch, and sends every eighth object of it to the next thread, which frees it.
 * It measures a mixed-size steady state with a steady trickle of cross-thread frees.
 */
package dev.sparseheap.bench.workload;

import dev.sparseheap.bench.Allocator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Batch cycling with size skew and a fraction of cross-thread frees. */
public record Rptest() implements Workload {

    private static final int BATCH = 1000;
    private static final int CYCLES_PER_THREAD = 1000;
    private static final int CROSS_THREAD_EVERY = 8;
    private static final long MIN_SIZE = 16;
    private static final long MAX_SIZE = 16000;

    private record Sent(long[] handles, long[] sizes, int count) {
    }

    @Override
    public String name() {
        return "rptest";
    }

    @Override
    public String description() {
        return "rptest: per-thread batch cycling, 16..16000 B skewed small, 1 in 8 objects freed by the next thread";
    }

    @Override
    public String parameters(int threads, double scale) {
        return threads + " threads x " + Workload.scaled(CYCLES_PER_THREAD, scale) + " cycles of " + BATCH
                + " objects; 1 in " + CROSS_THREAD_EVERY + " freed by the next thread";
    }

    @Override
    public long run(Allocator allocator, int threads, double scale) {
        int cycles = Workload.scaled(CYCLES_PER_THREAD, scale);
        List<ConcurrentLinkedQueue<Sent>> inboxes = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            inboxes.add(new ConcurrentLinkedQueue<>());
        }
        Workers.run(threads, name(), index -> cycle(allocator, cycles, inboxes.get(index),
                inboxes.get((index + 1) % threads), new SplittableRandom(0x72_70 + index)));
        for (ConcurrentLinkedQueue<Sent> inbox : inboxes) {
            drain(allocator, inbox);
        }
        return 2L * threads * cycles * BATCH;
    }

    private void cycle(Allocator allocator, int cycles, ConcurrentLinkedQueue<Sent> inbox,
                       ConcurrentLinkedQueue<Sent> next, SplittableRandom random) {
        long[] handles = new long[BATCH];
        long[] sizes = new long[BATCH];
        for (int c = 0; c < cycles; c++) {
            int sentCount = 0;
            var sent = new Sent(new long[BATCH / CROSS_THREAD_EVERY + 1], new long[BATCH / CROSS_THREAD_EVERY + 1], 0);
            for (int i = 0; i < BATCH; i++) {
                if (handles[i] != 0) {
                    if (i % CROSS_THREAD_EVERY == 0) {
                        sent.handles[sentCount] = handles[i];
                        sent.sizes[sentCount++] = sizes[i];
                    } else {
                        Contents.verifyAndFree(allocator, handles[i], sizes[i], name());
                    }
                }
                sizes[i] = Sizes.inverse(random, MIN_SIZE, MAX_SIZE);
                handles[i] = Contents.allocate(allocator, sizes[i]);
            }
            if (sentCount > 0) {
                next.add(new Sent(sent.handles, sent.sizes, sentCount));
            }
            drain(allocator, inbox);
        }
        for (int i = 0; i < BATCH; i++) {
            Contents.verifyAndFree(allocator, handles[i], sizes[i], name());
        }
    }

    private void drain(Allocator allocator, ConcurrentLinkedQueue<Sent> inbox) {
        for (Sent sent = inbox.poll(); sent != null; sent = inbox.poll()) {
            for (int i = 0; i < sent.count; i++) {
                Contents.verifyAndFree(allocator, sent.handles[i], sent.sizes[i], name());
            }
        }
    }
}
