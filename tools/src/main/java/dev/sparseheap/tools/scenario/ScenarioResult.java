/*
 * The figures of one scenario under one layout, as the simulate command prints them.
 */
package dev.sparseheap.tools.scenario;

import dev.sparseheap.ArenaLayout;

/**
 * One scenario's outcome under one layout, with the heap's final accounting.
 *
 * <p>Immutable; safe for use by any thread.
 *
 * @param name          scenario name, e.g. "collision"
 * @param layout        the layout it ran with
 * @param outcome       how it ended
 * @param detail        what happened, in a sentence
 * @param reservedBytes address space the heap held at the end
 * @param mappedBytes   heap bytes made ready
 * @param metadataBytes metadata the heap committed, counted alike for both layouts: the index
 *                      tables and one fixed footprint per arena with metadata (see
 *                      ArenaSet.metadataBytes in the core)
 * @param arenas        number of arenas in the index
 */
public record ScenarioResult(String name, ArenaLayout layout, Outcome outcome, String detail,
                             long reservedBytes, long mappedBytes, long metadataBytes, int arenas) {
}
