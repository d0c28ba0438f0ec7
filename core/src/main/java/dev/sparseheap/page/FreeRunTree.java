/*
 * The free runs of the page heap, ordered by address.
 *
 * Choice of structure: the page heap allocates address-ordered first fit — the lowest free run
 * that can hold the request — which keeps the heap dense at low addresses and lets the
 * scavenger work from the top. A balanced search tree keyed by run base, where every node also
 * stores the largest run length in its subtree, answers "lowest run with at least n bytes" in
 * one descent: go left whenever the left subtree's maximum is large enough, else take the node
 * if it is, else go right. Insert, remove, floor and exact lookups are ordinary tree operations.
 * All are O(log r) in the number r of free runs, independent of the heap size, so terabyte heaps
 * cost no more than small ones with the same fragmentation. (Go later replaced its treap with a
 * radix tree of bitmap summaries over the whole address space; that costs memory in proportion
 * to the heap, which a tree of runs does not.)
 *
 * The balancing is a treap: each node has a priority derived by hashing its base, and the tree
 * is a heap on priorities, which makes the expected depth logarithmic for any insertion order.
 * Deriving the priority from the base keeps the shape deterministic, so runs are reproducible.
 *
 * Aligned requests: a run long enough may still fail once its start is rounded up to the
 * alignment. The search visits, in address order, only subtrees whose maximum is large enough
 * and stops at the first run that fits aligned, so it costs O(log r) per long-enough run that
 * alignment rejects; a run of at least n + alignment - page bytes always fits.
 *
 * Invariants (checked by verify): in-order bases strictly increase; runs neither overlap nor
 * touch (touching runs are merged on insertion); every size is a positive multiple of the page
 * size; maxSize is the maximum over the subtree; parents' priorities are not below children's;
 * count and totalBytes match the nodes.
 */
package dev.sparseheap.page;

import dev.sparseheap.ArenaRange;

import java.util.ArrayList;
import java.util.List;

/**
 * Address-ordered set of maximal free runs with first-fit search.
 *
 * <p>Thread safety: none; the page heap uses it under its lock.
 */
final class FreeRunTree {

    private static final class Node {
        final long base;
        final long size;
        final long priority;
        long maxSize;
        Node left;
        Node right;

        Node(long base, long size) {
            this.base = base;
            this.size = size;
            this.priority = mix(base);
            this.maxSize = size;
        }

        long end() {
            return base + size;
        }
    }

    /** Receives runs in address order. */
    @FunctionalInterface
    interface RunVisitor {
        void visit(long base, long end);
    }

    private Node root;
    private long count;
    private long totalBytes;

    /** Number of free runs. */
    long count() {
        return count;
    }

    /** Bytes in all free runs. */
    long totalBytes() {
        return totalBytes;
    }

    /** Bytes of the largest run, 0 when empty. */
    long largest() {
        return root == null ? 0 : root.maxSize;
    }

    /**
     * Adds the free range [base, end), merging it with the runs that end at base or start at
     * end, so that runs stay maximal.
     *
     * @throws IllegalStateException when the range overlaps a free run (a page freed twice)
     */
    void addCoalescing(long base, long end) {
        Node below = floor(base);
        if (below != null && below.end() > base) {
            throw overlap(base, end, below);
        }
        Node above = ceiling(base);
        if (above != null && above.base < end) {
            throw overlap(base, end, above);
        }
        long mergedBase = base;
        long mergedEnd = end;
        if (below != null && below.end() == base) {
            mergedBase = below.base;
            remove(below.base);
        }
        if (above != null && above.base == end) {
            mergedEnd = above.end();
            remove(above.base);
        }
        insert(mergedBase, mergedEnd - mergedBase);
    }

    /**
     * The lowest address, a multiple of {@code alignment}, at which {@code bytes} fit in one free
     * run, or -1 when no run can hold them.
     */
    long firstFit(long bytes, long alignment) {
        return firstFit(root, bytes, alignment);
    }

    private static long firstFit(Node node, long bytes, long alignment) {
        if (node == null || node.maxSize < bytes) {
            return -1;
        }
        long inLeft = firstFit(node.left, bytes, alignment);
        if (inLeft >= 0) {
            return inLeft;
        }
        long start = alignUp(node.base, alignment);
        if (node.size >= bytes && start + bytes <= node.end()) {
            return start;
        }
        return firstFit(node.right, bytes, alignment);
    }

    /**
     * Takes [start, start + bytes) out of the free run that holds it, leaving the pieces before
     * and after it as runs.
     *
     * @throws IllegalStateException when no single free run holds the range
     */
    void take(long start, long bytes) {
        Node run = floor(start);
        long end = start + bytes;
        if (run == null || run.end() < end) {
            throw new IllegalStateException("[0x%x, 0x%x) is not inside one free run".formatted(start, end));
        }
        remove(run.base);
        if (run.base < start) {
            insert(run.base, start - run.base);
        }
        if (end < run.end()) {
            insert(end, run.end() - end);
        }
    }

    /** True when [base, end) lies inside one free run. */
    boolean covers(long base, long end) {
        Node run = floor(base);
        return run != null && run.end() >= end;
    }

    /** Visits every run in address order. */
    void forEach(RunVisitor visitor) {
        forEach(root, visitor);
    }

