/*
 * The ranges of an address space and what each one holds.
 *
 * A TreeMap keyed by base holds non-overlapping ranges, each with a state (reserved, ready,
 * released), an owner (the heap or a foreign mapping) and a group. Every operation touches
 * O(log n + k) entries, n being the number of ranges and k the number the operation covers,
 * so a heap of a terabyte in thousands of reservations costs no more than a small one.
 *
 * Invariants:
 *   - ranges never overlap and are never empty;
 *   - two adjacent ranges with the same state, owner and group are always merged, so the
 *     map stays as small as the layout allows; a group keeps boundaries that must survive
 *     merging (a Windows reservation can only be freed whole, so each one is its own group);
 *   - blocked intervals (page zero, the gap the kernel keeps above the program break) are
 *     never handed out and are not mappings: they are kept apart from the ranges;
 *   - the byte counters always equal the sums over the ranges. They are written only by the
 *     owner of the table under its lock and are volatile, so readers need no lock.
 *
 * Checks come before effects: require() walks the covered ranges and throws before any
 * entry is split, so a refused operation leaves the table exactly as it was.
 */
package dev.sparseheap.os;


import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A sorted map of the ranges held in an address space, with exact byte accounting and the
 * search for free gaps.
 *
 * <p>Not thread-safe: the address space that owns it serialises every mutation under its own
 * lock. The byte counters may be read by any thread without a lock.
 */
final class RangeTable {

    /** One range of pages with a single state, owner and group. */
    record Range(long base, long end, RangeState state, RangeOwner owner, long group) {

        long size() {
            return end - base;
        }

        Range slice(long newBase, long newEnd) {
            return new Range(newBase, newEnd, state, owner, group);
        }

        Range withState(RangeState newState) {
            return new Range(base, end, newState, owner, group);
        }

        boolean mergesWith(Range next) {
            return end == next.base && state == next.state && owner == next.owner && group == next.group;
        }
    }

    private final TreeMap<Long, Range> ranges = new TreeMap<>();
    private final TreeMap<Long, Long> blockedEnds = new TreeMap<>();

    private volatile long heapReservedBytes;
    private volatile long heapMappedBytes;
    private volatile long heapReleasedBytes;
    private volatile long heldBytes;

    /** Heap-owned bytes in any state. */
    long heapReservedBytes() {
        return heapReservedBytes;
    }

    /** Heap-owned bytes that are ready or released. */
    long heapMappedBytes() {
        return heapMappedBytes;
    }

    /** Heap-owned bytes that are released. */
    long heapReleasedBytes() {
        return heapReleasedBytes;
    }

    /** Bytes of every range, heap and foreign: what {@code ulimit -v} counts. */
    long heldBytes() {
        return heldBytes;
    }

    /** Marks {@code [base, end)} as never to be handed out. It must not overlap a range. */
    void block(long base, long end) {
        blockedEnds.put(base, end);
    }

    /** True when no range and no blocked interval overlaps {@code [base, end)}. */
    boolean isFree(long base, long end) {
        return !overlaps(ranges.floorEntry(end - 1), base) && !overlapsBlocked(blockedEnds.floorEntry(end - 1), base);
    }

    private static boolean overlaps(Map.Entry<Long, Range> below, long base) {
        return below != null && below.getValue().end > base;
    }

    private static boolean overlapsBlocked(Map.Entry<Long, Long> below, long base) {
        return below != null && below.getValue() > base;
    }

    /** The range holding {@code address}, or null when it is free. */
    Range rangeContaining(long address) {
        var below = ranges.floorEntry(address);
        return below != null && below.getValue().end > address ? below.getValue() : null;
    }

    /** Adds a range over free space, merging it with equal neighbours. */
    void add(long base, long end, RangeState state, RangeOwner owner, long group) {
        var range = new Range(base, end, state, owner, group);
        ranges.put(base, range);
        account(range, 1);
        mergeAround(base, end);
    }

    /**
     * Checks that {@code [base, end)} is wholly covered by heap ranges in one of the
     * {@code allowed} states, and returns them in address order (the first and last may
     * extend past the bounds).
     *
     * @throws IllegalStateException naming {@code call} when a page is free, foreign or in
     *                               another state
     */
    List<Range> require(String call, long base, long end, Set<RangeState> allowed) {
        var covered = new ArrayList<Range>();
        long next = base;
        var floor = ranges.floorEntry(base);
        var from = floor != null && floor.getValue().end > base ? floor.getKey() : base;
        for (var range : ranges.subMap(from, true, end, false).values()) {
            if (range.base > next) {
                break;
            }
            if (range.owner != RangeOwner.HEAP) {
                throw new IllegalStateException(call + ": " + describe(range) + " belongs to a foreign mapping");
            }
            if (!allowed.contains(range.state)) {
                throw new IllegalStateException(call + ": " + describe(range) + " is "
                        + range.state.name().toLowerCase() + ", expected " + names(allowed));
            }
            covered.add(range);
            next = range.end;
        }
        if (next < end) {
            throw new IllegalStateException(call + ": [" + RangeArguments.hex(next) + ", "
                    + RangeArguments.hex(Math.min(end, nextBaseAtOrAbove(next)))
                    + ") is not held by this address space");
        }
        return covered;
    }

    private long nextBaseAtOrAbove(long address) {
        var key = ranges.ceilingKey(address);
        return key == null ? Long.MAX_VALUE : key;
    }

