/*
 * The allocator fast path under JMH: one malloc, one byte written, one free, on one thread, for
 * 16, 64 and 256 bytes, on sparseheap and every peer. Each fork runs one allocator, so its call
 * sites are monomorphic and the JIT inlines whatever it can, for sparseheap and peers alike.
 * Allocators without individual free (the JDK arenas) close their arena every 1000 pairs.
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** malloc + write + free pairs, single-threaded. One state per benchmark thread. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class SmallPairsBenchmark {

    private static final int PAIRS_PER_BATCH = 1000;

    @Param({"sparseheap", "glibc", "jemalloc", "mimalloc", "tcmalloc", "netty-pooled", "netty-adaptive", "jdk-confined"})
    public String allocator;

    @Param({"16", "64", "256"})
    public long size;

    private Allocator heap;
    private int pairsInBatch;

    @Setup(Level.Trial)
    public void open() {
        heap = BenchmarkAllocators.open(allocator);
    }

    @TearDown(Level.Trial)
    public void close() {
        heap.endBatch();
        heap.close();
    }

    @Benchmark
    public long mallocWriteFree() {
        long handle = heap.malloc(size);
        NativeMemory.putByte(heap.address(handle), (byte) 1);
        heap.free(handle);
        if (++pairsInBatch == PAIRS_PER_BATCH) {
            pairsInBatch = 0;
            heap.endBatch();
        }
        return handle;
    }
}
