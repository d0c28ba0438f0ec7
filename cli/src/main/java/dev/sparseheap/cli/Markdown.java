/*
 * Markdown pipe tables for the commands' human-readable output, which is pasted as is into
 * docs/BENCHMARKS.md.
 */
package dev.sparseheap.cli;

import java.util.List;
import java.util.Locale;

/** Formatting of Markdown tables and figures. Stateless and thread-safe. */
final class Markdown {

    private Markdown() {
    }

    /** A table with a header row; cells must not contain '|' or newlines. */
    static String table(List<String> header, List<List<String>> rows) {
        var out = new StringBuilder();
        appendRow(out, header);
        appendRow(out, header.stream().map(h -> "---").toList());
        for (List<String> row : rows) {
            appendRow(out, row);
        }
        return out.toString();
    }

    private static void appendRow(StringBuilder out, List<String> cells) {
        out.append('|');
        for (String cell : cells) {
            out.append(' ').append(cell.replace('|', '/').replace('\n', ' ')).append(" |");
        }
        out.append('\n');
    }

    /** A figure with three significant digits, or "–" when not a number. */
    static String figure(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "–";
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }

    /** A ratio written as "1.23×", or "–". */
    static String ratio(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "–" : String.format(Locale.ROOT, "%.2f×", value);
    }

    /** Bytes in MiB with one decimal. */
    static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
