/*
 * One sampled allocation and what it stands for.
 *
 * Weights (unbiased estimates). An allocation of s bytes is sampled with probability
 * p = 1 - exp(-s / T) (see SampleCountdown), so counting each sample as 1/p objects and s/p
 * bytes gives estimates whose expectation is the true number of objects and bytes of its site:
 * E[sum over sampled of 1/p] = sum over all of p * 1/p. For s much larger than T, p is 1 and the
 * weight is the object itself; in the debug mode (T = 1) every weight is 1.
 *
 * The stack is captured as a Throwable (the JVM's compact backtrace, filled natively) and turned
 * into StackTraceElements only when a profile or a leak report asks, so a sample costs the
 * sampled thread little more than the fill.
 */
package dev.sparseheap.profile;

import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * A sampled allocation: address, size, allocator, stack and weights.
 *
 * <p>Thread safety: immutable but for the stack, resolved once on first use; safe for use by
 * any thread.
 */
public final class Sample {

    private final long address;
    private final long size;
    private final String allocator;
    private final double weightObjects;
    private final Throwable trace;
    private final Predicate<String> heapFrame;
    private volatile List<StackTraceElement> stack;

    Sample(long address, long size, String allocator, long meanBytes, Throwable trace, Predicate<String> heapFrame) {
        this.address = address;
        this.size = size;
        this.allocator = allocator;
        this.weightObjects = weightObjects(size, meanBytes);
        this.trace = trace;
        this.heapFrame = heapFrame;
    }

    /** Objects that a sample of {@code size} bytes stands for at mean interval {@code meanBytes}. */
    static double weightObjects(long size, long meanBytes) {
        if (meanBytes == 1) {
            return 1;
        }
        double probability = -Math.expm1(-(double) Math.max(size, 1) / meanBytes);
        return 1 / probability;
    }

    /** Address of the object. */
    public long address() {
        return address;
    }

    /** Bytes asked for. */
    public long size() {
        return size;
    }

    /** The heap's name or the path of the child allocator that allocated it. */
    public String allocator() {
        return allocator;
    }

    /** Estimated objects this sample stands for (at least 1). */
    public double weightObjects() {
        return weightObjects;
    }

    /** Estimated bytes this sample stands for. */
    public double weightBytes() {
        return weightObjects * size;
    }

    /** The allocating stack, innermost frame first, without the heap's own frames. */
    public List<StackTraceElement> stack() {
        List<StackTraceElement> resolved = stack;
        if (resolved == null) {
            StackTraceElement[] frames = trace.getStackTrace();
            int first = 0;
            while (first < frames.length && heapFrame.test(frames[first].getClassName())) {
                first++;
            }
            resolved = List.of(Arrays.copyOfRange(frames, first, frames.length));
            stack = resolved;
        }
        return resolved;
    }
}
