package dev.sparseheap.arena;

import dev.sparseheap.ArenaLayout;
import dev.sparseheap.os.AddressSpace;
import dev.sparseheap.os.Mapping;
import dev.sparseheap.os.SimulatedAddressSpace;
import dev.sparseheap.page.PageArena;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Answers from the address space are checked before use, never trusted. */
class BrokenAddressSpaceTest {

    /** A space whose reserve answers with an address of its choosing instead of the real one. */
    private static final class LyingSpace implements AddressSpace {
        private final SimulatedAddressSpace real = SimulatedAddressSpace.builder().build();
        private final long lie;

        LyingSpace(long lie) {
            this.lie = lie;
        }

        @Override public long reserve(long hint, long size) { return real.reserve(hint, size) == 0 ? 0 : lie; }
        @Override public long reserveExact(long address, long size) { return real.reserveExact(address, size) == 0 ? 0 : lie; }
        @Override public void map(long address, long size) { real.map(address, size); }
        @Override public void release(long address, long size) { real.release(address, size); }
        @Override public void free(long address, long size) { }
        @Override public void fault(long address, long size) { real.fault(address, size); }
        @Override public long physicalPageSize() { return real.physicalPageSize(); }
        @Override public int addressBits() { return real.addressBits(); }
        @Override public List<Mapping> mappings() { return real.mappings(); }
        @Override public boolean freesWholeReservationsOnly() { return false; }
        @Override public boolean isBackedByMemory() { return false; }
        @Override public long programEnd() { return real.programEnd(); }
        @Override public long programBreak() { return real.programBreak(); }
        @Override public long reservedBytes() { return real.reservedBytes(); }
        @Override public long mappedBytes() { return real.mappedBytes(); }
        @Override public long releasedBytes() { return real.releasedBytes(); }
        @Override public String describe() { return "lying"; }
    }

    @Test
    void aReservationOffThePhysicalPageIsAnErrorNamingTheAddresses() {
        var set = ArenaSet.create(new LyingSpace((0x00c0L << 32) + 12), ArenaLayout.SPARSE, PageArena.FACTORY);
        var error = assertThrows(IllegalStateException.class, () -> set.grow(1));
        assertTrue(error.getMessage().contains("0xc00000000c"), error.getMessage());
        assertEquals(0, set.arenaCount());
        assertEquals(0, set.mappedBytes());
    }

    @Test
    void aReservationBeyondTheAddressLimitIsAnError() {
        var set = ArenaSet.create(new LyingSpace(1L << 48), ArenaLayout.SPARSE, PageArena.FACTORY);
        var error = assertThrows(IllegalStateException.class, () -> set.grow(1));
        assertTrue(error.getMessage().contains("limit 0x1000000000000"), error.getMessage());
        assertEquals(0, set.arenaCount());
    }

    @Test
    void anExactReservationAnsweredElsewhereCountsAsTakenAndIsGivenBack() {
        var space = new LyingSpace(0x00d0L << 32);
        var set = ArenaSet.create(space, ArenaLayout.SPARSE, PageArena.FACTORY);
        set.keepHints(1);
        var error = assertThrows(IllegalStateException.class, () -> set.grow(1),
                "after the hint, the reservation anywhere is answered with a range the space does not hold");
        assertTrue(error.getMessage().contains("0xd000000000"), error.getMessage());
        assertEquals(0, set.arenaCount());
        assertEquals(0, set.hints().size(), "the hint answered elsewhere was discarded");
    }
}
