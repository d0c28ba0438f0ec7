/*
 * The seed scenarios: simulated address spaces with the stories of the Go issues behind seeds
 * 000 and 004 (collisions, the 512 GiB ceiling, 32-bit layouts, Windows, ulimit -v, 64 KiB
 * pages, sanitizer shadows, exhaustion), each run under both layouts with every invariant
 * checked after every step.
 */

/**
 * Scenarios: the {@link dev.sparseheap.tools.scenario.Scenario} catalogue, its
 * {@link dev.sparseheap.tools.scenario.ScenarioResult} and
 * {@link dev.sparseheap.tools.scenario.ScenarioRun}, the {@link dev.sparseheap.tools.scenario.Outcome}
 * of a run. The scenarios drive the core's arena layer directly, which the core opens to this
 * module alone.
 */
package dev.sparseheap.tools.scenario;
