/*
 * Size distributions of the workloads. Real programs allocate mostly small objects with a long
 * tail of large ones; the distributions below follow the ones the original benchmarks use.
 */
package dev.sparseheap.bench.workload;

import java.util.SplittableRandom;

/** Random object sizes. Stateless and thread-safe (the caller owns the random stream). */
final class Sizes {

    private Sizes() {
    }

    /** Uniform in [min, max]. */
    static long uniform(SplittableRandom random, long min, long max) {
        return random.nextLong(min, max + 1);
    }

    /**
     * Between {@code min} and {@code max} with probability proportional to 1/size, as glibc's
     * bench-malloc-thread draws them: each power of two is about equally likely.
     */
    static long inverse(SplittableRandom random, long min, long max) {
        double logMin = Math.log(min);
        double logMax = Math.log(max + 1);
        return Math.min(max, (long) Math.exp(logMin + random.nextDouble() * (logMax - logMin)));
    }

    /** Pareto with shape {@code alpha} and minimum {@code min}, capped at {@code max}. */
    static long pareto(SplittableRandom random, double alpha, long min, long max) {
        double u = 1.0 - random.nextDouble();
        return Math.min(max, (long) (min / Math.pow(u, 1.0 / alpha)));
    }
}
