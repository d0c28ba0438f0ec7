package dev.sparseheap.arena;

import dev.sparseheap.ArenaHint;
import dev.sparseheap.ArenaLayout;
import dev.sparseheap.ArenaRange;
import dev.sparseheap.os.LinuxAddressSpace;
import dev.sparseheap.page.PageArena;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 004's TestArenaCollision on the real address space of this process: another party maps a
 * page at the heap's next hint, five times, and the heap must grow around every one of them.
 */
class RealCollisionTest {

    @Test
    void theHeapGrowsAroundPagesMappedAtItsHintsByAnotherParty() {
        var space = LinuxAddressSpace.create();
        var foreignParty = LinuxAddressSpace.create();
        long page = foreignParty.physicalPageSize();
        List<ArenaRange> disallowed = new ArrayList<>();
        List<Long> foreignPages = new ArrayList<>();
        try (var set = ArenaSet.create(space, ArenaLayout.SPARSE, PageArena.FACTORY)) {
            set.keepHints(3);
            for (int round = 0; round < 5; round++) {
                ArenaHint hint = set.nextHint();
                assertNotNull(hint, "round " + round);
                long at = hint.down() ? hint.address() - page : hint.address();
                disallowed.add(hint.down()
                        ? new ArenaRange(hint.address() - set.arenaBytes(), set.arenaBytes())
                        : new ArenaRange(hint.address(), set.arenaBytes()));
                if (foreignParty.reserveExact(at, page) == at) {
                    foreignPages.add(at);
                }
                int grows = 0;
                while (hint.equals(set.nextHint())) {
                    ArenaRange grant = set.grow(set.arenaBytes());
                    assertNotNull(grant, "round " + round);
                    for (ArenaRange forbidden : disallowed) {
                        assertFalse(grant.base() < forbidden.end() && forbidden.base() < grant.end(),
                                "grant " + grant + " in disallowed range " + forbidden);
                    }
                    assertTrue(++grows < 64, "the hint never moved in round " + round);
                }
                assertNotEquals(hint, set.nextHint());
            }
            set.verify();
            assertEquals(space.reservedBytes(), set.reservedBytes());
            assertEquals(space.mappedBytes(), set.mappedBytes());
        } finally {
            for (long foreignPage : foreignPages) {
                foreignParty.free(foreignPage, page);
            }
        }
        assertEquals(0, space.reservedBytes());
        assertEquals(0, foreignParty.reservedBytes());
    }
}