    private static void forEach(Node node, RunVisitor visitor) {
        while (node != null) {
            forEach(node.left, visitor);
            visitor.visit(node.base, node.end());
            node = node.right;
        }
    }

    /** The runs in address order. */
    List<ArenaRange> runs() {
        List<ArenaRange> runs = new ArrayList<>((int) Math.min(count, Integer.MAX_VALUE - 8));
        forEach((base, end) -> runs.add(new ArenaRange(base, end - base)));
        return runs;
    }

    /** Checks every invariant in the file comment; throws IllegalStateException on the first broken one. */
    void verify(long pageSize) {
        long[] totals = new long[2];
        long[] previousEnd = {Long.MIN_VALUE};
        forEach((base, end) -> {
            if (end <= base || ((end - base) & (pageSize - 1)) != 0 || (base & (pageSize - 1)) != 0) {
                throw new IllegalStateException("free run [0x%x, 0x%x) is empty or not page-aligned".formatted(base, end));
            }
            if (base <= previousEnd[0]) {
                throw new IllegalStateException("free run at 0x%x overlaps or touches the run ending at 0x%x"
                        .formatted(base, previousEnd[0]));
            }
            previousEnd[0] = end;
            totals[0]++;
            totals[1] += end - base;
        });
        if (totals[0] != count || totals[1] != totalBytes) {
            throw new IllegalStateException("free run tree counts %d runs of %d bytes, holds %d of %d"
                    .formatted(count, totalBytes, totals[0], totals[1]));
        }
        verifyShape(root);
    }

    private static long verifyShape(Node node) {
        if (node == null) {
            return 0;
        }
        long max = Math.max(node.size, Math.max(verifyShape(node.left), verifyShape(node.right)));
        if (node.maxSize != max) {
            throw new IllegalStateException("free run at 0x%x records subtree maximum %d, actual %d"
                    .formatted(node.base, node.maxSize, max));
        }
        for (Node child : new Node[] {node.left, node.right}) {
            if (child != null && Long.compareUnsigned(child.priority, node.priority) > 0) {
                throw new IllegalStateException("free run at 0x%x outranks its parent at 0x%x"
                        .formatted(child.base, node.base));
            }
        }
        return max;
    }

    private Node floor(long address) {
        Node best = null;
        for (Node node = root; node != null; ) {
            if (node.base <= address) {
                best = node;
                node = node.right;
            } else {
                node = node.left;
            }
        }
        return best;
    }

    private Node ceiling(long address) {
        Node best = null;
        for (Node node = root; node != null; ) {
            if (node.base >= address) {
                best = node;
                node = node.left;
            } else {
                node = node.right;
            }
        }
        return best;
    }

    private void insert(long base, long size) {
        root = insert(root, new Node(base, size));
        count++;
        totalBytes += size;
    }

    private static Node insert(Node node, Node added) {
        if (node == null) {
            return added;
        }
        if (Long.compareUnsigned(added.priority, node.priority) > 0) {
            Node[] halves = split(node, added.base);
            added.left = halves[0];
            added.right = halves[1];
            return update(added);
        }
        if (added.base < node.base) {
            node.left = insert(node.left, added);
        } else {
            node.right = insert(node.right, added);
        }
        return update(node);
    }

    private void remove(long base) {
        Node[] removed = new Node[1];
        root = remove(root, base, removed);
        count--;
        totalBytes -= removed[0].size;
    }

    private static Node remove(Node node, long base, Node[] removed) {
        if (node.base == base) {
            removed[0] = node;
            return merge(node.left, node.right);
        }
        if (base < node.base) {
            node.left = remove(node.left, base, removed);
        } else {
            node.right = remove(node.right, base, removed);
        }
        return update(node);
    }

    /** Splits into the nodes below key and those at or above it. */
    private static Node[] split(Node node, long key) {
        if (node == null) {
            return new Node[2];
        }
        if (node.base < key) {
            Node[] halves = split(node.right, key);
            node.right = halves[0];
            halves[0] = update(node);
            return halves;
        }
        Node[] halves = split(node.left, key);
        node.left = halves[1];
        halves[1] = update(node);
        return halves;
    }

    /** Joins two trees where every base in low is below every base in high. */
    private static Node merge(Node low, Node high) {
        if (low == null) {
            return high;
        }
        if (high == null) {
            return low;
        }
        if (Long.compareUnsigned(low.priority, high.priority) > 0) {
            low.right = merge(low.right, high);
            return update(low);
        }
        high.left = merge(low, high.left);
        return update(high);
    }

    private static Node update(Node node) {
        long max = node.size;
        if (node.left != null) {
            max = Math.max(max, node.left.maxSize);
        }
        if (node.right != null) {
            max = Math.max(max, node.right.maxSize);
        }
        node.maxSize = max;
        return node;
    }

    private static long alignUp(long address, long alignment) {
        return (address + alignment - 1) & -alignment;
    }

    /** A 64-bit finaliser (SplitMix64): spreads page-aligned bases over all priorities. */
    private static long mix(long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static IllegalStateException overlap(long base, long end, Node run) {
        return new IllegalStateException("[0x%x, 0x%x) overlaps free run [0x%x, 0x%x)"
                .formatted(base, end, run.base, run.end()));
    }
}
