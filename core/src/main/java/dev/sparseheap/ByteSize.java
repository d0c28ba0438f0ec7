/*
 * Human-readable byte counts for tables, maps and messages: binary units, at most one decimal,
 * exact values kept exact ("64 MiB", "1.5 GiB", "8 KiB", "100 B"). One formatter so that every
 * figure the heap's reports (HeapStats, profiles, leak reports) and the tools print looks the same.
 */
package dev.sparseheap;

import java.util.Locale;

/** Formats byte counts as the heap's reports print them. Stateless; safe for use by any thread. */
public final class ByteSize {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private ByteSize() {
    }

    /**
     * {@code bytes} in the largest binary unit that leaves at least 1, e.g. "1.5 GiB".
     *
     * @param bytes a byte count, negative ones too
     * @return the count with its unit
     */
    public static String format(long bytes) {
        if (bytes < 0) {
            return "-" + format(-bytes);
        }
        int unit = 0;
        while (unit < UNITS.length - 1 && bytes >= 1L << (10 * (unit + 1))) {
            unit++;
        }
        if (unit == 0) {
            return bytes + " B";
        }
        long whole = bytes >> (10 * unit);
        long remainder = bytes - (whole << (10 * unit));
        if (remainder == 0) {
            return whole + " " + UNITS[unit];
        }
        double value = (double) bytes / (1L << (10 * unit));
        if (value >= 1023.95 && unit < UNITS.length - 1) {
            // One decimal would print "1024.0": say it in the next unit instead.
            unit++;
            value /= 1024;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
