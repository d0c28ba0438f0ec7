/*
 * malloc/free pairs from virtual threads against the same pairs from a small platform pool, on
 * sparseheap and the native peers. Each invocation runs 10 M pairs of 64 bytes (malloc, one byte
 * written, free) as 2,000 tasks of 5,000 pairs: either one new virtual thread per task (the
 * way a server on virtual threads allocates: many short-lived threads, each unknown to any
 * thread cache, mounted on a few carriers) or the same 2,000 tasks on a fixed pool of 2 platform
 * threads that live for the whole trial. The work is identical; only the kind of thread differs,
 * so the ratio of the two is what virtual threads cost an allocator. The score is nanoseconds per
 * pair (the pool or carriers run the tasks in parallel on the machine's cores).
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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Pairs from 2,000 virtual threads vs a 2-thread platform pool. One state per benchmark. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class VirtualThreadPairsBenchmark {

    private static final int TASKS = 2_000;
    private static final int PAIRS_PER_TASK = 5_000;
    private static final int POOL_THREADS = 2;
    private static final long SIZE = 64;

    @Param({"sparseheap", "glibc", "jemalloc", "mimalloc", "tcmalloc"})
    public String allocator;

    /** {@code virtual}: a new virtual thread per task; {@code platform-pool}: a fixed pool of platform threads. */
    @Param({"virtual", "platform-pool"})
    public String threads;

    private Allocator heap;
    private ExecutorService pool;

    @Setup(Level.Trial)
    public void open() {
        heap = BenchmarkAllocators.open(allocator);
        pool = switch (threads) {
            case "virtual" -> null;
            case "platform-pool" -> Executors.newFixedThreadPool(POOL_THREADS);
            default -> throw new IllegalArgumentException("threads must be virtual or platform-pool, not " + threads);
        };
    }

    @TearDown(Level.Trial)
    public void close() throws InterruptedException {
        if (pool != null) {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        heap.close();
    }

    @Benchmark
    @OperationsPerInvocation(TASKS * PAIRS_PER_TASK)
    public long pairs() throws InterruptedException, ExecutionException {
        if (pool != null) {
            return runAll(pool);
        }
        try (ExecutorService perTask = Executors.newVirtualThreadPerTaskExecutor()) {
            return runAll(perTask);
        }
    }

    private long runAll(ExecutorService executor) throws InterruptedException, ExecutionException {
        List<Future<Long>> tasks = new ArrayList<>(TASKS);
        for (int i = 0; i < TASKS; i++) {
            tasks.add(executor.submit(this::task));
        }
        long sum = 0;
        for (Future<Long> task : tasks) {
            sum += task.get();
        }
        return sum;
    }

    private long task() {
        long sum = 0;
        for (int i = 0; i < PAIRS_PER_TASK; i++) {
            long handle = heap.malloc(SIZE);
            NativeMemory.putByte(heap.address(handle), (byte) i);
            sum += handle;
            heap.free(handle);
        }
        return sum;
    }
}
