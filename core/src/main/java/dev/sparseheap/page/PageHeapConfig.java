/*
 * Page heap settings. The memory limit bounds the bytes in live spans (hard part) and, through
 * synchronous scavenging, the bytes the heap keeps backed by physical memory (soft part). The
 * retain ratio sets the scavenger's goal: physical memory held by the heap (live spans plus
 * free pages that may still be resident) is brought down towards live bytes times the ratio.
 */
package dev.sparseheap.page;

import dev.sparseheap.arena.HeapArena;

/**
 * Settings of a {@link PageHeap}. Immutable and thread-safe.
 *
 * @param memoryLimit         most bytes of pages in live spans; {@link Long#MAX_VALUE} for none.
 *                            Also a soft bound on the physical memory the heap retains: an
 *                            allocation that would take it over the limit first releases free pages.
 * @param backgroundScavenger run a daemon thread that releases free pages above the retain goal
 * @param retainRatio         the scavenger's goal for resident memory as a multiple (at least 1)
 *                            of the bytes in live spans
 */
public record PageHeapConfig(long memoryLimit, boolean backgroundScavenger, double retainRatio) {

    /** Retained memory Go's scavenger aims for: ten percent above the live heap. */
    public static final double DEFAULT_RETAIN_RATIO = 1.1;

    /** @throws IllegalArgumentException for a limit below one page or a ratio below 1 */
    public PageHeapConfig {
        if (memoryLimit < HeapArena.PAGE_SIZE) {
            throw new IllegalArgumentException("memory limit " + memoryLimit + " is below one page");
        }
        if (!(retainRatio >= 1.0) || Double.isInfinite(retainRatio)) {
            throw new IllegalArgumentException("retain ratio " + retainRatio + " must be finite and at least 1");
        }
    }

    /** No memory limit, background scavenger on, the default retain ratio. */
    public static PageHeapConfig defaults() {
        return new PageHeapConfig(Long.MAX_VALUE, true, DEFAULT_RETAIN_RATIO);
    }

    /** This configuration with another memory limit. */
    public PageHeapConfig withMemoryLimit(long limit) {
        return new PageHeapConfig(limit, backgroundScavenger, retainRatio);
    }

    /** This configuration with the background scavenger switched on or off. */
    public PageHeapConfig withBackgroundScavenger(boolean enabled) {
        return new PageHeapConfig(memoryLimit, enabled, retainRatio);
    }

    /** This configuration with another retain ratio. */
    public PageHeapConfig withRetainRatio(double ratio) {
        return new PageHeapConfig(memoryLimit, backgroundScavenger, ratio);
    }
}
