/*
 * The address map as text, one entry a line, for terminals and logs:
 *
 *   0x000000c000000000-0x000000c014000000   320 MiB  heap       5 arenas
 *   0x000000c014000000                               hint       next hint, grows up
 *   0x000000c014000000-0x00007efff0000000   126.3 TiB gap        free
 *
 * Addresses are printed with as many hex digits as the widest address needs, so 32-bit maps
 * stay narrow.
 */
package dev.sparseheap.tools.map;

import dev.sparseheap.ByteSize;

import java.util.List;
import java.util.Locale;

/** Renders map entries as text. Stateless; safe for use by any thread. */
public final class AddressMapText {

    private AddressMapText() {
    }

    /** The entries as lines of text, each ending in a newline. */
    public static String render(List<MapEntry> entries) {
        long highest = entries.stream().mapToLong(MapEntry::end).max().orElse(0);
        int digits = Math.max(8, (64 - Long.numberOfLeadingZeros(highest) + 3) / 4);
        StringBuilder text = new StringBuilder();
        for (MapEntry entry : entries) {
            String range = entry.size() == 0
                    ? hex(entry.base(), digits)
                    : hex(entry.base(), digits) + "-" + hex(entry.end(), digits);
            text.append(String.format(Locale.ROOT, "  %-" + (2 * digits + 5) + "s %10s  %-9s %s%n", range,
                    entry.size() == 0 ? "" : ByteSize.format(entry.size()),
                    entry.kind().name().toLowerCase(Locale.ROOT), entry.label()));
        }
        return text.toString();
    }

    private static String hex(long address, int digits) {
        return String.format(Locale.ROOT, "0x%0" + digits + "x", address);
    }
}
