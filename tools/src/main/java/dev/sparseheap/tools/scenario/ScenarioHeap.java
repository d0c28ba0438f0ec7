/*
 * The heap as a scenario drives it: every growth goes through here so that every grant is
 * checked (aligned, inside no earlier grant, outside every range the scenario forbade, found by
 * the index) and every invariant of the heap and the space is checked after each step.
 */
package dev.sparseheap.tools.scenario;

import dev.sparseheap.ArenaLayout;
import dev.sparseheap.ArenaRange;
import dev.sparseheap.arena.ArenaSet;
import dev.sparseheap.arena.HeapArena;
import dev.sparseheap.os.SimulatedAddressSpace;
import dev.sparseheap.ByteSize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A checked heap for one scenario run. Not thread-safe: one scenario runs on one thread. */
final class ScenarioHeap {

    private final ArenaSet<?> set;
    private final SimulatedAddressSpace space;
    private final TreeMap<Long, ArenaRange> grantsByBase = new TreeMap<>();
    private final List<ArenaRange> forbidden = new ArrayList<>();
    private long grantedBytes;
    private int grows;
    private int descendingGrants;

    ScenarioHeap(ArenaSet<?> set, SimulatedAddressSpace space) {
        this.set = set;
        this.space = space;
    }

    ArenaSet<?> set() {
        return set;
    }

    SimulatedAddressSpace space() {
        return space;
    }

    /**
     * Grows the heap by {@code bytes} and checks everything.
     *
     * @throws HeapExhausted when the heap cannot grow
     */
    ArenaRange grow(long bytes) {
        ArenaRange grant = tryGrow(bytes);
        if (grant == null) {
            throw new HeapExhausted("cannot grow by " + ByteSize.format(bytes) + " after " + summary());
        }
        return grant;
    }

    /** Grows the heap by {@code bytes} and checks everything; null when the heap cannot grow. */
    ArenaRange tryGrow(long bytes) {
        ArenaRange grant = set.grow(bytes);
        if (grant != null) {
            checkGrant(grant, bytes);
            grows++;
            grantedBytes += grant.size();
        }
        check();
        return grant;
    }

    /** From now on no grant may overlap {@code range}. */
    void forbid(ArenaRange range) {
        forbidden.add(range);
    }

    /** Checks the heap and the space. */
    void check() {
        set.verifyAgainstSpace();
    }

    private void checkGrant(ArenaRange grant, long asked) {
        long alignment = set.layout() == ArenaLayout.SPARSE ? set.arenaBytes() : HeapArena.PAGE_SIZE;
        if (grant.base() % alignment != 0 || grant.size() % alignment != 0 || grant.size() < asked) {
            throw new IllegalStateException("grant " + grant + " for " + asked + " bytes is not "
                    + alignment + "-byte aligned or too small");
        }
        Map.Entry<Long, ArenaRange> before = grantsByBase.floorEntry(grant.end() - 1);
        if (before != null && before.getValue().end() > grant.base()) {
            throw new IllegalStateException("grant " + grant + " overlaps earlier grant " + before.getValue());
        }
        for (ArenaRange range : forbidden) {
            if (range.base() < grant.end() && grant.base() < range.end()) {
                throw new IllegalStateException("grant " + grant + " lands in forbidden range " + range);
            }
        }
        if (set.arenaOf(grant.base()) == null || set.arenaOf(grant.end() - 1) == null) {
            throw new IllegalStateException("index does not find grant " + grant);
        }
        if (!grantsByBase.isEmpty() && grant.base() < grantsByBase.lastEntry().getValue().base()) {
            descendingGrants++;
        }
        grantsByBase.put(grant.base(), grant);
    }

    /** Number of grants that came below an earlier one. */
    int descendingGrants() {
        return descendingGrants;
    }

    /** "N grows, X in M ranges". */
    String summary() {
        return grows + " grows, " + ByteSize.format(grantedBytes) + " in " + set.heapRanges().size() + " ranges";
    }
}
