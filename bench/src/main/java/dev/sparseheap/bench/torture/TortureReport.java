/*
 * The outcome of a torture run, in the form the command line prints (Markdown table or JSON):
 * counts of what was exercised, so a passing run shows it did the work, and the violations.
 */
package dev.sparseheap.bench.torture;

import java.util.List;

/**
 * What a torture run did and found, so far or in the end. Immutable.
 *
 * @param seed                the seed that chose every random decision of the run
 * @param seconds             the run's length as asked
 * @param threads             platform worker threads per generation
 * @param elapsedMillis       time run so far
 * @param generations         generations of workers ended (one checkpoint each)
 * @param workerThreads       platform worker threads started (each ended holding objects)
 * @param virtualThreads      virtual worker threads started
 * @param operations          heap calls of the workers
 * @param handOvers           objects handed from one worker to another (freed or kept there)
 * @param badFreesThrown      deliberate double, interior and foreign frees that threw, as they must
 * @param racingPairs         pairs of threads that freed the same object at once
 * @param racingThrown        duplicates of those pairs thrown to a caller
 * @param racingLate          duplicates found late (after both calls returned) by the heap
 * @param limitOutOfMemory    OutOfMemoryErrors of the heap with a memory limit, hit on purpose
 * @param injectedFaults      reserve, map and release failures injected into a heap's address space
 * @param faultOutOfMemory    OutOfMemoryErrors those failures caused
 * @param faultReleaseErrors  releaseMemory() calls that reported an injected release failure
 * @param verifyPasses        verify() calls that passed
 * @param violationCount      rules broken (0 for a passing run)
 * @param violations          the first broken rules, word for word
 */
public record TortureReport(long seed, int seconds, int threads, long elapsedMillis, long generations,
                            long workerThreads, long virtualThreads, long operations, long handOvers,
                            long badFreesThrown, long racingPairs, long racingThrown, long racingLate,
                            long limitOutOfMemory, long injectedFaults, long faultOutOfMemory,
                            long faultReleaseErrors, long verifyPasses, long violationCount,
                            List<String> violations) {

    /** Copies the list. */
    public TortureReport {
        violations = List.copyOf(violations);
    }

    /** True when no rule was broken. */
    public boolean passed() {
        return violationCount == 0;
    }
}
