/*
 * A set of addresses kept as disjoint, coalesced half-open ranges in a sorted map from start to
 * end. Adding a range merges it with every range it touches or overlaps, so the listing is
 * always the minimal sorted list of runs — what the heap's mapped ranges and drawings need.
 */
package dev.sparseheap.arena;

import dev.sparseheap.ArenaRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Coalesced ranges of addresses. Not thread-safe: the owner serialises access. */
final class RangeSet {

    private final TreeMap<Long, Long> endByStart = new TreeMap<>();
    private long totalBytes;

    /** Adds {@code [base, base + size)}, merging with adjacent and overlapping ranges. */
    void add(long base, long size) {
        long start = base;
        long end = base + size;
        Map.Entry<Long, Long> before = endByStart.floorEntry(start);
        if (before != null && before.getValue() >= start) {
            start = before.getKey();
            end = Math.max(end, before.getValue());
        }
        Map.Entry<Long, Long> next = endByStart.ceilingEntry(start);
        while (next != null && next.getKey() <= end) {
            end = Math.max(end, next.getValue());
            totalBytes -= next.getValue() - next.getKey();
            endByStart.remove(next.getKey());
            next = endByStart.ceilingEntry(start);
        }
        endByStart.put(start, end);
        totalBytes += end - start;
    }

    /** Whether any address of {@code [base, base + size)} is in the set. */
    boolean overlaps(long base, long size) {
        Map.Entry<Long, Long> before = endByStart.floorEntry(base);
        if (before != null && before.getValue() > base) {
            return true;
        }
        Long nextStart = endByStart.higherKey(base);
        return nextStart != null && nextStart < base + size;
    }

    /** Bytes in the set. */
    long totalBytes() {
        return totalBytes;
    }

    /** The ranges, sorted and coalesced. */
    List<ArenaRange> ranges() {
        List<ArenaRange> ranges = new ArrayList<>(endByStart.size());
        endByStart.forEach((start, end) -> ranges.add(new ArenaRange(start, end - start)));
        return List.copyOf(ranges);
    }
}
