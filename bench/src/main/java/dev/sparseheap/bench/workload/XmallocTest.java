/*
 * xmalloc-test (mimalloc-bench bench/xmalloc-test) re-expressed: producer threads allocate
 * batches of small objects and hand each batch to a consumer thread, which frees them. Every
 * object dies on a thread other than its allocator's, in bulk, which stresses the path by which
 * remotely freed memory returns to the allocating thread.
 */
package dev.sparseheap.bench.workload;

import dev.sparseheap.bench.Allocator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/** Producer/consumer pairs; every object is freed by the consumer. At least 2 threads. */
public record XmallocTest() implements Workload {

    private static final int BATCH = 256;
    private static final int BATCHES_PER_PRODUCER = 40_000;
    private static final int QUEUE_CAPACITY = 16;
    private static final long MIN_SIZE = 8;
    private static final long MAX_SIZE = 128;

    private record Batch(long[] handles, long[] sizes) {
    }

    private static final Batch END = new Batch(new long[0], new long[0]);

    @Override
    public String name() {
        return "xmalloc-test";
    }

    @Override
    public String description() {
        return "xmalloc-test: producers allocate batches of 8..128 B objects, consumers free them";
    }

    @Override
    public int threads(int requested) {
        return Math.max(2, requested - requested % 2);
    }

    @Override
    public String parameters(int threads, double scale) {
        return threads / 2 + " producer/consumer pairs x " + Workload.scaled(BATCHES_PER_PRODUCER, scale)
                + " batches of " + BATCH + " objects of 8..128 B";
    }

    @Override
    public long run(Allocator allocator, int threads, double scale) {
        int batches = Workload.scaled(BATCHES_PER_PRODUCER, scale);
        int pairs = threads / 2;
        List<BlockingQueue<Batch>> queues = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            queues.add(new ArrayBlockingQueue<>(QUEUE_CAPACITY));
        }
        Workers.run(2 * pairs, name(), index -> {
            if (index % 2 == 0) {
                produce(allocator, batches, queues.get(index / 2), new SplittableRandom(0x78_6d + index));
            } else {
                consume(allocator, queues.get(index / 2));
            }
        });
        return 2L * pairs * batches * BATCH;
    }

    /** Produces batches; the end marker is sent even on failure, so the consumer never waits forever. */
    private void produce(Allocator allocator, int batches, BlockingQueue<Batch> queue, SplittableRandom random) {
        try {
            for (int b = 0; b < batches; b++) {
                var batch = new Batch(new long[BATCH], new long[BATCH]);
                for (int i = 0; i < BATCH; i++) {
                    batch.sizes[i] = Sizes.uniform(random, MIN_SIZE, MAX_SIZE);
                    batch.handles[i] = Contents.allocate(allocator, batch.sizes[i]);
                }
                put(queue, batch);
            }
        } finally {
            put(queue, END);
        }
    }

    /** Frees batches until the end marker; on failure it keeps draining, so the producer never blocks forever. */
    private void consume(Allocator allocator, BlockingQueue<Batch> queue) {
        Batch batch = take(queue);
        try {
            for (; batch != END; batch = take(queue)) {
                for (int i = 0; i < BATCH; i++) {
                    Contents.verifyAndFree(allocator, batch.handles[i], batch.sizes[i], name());
                }
            }
        } finally {
            while (batch != END) {
                batch = take(queue);
            }
        }
    }

    private static void put(BlockingQueue<Batch> queue, Batch batch) {
        try {
            queue.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("xmalloc-test interrupted", e);
        }
    }

    private static Batch take(BlockingQueue<Batch> queue) {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("xmalloc-test interrupted", e);
        }
    }
}
