package dev.sparseheap.testing;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.LongStream;

/**
 * The seeds of the randomized tests: each test runs a fixed list of seeds, so the suite is the
 * same on every run, and names the seed in every failure message; {@code -Dsparseheap.seed=N}
 * runs every randomized test with seed N only, which replays a failure exactly, and
 * {@code -Dsparseheap.seed=random} runs each with one fresh seed, to explore.
 *
 * <p>Stateless and thread-safe.
 */
public final class Seeds {

    /** The system property that replaces every randomized test's seeds with one. */
    public static final String PROPERTY = "sparseheap.seed";

    private Seeds() {
    }

    /** The seeds to run: the one {@value #PROPERTY} names, or {@code defaults} when it is unset. */
    public static long[] of(long... defaults) {
        if (defaults.length == 0) {
            throw new IllegalArgumentException("a randomized test needs at least one default seed");
        }
        String chosen = System.getProperty(PROPERTY, "").strip();
        if (chosen.isEmpty()) {
            return defaults.clone();
        }
        if (chosen.equals("random")) {
            return new long[] {ThreadLocalRandom.current().nextLong()};
        }
        try {
            return new long[] {Long.decode(chosen)};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + " must be a number or 'random', not '" + chosen + "'", e);
        }
    }

    /** {@link #of} as a stream, for a parameterized test's {@code @MethodSource}. */
    public static LongStream stream(long... defaults) {
        return Arrays.stream(of(defaults));
    }

    /** A seed as failure messages name it: with the option that runs it again. */
    public static String describe(long seed) {
        return "seed " + seed + " (rerun: -D" + PROPERTY + "=" + seed + ")";
    }
}
