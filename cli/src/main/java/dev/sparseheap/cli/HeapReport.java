package dev.sparseheap.cli;

import dev.sparseheap.HeapStats;
import dev.sparseheap.ByteSize;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.Locale;

/**
 * Prints a heap's statistics for people: the accounting first (what the OS gave, what is in use,
 * what went back), then the busiest size classes. Stateless apart from its stream.
 */
final class HeapReport {

    private static final int CLASSES_SHOWN = 8;

    private final PrintWriter out;

    HeapReport(PrintWriter out) {
        this.out = out;
    }

    void print(HeapStats stats) {
        row("reserved", ByteSize.format(stats.reservedBytes()), "address space held by the heap's arenas");
        row("mapped", ByteSize.format(stats.mappedBytes()), "readable and writable");
        row("in use", ByteSize.format(stats.inUseBytes()), "pages in spans");
        row("free", ByteSize.format(stats.freeBytes()), "free pages, of which released: " + ByteSize.format(stats.releasedBytes()));
        row("metadata", ByteSize.format(stats.metadataBytes()), "arena index, span maps, bitmaps (Java heap)");
        row("live objects", count(stats.objects()), ByteSize.format(stats.liveBytes()) + " usable, "
                + count(stats.largeObjects()) + " large objects of " + ByteSize.format(stats.largeBytes()));
        row("allocations", count(stats.allocations()), count(stats.frees()) + " frees, "
                + stats.threadCaches() + " thread caches");
        out.println("  busiest size classes:");
        out.printf(Locale.ROOT, "    %6s %10s %12s %12s %8s%n", "class", "object", "allocations", "live", "spans");
        stats.sizeClasses().stream()
                .sorted(Comparator.comparingLong(HeapStats.SizeClassStats::allocations).reversed())
                .limit(CLASSES_SHOWN)
                .forEach(c -> out.printf(Locale.ROOT, "    %6d %10s %12s %12s %8d%n", c.sizeClass(),
                        ByteSize.format(c.objectSize()), count(c.allocations()), count(c.objects()), c.spans()));
    }

    private void row(String name, String value, String note) {
        out.printf(Locale.ROOT, "  %-13s %12s   %s%n", name, value, note);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
