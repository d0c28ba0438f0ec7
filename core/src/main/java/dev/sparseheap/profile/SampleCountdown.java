/*
 * The per-thread byte countdown that decides which allocations are sampled, as TCMalloc's and
 * Go's samplers do.
 *
 * Sampling is a Poisson process over allocated bytes with mean interval T: every allocated byte
 * is a sampling point with probability 1/T, and an allocation is sampled when one of its bytes
 * is. The countdown holds the bytes left until the next point, drawn from the exponential
 * distribution with mean T (rounded up to whole bytes); each allocation subtracts its size, and
 * when the countdown reaches zero or below the allocation is sampled and a new interval drawn.
 * Because the exponential is memoryless, an allocation of s bytes is sampled with probability
 * 1 - exp(-s / T) whatever came before, which is what makes the weights unbiased (see Sample).
 * T = 1 is the debug mode: every allocation is sampled, zero-byte ones included, with weight 1.
 *
 * The fast path is one subtraction and one compare on a field of an object only its thread
 * touches. Draws come from a SplittableRandom split off the sampler's seeded root, so a
 * single-threaded program samples the same allocations on every run with the same seed.
 */
package dev.sparseheap.profile;

import java.util.SplittableRandom;

/**
 * The bytes left until one thread's next sample.
 *
 * <p>Thread safety: not thread-safe; each instance is used by one thread at a time (a thread's
 * own, or a thread cache's, which one thread holds at a time).
 */
public final class SampleCountdown {

    private final long meanBytes;
    private final SplittableRandom random;
    private long bytesUntilSample;

    /**
     * @param meanBytes the mean interval between samples, at least 1
     * @param random    this countdown's own source of intervals
     */
    public SampleCountdown(long meanBytes, SplittableRandom random) {
        if (meanBytes < 1) {
            throw new IllegalArgumentException("mean sampling interval " + meanBytes + " is not positive");
        }
        this.meanBytes = meanBytes;
        this.random = random;
        this.bytesUntilSample = nextInterval();
    }

    /**
     * Counts an allocation of {@code size} bytes; true when it is to be sampled, and then the
     * next interval is already drawn.
     */
    public boolean count(long size) {
        if ((bytesUntilSample -= size) > 0) {
            return false;
        }
        bytesUntilSample = nextInterval();
        return true;
    }

    private long nextInterval() {
        if (meanBytes == 1) {
            return 0;
        }
        double uniform = 1.0 - random.nextDouble(); // in (0, 1]
        return (long) Math.ceil(-Math.log(uniform) * meanBytes);
    }
}
