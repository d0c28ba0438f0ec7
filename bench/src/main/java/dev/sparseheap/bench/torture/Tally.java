/*
 * What a torture run counted and what it found wrong, shared by every thread of the run.
 * Counters only ever grow; the first violations are kept word for word (enough to debug from),
 * the rest only counted, so a run that goes wrong everywhere cannot exhaust memory.
 */
package dev.sparseheap.bench.torture;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** Counters and violations of one torture run. Thread-safe. */
final class Tally {

    private static final int KEPT_VIOLATIONS = 20;

    final LongAdder operations = new LongAdder();
    final LongAdder handOvers = new LongAdder();
    final LongAdder badFreesThrown = new LongAdder();
    final LongAdder racingPairs = new LongAdder();
    final LongAdder racingThrown = new LongAdder();
    final LongAdder racingLate = new LongAdder();
    final LongAdder limitOutOfMemory = new LongAdder();
    final LongAdder faultOutOfMemory = new LongAdder();
    final LongAdder faultReleaseErrors = new LongAdder();
    final LongAdder verifyPasses = new LongAdder();
    final LongAdder workerThreads = new LongAdder();
    final LongAdder virtualThreads = new LongAdder();

    private final List<String> violations = new ArrayList<>();
    private long violationCount;
    private volatile boolean failed;

    /** Records a broken rule. */
    synchronized void violation(String what) {
        violationCount++;
        failed = true;
        if (violations.size() < KEPT_VIOLATIONS) {
            violations.add(what);
        }
    }

    /** Whether any rule was broken: then the run stops at the next checkpoint. */
    boolean failed() {
        return failed;
    }

    synchronized long violationCount() {
        return violationCount;
    }

    /** The first violations, word for word. */
    synchronized List<String> violations() {
        return List.copyOf(violations);
    }
}
