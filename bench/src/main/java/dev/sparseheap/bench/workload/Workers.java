/*
 * Runs the bodies of a workload on platform threads and joins them. A failure on any worker is
 * rethrown on the caller after all workers have ended, so a broken invariant surfaces as the
 * worker's own exception and no thread outlives its workload.
 */
package dev.sparseheap.bench.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/** Starting and joining workload threads. Stateless and thread-safe. */
final class Workers {

    private Workers() {
    }

    /** Runs {@code body(i)} for i in [0, count) on {@code count} new threads and waits for all. */
    static void run(int count, String name, IntConsumer body) {
        var failure = new AtomicReference<Throwable>();
        List<Thread> threads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            threads.add(start(name + "-" + i, i, body, failure));
        }
        joinAll(threads);
        rethrow(failure.get());
    }

    /** Starts one thread running {@code body(index)}, recording its failure in {@code failure}. */
    static Thread start(String name, int index, IntConsumer body, AtomicReference<Throwable> failure) {
        Thread thread = new Thread(() -> {
            try {
                body.accept(index);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, name);
        thread.start();
        return thread;
    }

    static void joinAll(List<Thread> threads) {
        for (Thread thread : threads) {
            join(thread);
        }
    }

    static void join(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static void rethrow(Throwable failure) {
        switch (failure) {
            case null -> { }
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException(failure);
        }
    }
}
