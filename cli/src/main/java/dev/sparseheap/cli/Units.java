package dev.sparseheap.cli;

import java.util.Locale;

/**
 * Human-readable figures for the command line's tables: binary byte sizes (KiB, MiB, …) and
 * hexadecimal addresses. Stateless and thread-safe.
 */
public final class Units {

    private static final String[] BINARY_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Units() {
    }

    /** {@code bytes} in the largest binary unit that keeps the number at least 1: "64 MiB", "1.5 GiB". */
    public static String bytes(long bytes) {
        if (bytes < 0) {
            return "-" + bytes(-bytes);
        }
        int unit = 0;
        double value = bytes;
        while (value >= 1024 && unit < BINARY_UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        if (unit == 0 || value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%d %s", (long) value, BINARY_UNITS[unit]);
        }
        return String.format(Locale.ROOT, "%.1f %s", value, BINARY_UNITS[unit]);
    }

    /** An address as {@code 0x} and twelve hex digits, the width of a 48-bit address. */
    public static String address(long address) {
        return String.format(Locale.ROOT, "0x%012x", address);
    }
}
