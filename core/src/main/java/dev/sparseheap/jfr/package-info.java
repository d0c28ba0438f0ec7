/*
 * The heap's JFR events, one class each, at the bottom of the layer stack beside the OS layer:
 * they depend on nothing of the heap, so every layer that has something to report (arenas
 * growing, the page heap scavenging, the API layer sampling and rejecting) can commit them
 * without an upward dependency. Their names (dev.sparseheap.*) are a contract; the class names
 * are not.
 *
 * Cost when no recording runs: every commit site is on a rare path (growth, scavenging, a sampled
 * allocation, a rejected free, a failed allocation) and first asks FlightRecording.started(), so a
 * program that never starts Flight Recorder never loads an event class; once it is started, the
 * site creates its event and asks isEnabled()/shouldCommit() before computing any field. The
 * allocation and free fast paths touch no event at all.
 */

/**
 * JFR events of sparseheap: {@code dev.sparseheap.AllocationSample}, {@code HeapSummary},
 * {@code ArenaGrowth}, {@code Scavenge}, {@code BadFree} and {@code AllocationFailure}.
 */
package dev.sparseheap.jfr;
