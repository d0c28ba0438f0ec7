/*
 * The seed scenarios: simulated address spaces with the stories of the Go issues behind seeds
 * 000 and 004 (collisions, the 512 GiB ceiling, 32-bit layouts, Windows, ulimit -v, 64 KiB
 * pages, sanitizer shadows, exhaustion), each run under both layouts with every invariant
 * checked after every step.
 */

/**
 * Scenarios: the {@link dev.sparseheap.arena.scenario.Scenario} catalogue, its
 * {@link dev.sparseheap.arena.scenario.ScenarioResult} and
 * {@link dev.sparseheap.arena.scenario.ScenarioRun}, the {@link dev.sparseheap.arena.scenario.Outcome}
 * of a run, and {@link dev.sparseheap.arena.scenario.ScenarioChecks}, the invariants of a heap
 * against its simulated space.
 */
package dev.sparseheap.arena.scenario;