    private static String describe(Range range) {
        return "[" + RangeArguments.hex(range.base) + ", " + RangeArguments.hex(range.end) + ")";
    }

    private static String names(Set<RangeState> states) {
        return String.join(" or ", states.stream().map(s -> s.name().toLowerCase()).sorted().toList());
    }

    /** Gives every page of {@code [base, end)}, which must be covered, the state {@code state}. */
    void setState(long base, long end, RangeState state) {
        splitAt(base);
        splitAt(end);
        for (var range : List.copyOf(ranges.subMap(base, true, end, false).values())) {
            account(range, -1);
            var changed = range.withState(state);
            ranges.put(changed.base, changed);
            account(changed, 1);
        }
        mergeAround(base, end);
    }

    /** Removes every page of {@code [base, end)}, which must be covered. */
    void remove(long base, long end) {
        splitAt(base);
        splitAt(end);
        var removed = ranges.subMap(base, true, end, false);
        removed.values().forEach(range -> account(range, -1));
        removed.clear();
    }

    /** All ranges in address order. */
    List<Mapping> mappings() {
        return ranges.values().stream()
                .map(r -> new Mapping(r.base, r.size(), r.state, r.owner))
                .toList();
    }

    /**
     * The highest base, a multiple of {@code align}, of a free range of {@code size} bytes
     * within {@code [floor, ceiling)}; -1 when none fits. Walks gaps downward from the
     * ceiling, so the cost is the number of ranges passed over.
     */
    long highestFit(long floor, long ceiling, long size, long align) {
        long top = ceiling;
        while (top - floor >= size) {
            var obstacle = highestObstacleBelow(top);
            long gapBase = obstacle == null ? floor : Math.max(floor, obstacle[1]);
            if (obstacle == null || obstacle[1] < top) {
                long base = Math.floorDiv(top - size, align) * align;
                if (base >= gapBase) {
                    return base;
                }
            }
            if (obstacle == null) {
                return -1;
            }
            top = obstacle[0];
        }
        return -1;
    }

    /**
     * The lowest base, a multiple of {@code align}, of a free range of {@code size} bytes
     * within {@code [floor, ceiling)}; -1 when none fits. Walks gaps upward from the floor.
     */
    long lowestFit(long floor, long ceiling, long size, long align) {
        long base = ceilDiv(floor, align) * align;
        while (base <= ceiling - size) {
            var obstacle = lowestObstacleEndingAbove(base);
            if (obstacle == null || obstacle[0] >= base + size) {
                return base;
            }
            base = ceilDiv(obstacle[1], align) * align;
        }
        return -1;
    }

    private static long ceilDiv(long value, long divisor) {
        return Math.ceilDiv(value, divisor);
    }

    /** The range or blocked interval with the highest base below {@code top}, as {base, end}. */
    private long[] highestObstacleBelow(long top) {
        var range = ranges.lowerEntry(top);
        var blocked = blockedEnds.lowerEntry(top);
        if (range == null && blocked == null) {
            return null;
        }
        if (blocked == null || (range != null && range.getKey() > blocked.getKey())) {
            return new long[] {range.getKey(), range.getValue().end};
        }
        return new long[] {blocked.getKey(), blocked.getValue()};
    }

    /** The lowest range or blocked interval that ends above {@code address}, as {base, end}. */
    private long[] lowestObstacleEndingAbove(long address) {
        long[] best = null;
        var range = ranges.floorEntry(address);
        if (range == null || range.getValue().end <= address) {
            range = ranges.higherEntry(address);
        }
        if (range != null) {
            best = new long[] {range.getKey(), range.getValue().end};
        }
        var blocked = blockedEnds.floorEntry(address);
        if (blocked == null || blocked.getValue() <= address) {
            blocked = blockedEnds.higherEntry(address);
        }
        if (blocked != null && (best == null || blocked.getKey() < best[0])) {
            best = new long[] {blocked.getKey(), blocked.getValue()};
        }
        return best;
    }

    private void splitAt(long address) {
        var entry = ranges.lowerEntry(address);
        if (entry != null && entry.getValue().end > address) {
            var range = entry.getValue();
            ranges.put(range.base, range.slice(range.base, address));
            ranges.put(address, range.slice(address, range.end));
        }
    }

    /** Merges equal neighbours from the range before {@code base} to the one at {@code end}. */
    private void mergeAround(long base, long end) {
        var first = ranges.lowerKey(base);
        long cursor = first == null ? base : first;
        var current = ranges.ceilingEntry(cursor);
        while (current != null && current.getKey() <= end) {
            var next = ranges.higherEntry(current.getKey());
            if (next != null && current.getValue().mergesWith(next.getValue())) {
                var merged = current.getValue().slice(current.getKey(), next.getValue().end);
                ranges.remove(next.getKey());
                ranges.put(merged.base, merged);
                current = Map.entry(merged.base, merged);
            } else {
                current = next;
            }
        }
    }

    private void account(Range range, int sign) {
        long bytes = sign * range.size();
        heldBytes += bytes;
        if (range.owner != RangeOwner.HEAP) {
            return;
        }
        heapReservedBytes += bytes;
        if (range.state != RangeState.RESERVED) {
            heapMappedBytes += bytes;
        }
        if (range.state == RangeState.RELEASED) {
            heapReleasedBytes += bytes;
        }
    }
}
