/*
 * The heap drawn in the real address space of this process: a fresh set of arenas in the
 * process's own address space, grown by a few arenas so that there is something to see, with
 * the JVM's mappings around it. Only the arena layer is built (no page heap, no objects): the
 * drawing shows where arenas land, and the figures are the arena layer's own.
 */
package dev.sparseheap.tools.map;

import dev.sparseheap.ArenaLayout;
import dev.sparseheap.HeapLayout;
import dev.sparseheap.arena.ArenaSet;
import dev.sparseheap.os.LinuxAddressSpace;
import dev.sparseheap.page.PageArena;

import java.util.List;
import java.util.Objects;

/** Snapshots of a heap in this process's address space. Stateless; safe for use by any thread. */
public final class ThisProcess {

    private ThisProcess() {
    }

    /**
     * Grows a fresh heap in this process's address space by {@code arenas} arenas under
     * {@code layout}, takes its snapshot and frees it again.
     *
     * @throws IllegalArgumentException when {@code arenas} is negative
     * @throws IllegalStateException    when the address space refuses to grow the heap (the
     *                                  message says by how much), or this is not Linux on x86-64
     *                                  or aarch64
     */
    public static HeapLayout grownHeap(ArenaLayout layout, int arenas) {
        Objects.requireNonNull(layout, "layout");
        if (arenas < 0) {
            throw new IllegalArgumentException("arena count must not be negative: " + arenas);
        }
        try (ArenaSet<PageArena> set = ArenaSet.create(LinuxAddressSpace.create(), layout, PageArena.FACTORY)) {
            for (int i = 0; i < arenas; i++) {
                if (set.grow(set.arenaBytes()) == null) {
                    throw new IllegalStateException("the address space refused " + set.arenaBytes() + " more bytes");
                }
            }
            return set.snapshot(List.of());
        }
    }
}
