/*
 * Synthetic allocation workloads re-expressed in Java from mimalloc-bench (daanx/mimalloc-bench)
 * and glibc's malloc benchmarks. Each drives any Allocator through the same code, is
 * deterministic for a given thread count and scale (seeded random streams per thread), bounds
 * itself to roughly 0.5 to 2 seconds at scale 1 on a 2-core machine, and checks its own
 * invariant: every object it writes reads back intact until it is freed, whoever frees it. A
 * broken invariant is an IllegalStateException naming the workload, never a silent number.
 */
package dev.sparseheap.bench.workload;

import dev.sparseheap.bench.Allocator;

import java.util.Optional;

/**
 * One benchmark workload.
 *
 * <p>Implementations are immutable and thread-safe; {@link #run} may be called repeatedly and
 * uses only the allocator it is given.
 */
public interface Workload {

    /** The command-line name, e.g. {@code "larson"}. */
    String name();

    /** What the workload models and where it comes from. */
    String description();

    /** The threads the workload runs when {@code requested} are asked for. */
    default int threads(int requested) {
        return requested;
    }

    /** The parameters at this thread count and scale, stated for the reports. */
    String parameters(int threads, double scale);

    /**
     * How allocators without individual free (the JDK arenas) map onto this workload, or empty
     * when they cannot run it.
     */
    default Optional<String> batchMapping() {
        return Optional.empty();
    }

    /** Whether {@code allocator} can run this workload. */
    default boolean applicableTo(Allocator allocator) {
        return allocator.individualFree() || batchMapping().isPresent();
    }

    /**
     * Runs the workload once on {@code threads} threads ({@link #threads(int)} of the request)
     * with iteration counts multiplied by {@code scale}; returns the number of allocator calls
     * made. Every object allocated is freed before it returns.
     *
     * @throws IllegalStateException if an object did not keep what was written into it
     */
    long run(Allocator allocator, int threads, double scale);

    /** {@code base * scale} rounded, at least 1. */
    static int scaled(int base, double scale) {
        return (int) Math.max(1, Math.round(base * scale));
    }
}
