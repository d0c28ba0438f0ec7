/*
 * The three knobs of a torture run. Everything else (mix of calls, sizes, rates of bad frees and
 * injected failures, generation length) is fixed so that runs of the same length are comparable.
 */
package dev.sparseheap.bench.torture;

/**
 * How long and how wide a torture run is, and its seed. Immutable.
 *
 * @param seconds run time, at least 1
 * @param threads platform worker threads per generation, at least 1
 * @param seed    the seed of every random decision
 */
public record TortureOptions(int seconds, int threads, long seed) {

    /** @throws IllegalArgumentException if seconds or threads is below 1 */
    public TortureOptions {
        if (seconds < 1) {
            throw new IllegalArgumentException("seconds must be at least 1, not " + seconds);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
    }
}
