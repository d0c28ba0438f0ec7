/*
 * What the kernel says about this process's memory, read from procfs.
 *
 * /proc/self/maps lists every mapping (VMA) with its bounds, permissions and file;
 * /proc/self/smaps adds, per VMA, how much of it is resident; /proc/self/status gives the
 * resident size of the whole process. Tests and tools use these to show that reserve, map,
 * release and free really happened: a reservation appears as a "---p" mapping, a mapped
 * range as "rw-p", released pages leave the resident set, a freed range disappears.
 *
 * The kernel splits and merges VMAs as protections change, so a range the heap mapped with
 * one mprotect call is one VMA of its own unless it touches another writable anonymous
 * mapping; residentBytes counts whole VMAs that overlap the range, which for such ranges is
 * exact.
 */
package dev.sparseheap.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the mappings and resident memory of the current process from {@code /proc/self}.
 * Linux only; elsewhere every method throws {@link UncheckedIOException}.
 *
 * <p>Stateless; safe for use by any thread. Each call reads procfs afresh.
 */
public final class ProcMaps {

    private static final Path MAPS = Path.of("/proc/self/maps");
    private static final Path SMAPS = Path.of("/proc/self/smaps");
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Pattern VMA_HEADER = Pattern.compile("([0-9a-f]+)-([0-9a-f]+) (\\S+) .*");
    private static final int SNAPSHOT_BUFFER_BYTES = 4 << 20;
    private static final Pattern FIELDS = Pattern.compile(" +");

    private ProcMaps() {
    }

    /**
     * One mapping of the process.
     *
     * @param start       first address
     * @param end         one past the last address
     * @param permissions as the kernel writes them: {@code rw-p}, {@code ---p}, {@code r-xp}, …
     * @param path        the file mapped, a pseudo name such as {@code [heap]}, or empty
     */
    public record Region(long start, long end, String permissions, String path) {

        /**
         * The region's length.
         *
         * @return {@code end - start}
         */
        public long size() {
            return end - start;
        }

        /**
         * Whether the region can be read and written.
         *
         * @return true for {@code rw} permissions
         */
        public boolean readWrite() {
            return permissions.startsWith("rw");
        }

        /**
         * Whether no access is allowed: a reservation.
         *
         * @return true for {@code ---} permissions
         */
        public boolean inaccessible() {
            return permissions.startsWith("---");
        }

        /**
         * True when the region overlaps {@code [from, to)}. Addresses compare unsigned: the
         * kernel's own pages ({@code [vsyscall]}) lie above the signed range of a long.
         *
         * @param from first address of the range
         * @param to   one past its last address
         * @return whether any address of the region lies in the range
         */
        public boolean overlaps(long from, long to) {
            return Long.compareUnsigned(start, to) < 0 && Long.compareUnsigned(from, end) < 0;
        }
    }

    /**
     * Every mapping of the process, in address order, none overlapping. The kernel answers a
     * read of the maps file a page at a time and may drop its lock between pages, so when other
     * threads map memory meanwhile a later page can repeat, in its newer shape, a mapping an
     * earlier page showed; the newer entry wins (see {@link #inAddressOrder}).
     *
     * @return the regions
     * @throws UncheckedIOException when procfs cannot be read
     */
    public static List<Region> read() {
        return inAddressOrder(lines(MAPS).stream().map(ProcMaps::parse).toList());
    }

    /**
     * The regions of one read of the maps file, in the order read, made consistent: an entry
     * that starts below the end of the entries before it was read later, after the mappings
     * changed, so it replaces what it overlaps of them.
     */
    static List<Region> inAddressOrder(List<Region> asRead) {
        List<Region> kept = new ArrayList<>(asRead.size());
        for (Region region : asRead) {
            while (!kept.isEmpty() && Long.compareUnsigned(region.start(), kept.getLast().end()) < 0) {
                Region earlier = kept.removeLast();
                if (Long.compareUnsigned(earlier.start(), region.start()) < 0) {
                    kept.add(new Region(earlier.start(), region.start(), earlier.permissions(), earlier.path()));
                    break;
                }
            }
            kept.add(region);
        }
        return List.copyOf(kept);
    }

    /**
     * The mappings that overlap {@code [from, to)}, in address order.
     *
     * @param from first address (compared unsigned)
     * @param to   one past the last address
     * @return the regions
     * @throws UncheckedIOException when procfs cannot be read
     */
    public static List<Region> read(long from, long to) {
        return read().stream().filter(r -> r.overlaps(from, to)).toList();
    }

    /**
     * Resident bytes (smaps {@code Rss}) of the mappings that overlap {@code [from, to)}.
     *
     * @param from first address (compared unsigned)
     * @param to   one past the last address
     * @return bytes, whole mappings counted
     * @throws UncheckedIOException when procfs cannot be read
     */
    public static long residentBytes(long from, long to) {
        long kibibytes = 0;
        boolean inRange = false;
        for (var line : lines(SMAPS)) {
            var header = VMA_HEADER.matcher(line);
            if (header.matches()) {
                long start = Long.parseUnsignedLong(header.group(1), 16);
                long end = Long.parseUnsignedLong(header.group(2), 16);
                inRange = new Region(start, end, header.group(3), "").overlaps(from, to);
            } else if (inRange && line.startsWith("Rss:")) {
                kibibytes += kibibytesOf(line);
            }
        }
        return kibibytes << 10;
    }

    /**
     * Resident bytes of the whole process ({@code VmRSS}).
     *
     * @return bytes
     * @throws UncheckedIOException  when procfs cannot be read
     * @throws IllegalStateException when the status file has no {@code VmRSS} line
     */
    public static long processResidentBytes() {
        return lines(STATUS).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .mapToLong(line -> kibibytesOf(line) << 10)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(STATUS + " has no VmRSS line"));
    }

    private static long kibibytesOf(String line) {
        var fields = FIELDS.split(line.trim());
        return Long.parseLong(fields[1]);
    }

    private static Region parse(String line) {
        var fields = FIELDS.split(line, 6);
        var bounds = fields[0].split("-");
        return new Region(Long.parseUnsignedLong(bounds[0], 16), Long.parseUnsignedLong(bounds[1], 16),
                fields[1], fields.length == 6 ? fields[5].trim() : "");
    }

    /**
     * The lines of a procfs file, read with as few {@code read} calls as possible: the kernel
     * builds each call's answer under the process's memory-map lock, so one large read is a
     * consistent snapshot, while a reader that takes the file in small pieces can see mappings
     * change between pieces (out of order, or overlapping) when other threads map memory.
     */
    private static List<String> lines(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(SNAPSHOT_BUFFER_BYTES);
            while (channel.read(buffer) > 0) {
                if (!buffer.hasRemaining()) {
                    buffer = ByteBuffer.allocate(buffer.capacity() * 2).put(buffer.flip());
                }
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
