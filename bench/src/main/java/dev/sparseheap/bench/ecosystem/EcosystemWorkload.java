/*
 * Ecosystem workloads measure sparseheap where Java programs already manage native memory through
 * a library with an allocator hook (Netty's ByteBufAllocator, Arrow's AllocationManager.Factory),
 * against the allocators those libraries ship with. Unlike the synthetic workloads, which drive
 * every allocator through the benchmarks' own Allocator interface, these drive the library, and
 * each peer is a configuration of the library: what differs between peers is only the memory
 * behind the library's buffers.
 *
 * Each measurement runs in a process of its own (see EcosystemChild), so that its peak resident
 * memory is its own; a peer is prepared once per process and runs a warm-up round before the
 * measured one, like a long-running program that keeps its allocator.
 */
package dev.sparseheap.bench.ecosystem;

import java.util.List;

/**
 * One ecosystem workload.
 *
 * <p>Implementations are immutable and thread-safe; each {@link #prepare} gives an independent run.
 */
public interface EcosystemWorkload {

    /** The command-line name, e.g. {@code "netty-http"}. */
    String name();

    /** What the workload does. */
    String description();

    /** The work of one round at {@code scale}, stated for the reports. */
    String parameters(double scale);

    /** The peers, the sparseheap one first (the reference of every ratio). */
    List<String> peers();

    /** What each peer is, in {@link #peers()} order. */
    List<String> peerDescriptions();

    /**
     * A fresh library set-up on {@code peer}'s memory.
     *
     * @throws IllegalArgumentException if {@code peer} is not one of {@link #peers()}
     */
    Run prepare(String peer);

    /** A prepared library set-up; rounds run on the calling thread. Not thread-safe. */
    interface Run extends AutoCloseable {

        /**
         * Runs one round with its work multiplied by {@code scale}; returns the operations done
         * (requests, rows).
         *
         * @throws IllegalStateException if the library handed back data other than what went in
         */
        long round(double scale);

        /** Releases everything the set-up holds. */
        @Override
        void close();
    }

    /** {@code base * scale} rounded, at least 1. */
    static int scaled(int base, double scale) {
        return (int) Math.max(1, Math.round(base * scale));
    }
}
