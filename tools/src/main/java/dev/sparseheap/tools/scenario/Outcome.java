/*
 * How a scenario ended. OUT_OF_MEMORY is a clean refusal (the heap could not grow and said so,
 * with every invariant intact); ERROR means an invariant broke or the heap threw, which no
 * scenario may ever produce.
 */
package dev.sparseheap.tools.scenario;

/** The end of a scenario run. Immutable. */
public enum Outcome {
    /** The heap grew as the scenario asked. */
    OK,
    /** The heap refused to grow, cleanly (growth returned nothing), invariants intact. */
    OUT_OF_MEMORY,
    /** An invariant broke or the heap threw: a defect. */
    ERROR
}
