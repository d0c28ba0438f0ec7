/*
 * A finished scenario with the heap and the address space it ended with, kept open so that the
 * result can be drawn (map command). Closing it frees the heap's reservations.
 */
package dev.sparseheap.arena.scenario;

import dev.sparseheap.arena.ArenaSet;
import dev.sparseheap.os.SimulatedAddressSpace;

/**
 * A scenario's result plus its final heap and space.
 *
 * <p>Not thread-safe beyond what {@link ArenaSet} and {@link SimulatedAddressSpace} offer.
 *
 * @param result the figures
 * @param arenas the heap as it ended, or null when it could not even be created
 * @param space  the simulated address space it ran on
 */
public record ScenarioRun(ScenarioResult result, ArenaSet arenas, SimulatedAddressSpace space) implements AutoCloseable {

    /** Frees the heap's reservations. */
    @Override
    public void close() {
        if (arenas != null) {
            arenas.close();
        }
    }
}
