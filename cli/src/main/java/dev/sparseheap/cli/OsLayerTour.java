package dev.sparseheap.cli;

import dev.sparseheap.ByteSize;
import dev.sparseheap.os.AddressSpace;
import dev.sparseheap.os.ProcMaps;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The demo's first part: one arena-sized range taken through every state of the OS layer on the
 * real address space — reserved, ready, written, released, freed — with what the kernel reports
 * after each step read back from {@code /proc/self/maps} and {@code smaps}.
 *
 * <p>It exists to show that the states in {@link AddressSpace} are real kernel states, not
 * bookkeeping: a reservation is a {@code ---p} mapping with nothing resident, a mapped range
 * turns {@code rw-p}, touched pages become resident, released pages leave the resident set and
 * read as zero, and a freed range is gone.
 *
 * <p>Not thread-safe; used once by the demo's thread.
 */
final class OsLayerTour {

    private static final long RANGE_BYTES = 64L << 20;
    private static final long HINT = 0x00c0L << 32 | 0x7fL << 40;

    private final AddressSpace space;
    private final PrintWriter out;

    OsLayerTour(AddressSpace space, PrintWriter out) {
        this.space = space;
        this.out = out;
    }

    void run() {
        out.printf("OS layer: %s, physical page %s%n", space.describe(), ByteSize.format(space.physicalPageSize()));
        long base = space.reserve(HINT, RANGE_BYTES);
        if (base == 0) {
            throw new IllegalStateException("the OS refused a reservation of " + ByteSize.format(RANGE_BYTES));
        }
        long end = base + RANGE_BYTES;
        try {
            report("reserve " + ByteSize.format(RANGE_BYTES) + " (hint " + hex(HINT) + ")", base, end);
            space.map(base, RANGE_BYTES);
            report("map", base, end);
            MemorySegment range = MemorySegment.ofAddress(base).reinterpret(RANGE_BYTES);
            for (long offset = 0; offset < RANGE_BYTES; offset += space.physicalPageSize()) {
                range.set(ValueLayout.JAVA_BYTE, offset, (byte) 0x5a);
            }
            report("write one byte in every page", base, end);
            space.release(base, RANGE_BYTES);
            report("release (pages read back as " + range.get(ValueLayout.JAVA_BYTE, 0) + ")", base, end);
        } finally {
            space.free(base, RANGE_BYTES);
        }
        report("free", base, end);
        out.println();
    }

    private static String hex(long address) {
        return String.format(java.util.Locale.ROOT, "0x%012x", address);
    }

    private void report(String step, long from, long to) {
        var regions = ProcMaps.read(from, to);
        String kernelView = regions.isEmpty()
                ? "no mapping"
                : regions.stream()
                        .map(r -> hex(r.start()) + "-" + hex(r.end()) + " " + r.permissions())
                        .reduce((a, b) -> a + ", " + b)
                        .orElseThrow();
        out.printf("  %-46s %-48s resident %s%n", step, kernelView,
                ByteSize.format(ProcMaps.residentBytes(from, to)));
    }
}
