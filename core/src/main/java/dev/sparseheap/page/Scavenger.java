/*
 * The background scavenger: a daemon thread that gives the page heap's excess free memory back
 * to the OS at a bounded CPU cost.
 *
 * It sleeps on the heap's condition until a free leaves more dirty free memory than the retain
 * goal allows, then works in batches: each batch releases at most BATCH_BYTES and examines at
 * most UNIT_BUDGET candidate units, under the heap lock, so no allocation waits long for it.
 * After a batch that took t, it sleeps 99 t (at least MIN_PAUSE): its duty cycle stays near 1%
 * of one CPU however much there is to release. When a whole pass over the heap finds nothing it
 * may release (dirty pages only in units shared with live spans), it waits for the next free.
 */
package dev.sparseheap.page;

import java.util.concurrent.TimeUnit;

/**
 * The daemon thread releasing a {@link PageHeap}'s excess free pages.
 *
 * <p>Thread safety: {@link #start} and {@link #stop} are called by the owning heap once each;
 * the thread itself touches heap state only through the heap's locked methods.
 */
final class Scavenger {

    private static final long BATCH_BYTES = 1L << 20;
    private static final long UNIT_BUDGET = 512;
    private static final long DUTY_RATIO = 99;
    private static final long MIN_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final PageHeap heap;
    private final Thread thread;

    Scavenger(PageHeap heap) {
        this.heap = heap;
        this.thread = Thread.ofPlatform().daemon().name("sparseheap-scavenger").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Stops the thread and waits for it; the heap has already marked itself closed. */
    void stop() {
        thread.interrupt();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (heap.awaitScavengeWork()) {
                long started = System.nanoTime();
                heap.scavengeBatch(BATCH_BYTES, UNIT_BUDGET);
                long spent = System.nanoTime() - started;
                TimeUnit.NANOSECONDS.sleep(Math.max(MIN_PAUSE_NANOS, spent * DUTY_RATIO));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
