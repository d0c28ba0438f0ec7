/*
 * Thrown inside a scenario when the heap cannot grow: the clean end that becomes
 * Outcome.OUT_OF_MEMORY, as opposed to any other exception, which is a defect (ERROR).
 */
package dev.sparseheap.tools.scenario;

/** The heap refused to grow. Immutable. */
final class HeapExhausted extends RuntimeException {

    HeapExhausted(String message) {
        super(message, null, false, false);
    }
}
