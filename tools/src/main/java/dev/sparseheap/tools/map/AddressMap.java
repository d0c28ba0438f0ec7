/*
 * The address map of a heap: its ranges, its unused reservations, its hints, the foreign
 * mappings around it and the gaps between, as one sorted list of MapEntry, built from a
 * HeapLayout snapshot.
 *
 * Heap ranges are labelled with the number of arenas they touch. Reserved space is what the
 * heap holds minus what it handed out. Foreign ranges come from the snapshot (a simulated
 * space knows them exactly; on the real OS they are the process's other mappings) and are
 * clipped where they overlap the heap's own reservations, which they never may in a simulation.
 * A JVM has hundreds of small mappings that would bury the heap on a map of a 48-bit space, so
 * foreign mappings closer than a given gap are drawn as one cluster (a gap of 0 joins only those
 * that touch). Gaps are only listed between other entries, not before the first or after the last.
 */
package dev.sparseheap.tools.map;

import dev.sparseheap.ArenaHint;
import dev.sparseheap.ArenaRange;
import dev.sparseheap.ByteSize;
import dev.sparseheap.HeapLayout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Builds address maps from heap layouts. Stateless; safe for use by any thread. */
public final class AddressMap {

    /** Hints listed on a map; a 64-bit heap starts with 128, which would drown everything else. */
    static final int HINTS_SHOWN = 4;

    /**
     * Process mappings closer than this are drawn as one foreign cluster: a JVM has hundreds of
     * small mappings that would bury the heap on a map of a 48-bit space.
     */
    public static final long PROCESS_CLUSTER_GAP = 64L << 20;

    private AddressMap() {
    }

    /**
     * The sorted entries of {@code layout}, gaps included.
     *
     * @param layout     the heap's snapshot
     * @param clusterGap foreign mappings closer than this many bytes are drawn as one; 0 joins
     *                   only mappings that touch or overlap
     * @throws IllegalArgumentException when {@code clusterGap} is negative
     */
    public static List<MapEntry> of(HeapLayout layout, long clusterGap) {
        if (clusterGap < 0) {
            throw new IllegalArgumentException("cluster gap must not be negative: " + clusterGap);
        }
        List<MapEntry> entries = new ArrayList<>();
        List<ArenaRange> heap = layout.heapRanges();
        List<ArenaRange> reservations = layout.reservations();
        for (ArenaRange range : heap) {
            entries.add(new MapEntry(range.base(), range.size(), MapEntry.Kind.HEAP,
                    arenasLabel(arenasIn(layout.arenas(), range))));
        }
        for (ArenaRange unused : subtract(reservations, heap)) {
            entries.add(new MapEntry(unused.base(), unused.size(), MapEntry.Kind.RESERVED, "held, not used yet"));
        }
        for (ArenaRange other : subtract(cluster(layout.foreignMappings(), clusterGap), reservations)) {
            entries.add(new MapEntry(other.base(), other.size(), MapEntry.Kind.FOREIGN, "not the heap's"));
        }
        List<ArenaHint> hints = layout.hints();
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

    private static long arenasIn(List<ArenaRange> arenas, ArenaRange range) {
        return arenas.stream().filter(a -> a.base() < range.end() && range.base() < a.end()).count();
    }

    /** Sorted union of {@code ranges}, with ranges at most {@code maxGap} bytes apart joined. */
    static List<ArenaRange> cluster(List<ArenaRange> ranges, long maxGap) {
        List<ArenaRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(ArenaRange::base));
        List<ArenaRange> clusters = new ArrayList<>();
        long start = -1;
        long end = -1;
        for (ArenaRange range : sorted) {
            if (start >= 0 && range.base() - end <= maxGap) {
                end = Math.max(end, range.end());
                continue;
            }
            if (start >= 0) {
                clusters.add(new ArenaRange(start, end - start));
            }
            start = range.base();
            end = range.end();
        }
        if (start >= 0) {
            clusters.add(new ArenaRange(start, end - start));
        }
        return clusters;
    }

    /** The parts of {@code ranges} not covered by {@code holes}; both sorted and disjoint within themselves. */
    static List<ArenaRange> subtract(List<ArenaRange> ranges, List<ArenaRange> holes) {
        List<ArenaRange> remaining = new ArrayList<>();
        List<ArenaRange> mergedHoles = cluster(holes, 0);
        for (ArenaRange range : cluster(ranges, 0)) {
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

    /** A one-line summary of {@code layout}: layout, space, arenas and accounting. */
    public static String summary(HeapLayout layout) {
        return layout.layout().name().toLowerCase(Locale.ROOT) + " layout on " + layout.addressSpace()
                + ": " + layout.arenas().size() + " arenas of " + ByteSize.format(layout.arenaBytes())
                + ", reserved " + ByteSize.format(layout.reservedBytes())
                + ", mapped " + ByteSize.format(layout.mappedBytes())
                + ", metadata " + ByteSize.format(layout.metadataBytes());
    }
}
