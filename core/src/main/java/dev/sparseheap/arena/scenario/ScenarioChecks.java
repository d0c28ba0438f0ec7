/*
 * The invariants every scenario checks after every step, on top of ArenaSet.verify():
 *   - no heap range overlaps a foreign mapping (the heap never clobbers anyone);
 *   - every heap range is held by the heap in the space and accessible;
 *   - the heap's accounting equals the space's: reserved bytes, and mapped bytes (heap ranges
 *     plus metadata region).
 * The space's mapping list and the heap ranges are both sorted, so one merge walk checks them.
 */
package dev.sparseheap.arena.scenario;

import dev.sparseheap.arena.ArenaRange;
import dev.sparseheap.arena.ArenaSet;
import dev.sparseheap.os.SimulatedAddressSpace;
import dev.sparseheap.os.SimulatedAddressSpace.Mapping;

import java.util.List;

/** Invariants of a heap against its simulated space. Stateless; safe for use by any thread. */
public final class ScenarioChecks {

    private ScenarioChecks() {
    }

    /**
     * Checks {@code set} against {@code space}.
     *
     * @throws IllegalStateException naming the first invariant found broken
     */
    public static void check(ArenaSet set, SimulatedAddressSpace space) {
        set.verify();
        checkRangesAgainstMappings(set.heapRanges(), space.mappings());
        if (set.reservedBytes() != space.reservedBytes()) {
            throw new IllegalStateException("heap counts " + set.reservedBytes() + " reserved bytes, the space "
                    + space.reservedBytes());
        }
        long mapped = set.mappedBytes() + set.metadataRegionBytes();
        if (mapped != space.mappedBytes()) {
            throw new IllegalStateException("heap counts " + mapped + " mapped bytes, the space " + space.mappedBytes());
        }
    }

    private static void checkRangesAgainstMappings(List<ArenaRange> ranges, List<Mapping> mappings) {
        int first = 0;
        for (ArenaRange range : ranges) {
            while (first < mappings.size() && mappings.get(first).end() <= range.base()) {
                first++;
            }
            long covered = range.base();
            for (int i = first; i < mappings.size() && mappings.get(i).base() < range.end(); i++) {
                Mapping mapping = mappings.get(i);
                if (mapping.owner() == SimulatedAddressSpace.Owner.FOREIGN) {
                    throw new IllegalStateException("heap range " + range + " overlaps foreign mapping " + mapping);
                }
                if (mapping.state() == SimulatedAddressSpace.State.RESERVED || mapping.base() > covered) {
                    throw new IllegalStateException("heap range " + range + " is not mapped at 0x"
                            + Long.toHexString(Math.max(covered, mapping.base())));
                }
                covered = Math.max(covered, mapping.end());
            }
            if (covered < range.end()) {
                throw new IllegalStateException("heap range " + range + " is not held by the heap from 0x"
                        + Long.toHexString(covered));
            }
        }
    }
}
