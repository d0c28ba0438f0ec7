/*
 * The error verify() reports: one or more invariants of the heap do not hold.
 */
package dev.sparseheap;

import java.util.List;

/**
 * Thrown by {@link SparseHeap#verify()} when an invariant of the heap is broken. Its message
 * lists every problem found, one a line.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class HeapCorruptionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The problems found, one sentence each. */
    private final List<String> problems;

    /**
     * An exception listing {@code problems} in its message.
     *
     * @param problems what is wrong, one sentence each; at least one
     */
    public HeapCorruptionException(List<String> problems) {
        super("heap corrupted:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /**
     * Every problem found.
     *
     * @return the problems, one sentence each, immutable
     */
    public List<String> problems() {
        return problems;
    }
}
