/*
 * Freeing on another thread under JMH: the benchmark thread allocates batches of 64-byte objects
 * and hands each full batch to a dedicated freeing thread, double-buffered (it fills the next
 * batch while the other thread frees the previous one). The time per object covers allocation on
 * one thread and free on the other, the path by which remotely freed memory returns; with two
 * cores both threads run in parallel, so the slower of the two sides sets the pace.
 */
package dev.sparseheap.bench.jmh;

import dev.sparseheap.bench.Allocator;
import dev.sparseheap.bench.NativeMemory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Allocation on the benchmark thread, free on a second thread. One state per benchmark thread. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class CrossThreadFreeBenchmark {

    private static final int BATCH = 256;
    private static final long SIZE = 64;
    private static final long[] STOP = new long[0];
    private static final int SPINS_BEFORE_YIELD = 200;

    @Param({"sparseheap", "glibc", "jemalloc", "mimalloc", "tcmalloc", "netty-pooled", "netty-adaptive"})
    public String allocator;

    private Allocator heap;
    private final AtomicReference<long[]> toFree = new AtomicReference<>();
    private long[] filling = new long[BATCH];
    private long[] spare = new long[BATCH];
    private Thread freer;

    @Setup(Level.Trial)
    public void open() {
        heap = BenchmarkAllocators.open(allocator);
        freer = Thread.ofPlatform().name("freer").start(this::freeBatches);
    }

    @TearDown(Level.Trial)
    public void close() throws InterruptedException {
        handOver(STOP);
        freer.join();
        heap.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long allocateHereFreeThere() {
        long[] batch = filling;
        for (int i = 0; i < BATCH; i++) {
            batch[i] = heap.malloc(SIZE);
            NativeMemory.putByte(heap.address(batch[i]), (byte) i);
        }
        handOver(batch);
        filling = spare;
        spare = batch;
        return batch[0];
    }

    /** Waits until the freeing thread took the previous batch, then publishes this one. */
    private void handOver(long[] batch) {
        for (int spins = 0; !toFree.compareAndSet(null, batch); spins++) {
            pause(spins);
        }
    }

    /**
     * Spins briefly, then yields: on a machine with as many busy threads as cores, a spinning
     * waiter would otherwise burn the time slice the other side needs.
     */
    private static void pause(int spins) {
        if (spins < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    private void freeBatches() {
        for (int spins = 0; ; spins++) {
            long[] batch = toFree.get();
            if (batch == null) {
                pause(spins);
                continue;
            }
            spins = 0;
            if (batch == STOP) {
                return;
            }
            for (long handle : batch) {
                heap.free(handle);
            }
            toFree.set(null);
        }
    }
}
