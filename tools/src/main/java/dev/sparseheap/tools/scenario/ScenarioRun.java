/*
 * A finished scenario with a snapshot of the heap and the address space it ended with, so that
 * the result can be drawn (map command). The heap itself is closed when the run is returned.
 */
package dev.sparseheap.tools.scenario;

import dev.sparseheap.HeapLayout;
import dev.sparseheap.os.SimulatedAddressSpace;

/**
 * A scenario's result plus its final heap layout and space.
 *
 * <p>Immutable but for the space, which is safe for use by any thread.
 *
 * @param result the figures
 * @param layout the heap as it ended, or null when it could not even be created
 * @param space  the simulated address space it ran on; the heap's reservations are freed
 */
public record ScenarioRun(ScenarioResult result, HeapLayout layout, SimulatedAddressSpace space) {
}
