/*
 * The size-class table as a Markdown document, generated from SizeClasses so that the
 * documentation cannot drift from the code (a test compares docs/SIZE_CLASSES.md with it).
 */
package dev.sparseheap.alloc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Renders the size classes as Markdown.
 *
 * <p>Stateless; safe for use by any thread.
 */
public final class SizeClassTable {

    private SizeClassTable() {
    }

    /** The whole document: how the classes are made, then one table row per class. */
    public static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Size classes\n\n")
                .append("Generated from `dev.sparseheap.alloc.SizeClasses`; do not edit by hand ")
                .append("(regenerate with `SizeClassTable.main`, the test `SizeClassTableTest` checks it).\n\n")
                .append("Rule: 8 bytes, then every multiple of 16 up to 128 bytes, then eight evenly spaced ")
                .append("classes per power of two up to ").append(SizeClasses.MAX_SMALL_SIZE).append(" bytes. ")
                .append("Above 128 bytes a request wastes less than 1/9 (11.1 %) of its object, within the ")
                .append("12.5 % bound; up to 128 bytes 16-byte alignment bounds the waste to 15 bytes instead. ")
                .append("Each span has the fewest 8 KiB pages whose tail after the last object is at most ")
                .append("12.5 % of the span and that hold at least ").append(SizeClasses.MIN_OBJECTS_PER_SPAN)
                .append(" objects or reach ").append(SizeClasses.MIN_SPAN_BYTES_FOR_FEW_OBJECTS / 1024)
                .append(" KiB. Larger objects get pages of their own.\n\n")
                .append("| class | object bytes | span pages | objects per span | max internal waste | tail waste | alignment |\n")
                .append("|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int cls = 1; cls < SizeClasses.count(); cls++) {
            out.append(String.format(Locale.ROOT, "| %d | %d | %d | %d | %.2f %% | %.2f %% | %d |\n",
                    cls, SizeClasses.objectSize(cls), SizeClasses.spanPages(cls), SizeClasses.objectsPerSpan(cls),
                    100 * SizeClasses.maxInternalWaste(cls), 100 * SizeClasses.tailWaste(cls),
                    SizeClasses.naturalAlignment(cls)));
        }
        return out.toString();
    }

    /** Writes the document to the file named by the first argument (docs/SIZE_CLASSES.md). */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: SizeClassTable OUTPUT.md");
            System.exit(2);
        }
        Files.writeString(Path.of(args[0]), markdown());
    }
}
