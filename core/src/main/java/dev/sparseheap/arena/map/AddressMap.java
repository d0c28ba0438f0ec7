/*
 * The address map of a heap: its ranges, its unused reservations, its hints, the foreign
 * mappings around it and the gaps between, as one sorted list of MapEntry.
 *
 * Heap ranges are labelled with the number of arenas they touch. Reserved space is what the
 * heap holds minus what it handed out. Foreign ranges are given by the caller (a simulated
 * space knows them exactly; on the real OS they come from /proc/self/maps) and are clipped
 * where they overlap the heap's own reservations, which they never may in a simulation but can
 * on the real OS, where the heap's reservations also appear in the process's maps. Gaps are
 * only listed between other entries, not before the first or after the last.
 */
package dev.sparseheap.arena.map;

import dev.sparseheap.arena.ArenaHint;
import dev.sparseheap.arena.ArenaRange;
import dev.sparseheap.arena.ArenaSet;
import dev.sparseheap.arena.HeapArena;
import dev.sparseheap.os.ProcMaps;
import dev.sparseheap.os.SimulatedAddressSpace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/** Builds address maps. Stateless; safe for use by any thread (the ArenaSet serialises its own reads). */
public final class AddressMap {

    /** Hints listed on a map; a 64-bit heap starts with 128, which would drown everything else. */
    static final int HINTS_SHOWN = 4;

    private AddressMap() {
    }

    /**
     * The sorted entries of {@code set} with {@code foreign} mappings around it.
     *
     * @param set     the heap
     * @param foreign other mappings of the space, in any order; overlapping ones are merged
     */
    public static List<MapEntry> of(ArenaSet set, List<ArenaRange> foreign) {
        List<MapEntry> entries = new ArrayList<>();
        List<ArenaRange> heap = set.heapRanges();
        List<ArenaRange> reservations = set.reservations();
        List<HeapArena> arenas = set.arenas();
        for (ArenaRange range : heap) {
            entries.add(new MapEntry(range.base(), range.size(), MapEntry.Kind.HEAP, arenasLabel(arenasIn(arenas, range))));
        }
        for (ArenaRange unused : subtract(reservations, heap)) {
            entries.add(new MapEntry(unused.base(), unused.size(), MapEntry.Kind.RESERVED, "held, not used yet"));
        }
        for (ArenaRange other : subtract(merge(foreign), reservations)) {
            entries.add(new MapEntry(other.base(), other.size(), MapEntry.Kind.FOREIGN, "not the heap's"));
        }
        List<ArenaHint> hints = set.hints();
        int shown = Math.min(hints.size(), HINTS_SHOWN);
        for (int i = 0; i < shown; i++) {
            ArenaHint hint = hints.get(i);
            String more = i == shown - 1 && hints.size() > shown ? " (" + (hints.size() - shown) + " more hints after it)" : "";
            entries.add(new MapEntry(hint.address(), 0, MapEntry.Kind.HINT,
                    (i == 0 ? "next hint, " : "hint " + (i + 1) + ", ") + (hint.down() ? "grows down" : "grows up") + more));
        }
        entries.sort(Comparator.comparingLong(MapEntry::base).thenComparingLong(MapEntry::size));
        return withGaps(entries);
    }

    private static String arenasLabel(long count) {
        return count == 1 ? "1 arena" : count + " arenas";
    }

    private static long arenasIn(List<HeapArena> arenas, ArenaRange range) {
        return arenas.stream().filter(a -> a.base() < range.end() && range.base() < a.end()).count();
    }

    /** Sorted, coalesced union of {@code ranges}. */
    static List<ArenaRange> merge(List<ArenaRange> ranges) {
        TreeMap<Long, Long> endByStart = new TreeMap<>();
        List<ArenaRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(ArenaRange::base));
        long start = -1;
        long end = -1;
        for (ArenaRange range : sorted) {
            if (start >= 0 && range.base() <= end) {
                end = Math.max(end, range.end());
            } else {
                if (start >= 0) {
                    endByStart.put(start, end);
                }
                start = range.base();
                end = range.end();
            }
        }
        if (start >= 0) {
            endByStart.put(start, end);
        }
        List<ArenaRange> merged = new ArrayList<>();
        endByStart.forEach((s, e) -> merged.add(new ArenaRange(s, e - s)));
        return merged;
    }

    /** The parts of {@code ranges} not covered by {@code holes}; both sorted and disjoint within themselves. */
    static List<ArenaRange> subtract(List<ArenaRange> ranges, List<ArenaRange> holes) {
        List<ArenaRange> remaining = new ArrayList<>();
        List<ArenaRange> mergedHoles = merge(holes);
        for (ArenaRange range : merge(ranges)) {
            long from = range.base();
            for (ArenaRange hole : mergedHoles) {
                if (hole.end() <= from || hole.base() >= range.end()) {
                    continue;
                }
                if (hole.base() > from) {
                    remaining.add(new ArenaRange(from, hole.base() - from));
                }
                from = Math.max(from, hole.end());
            }
            if (from < range.end()) {
                remaining.add(new ArenaRange(from, range.end() - from));
            }
        }
        return remaining;
    }

    private static List<MapEntry> withGaps(List<MapEntry> sorted) {
        List<MapEntry> entries = new ArrayList<>(sorted.size() * 2);
        long covered = -1;
        for (MapEntry entry : sorted) {
            if (covered >= 0 && entry.base() > covered) {
                entries.add(new MapEntry(covered, entry.base() - covered, MapEntry.Kind.GAP, "free"));
            }
            entries.add(entry);
            covered = Math.max(covered, entry.end());
        }
        return List.copyOf(entries);
    }

    /** The foreign mappings of a simulated space (program image, brk, libraries, shadows). */
    public static List<ArenaRange> foreignMappings(SimulatedAddressSpace space) {
        return space.mappings().stream()
                .filter(m -> m.owner() == SimulatedAddressSpace.Owner.FOREIGN)
                .map(m -> new ArenaRange(m.base(), m.size()))
                .toList();
    }

    /**
     * The mappings of this process from /proc/self/maps, with those closer than {@code maxGap}
     * merged into one: a JVM has hundreds of mappings, and a map of the heap needs to show where
     * they are, not each of them. The heap's own reservations are among them; {@link #of}
     * leaves those out.
     */
    public static List<ArenaRange> processMappings(long maxGap) {
        List<ArenaRange> clusters = new ArrayList<>();
        long start = -1;
        long end = -1;
        for (ProcMaps.Region region : ProcMaps.read()) {
            if (region.start() < 0 || region.end() <= region.start()) {
                continue; // the kernel's own page above the signed range ([vsyscall])
            }
            if (start >= 0 && region.start() - end <= maxGap) {
                end = Math.max(end, region.end());
                continue;
            }
            if (start >= 0) {
                clusters.add(new ArenaRange(start, end - start));
            }
            start = region.start();
            end = region.end();
        }
        if (start >= 0) {
            clusters.add(new ArenaRange(start, end - start));
        }
        return clusters;
    }

    /** A one-line summary of {@code set}: layout, space, arenas and accounting. */
    public static String summary(ArenaSet set) {
        return set.layout().name().toLowerCase(Locale.ROOT) + " layout on " + set.addressSpace().describe()
                + ": " + set.arenaCount() + " arenas of " + ByteSize.format(set.arenaBytes())
                + ", reserved " + ByteSize.format(set.reservedBytes())
                + ", mapped " + ByteSize.format(set.mappedBytes())
                + ", metadata " + ByteSize.format(set.metadataBytes());
    }
}
