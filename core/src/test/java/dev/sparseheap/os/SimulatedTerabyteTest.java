/*
 * Scale of the simulation: tens of thousands of 64 MiB reservations spread over more than a
 * terabyte cost what their number of ranges costs, on every semantics.
 */
package dev.sparseheap.os;

import dev.sparseheap.os.SimulatedAddressSpace.Semantics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Terabyte layouts cost what their number of mappings costs, not what their size does. */
class SimulatedTerabyteTest {

    static final long ARENA = 64L << 20;
    static final long TiB = 1L << 40;
    static final long HINT = 0x00c0_0000_0000L;
    static final int ARENAS = 20_000;

    @Test
    void twentyThousandArenasGrowingContiguouslyAcrossOnePointTwoTerabytes() {
        var sim = SimulatedAddressSpace.builder().build();
        for (int i = 0; i < ARENAS; i++) {
            long hint = HINT + i * ARENA;
            assertEquals(hint, sim.reserve(hint, ARENA), "arena " + i);
            sim.map(hint, ARENA);
        }
        assertTrue(sim.reservedBytes() > TiB);
        for (int i = 0; i < ARENAS; i += 2) {
            sim.release(HINT + i * ARENA, ARENA);
        }
        for (int i = 0; i < ARENAS; i += 4) {
            sim.free(HINT + i * ARENA, ARENA);
        }
        long held = ARENAS * ARENA - ARENAS / 4 * ARENA;
        assertEquals(held, sim.reservedBytes());
        assertEquals(held, sim.mappedBytes());
        assertEquals(ARENAS / 4 * ARENA, sim.releasedBytes());
    }

    @Test
    void foreignMappingsOnEveryTenthHintSendArenasTopDownWithoutSlowingDown() {
        var sim = SimulatedAddressSpace.builder().build();
        for (int i = 0; i < ARENAS; i += 10) {
            sim.mapForeign(HINT + i * ARENA, 1L << 20);
        }
        var displaced = new ArrayList<Long>();
        for (int i = 0; i < ARENAS; i++) {
            long hint = HINT + i * ARENA;
            long got = sim.reserve(hint, ARENA);
            assertNotEquals(0, got, "arena " + i);
            if (got != hint) {
                displaced.add(got);
            }
        }
        assertEquals(ARENAS / 10, displaced.size());
        assertEquals(sim.mmapBase() - ARENA, displaced.getFirst());
        assertEquals(sim.mmapBase() - displaced.size() * ARENA, displaced.getLast());
        assertEquals(ARENAS * ARENA, sim.reservedBytes());
        long heapRanges = sim.mappings().stream().filter(m -> m.owner() == RangeOwner.HEAP).count();
        assertEquals(ARENAS / 10 + 1, heapRanges, "runs between foreign mappings plus the top-down block");
    }

    @Test
    void windowsKeepsTwentyThousandReservationBoundariesAndFreesEachWhole() {
        var sim = SimulatedAddressSpace.builder().semantics(Semantics.WINDOWS).build();
        for (int i = 0; i < ARENAS; i++) {
            assertEquals(HINT + i * ARENA, sim.reserve(HINT + i * ARENA, ARENA));
        }
        assertEquals(ARENAS, sim.mappings().stream().filter(m -> m.owner() == RangeOwner.HEAP).count());
        for (int i = ARENAS - 1; i >= 0; i--) {
            sim.free(HINT + i * ARENA, ARENA);
        }
        assertEquals(0, sim.reservedBytes());
    }
}
