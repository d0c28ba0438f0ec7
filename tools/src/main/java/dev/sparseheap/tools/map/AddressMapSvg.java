/*
 * The address map as an SVG picture: one horizontal band per entry, top to bottom in address
 * order, coloured by kind (heap green, unused reservation pale green, foreign grey, gap white,
 * hint an orange marker line). Sizes in an address space span from kilobytes to hundreds of
 * terabytes, so band heights are logarithmic in the size: a 4 KiB foreign page stays visible
 * next to a 100 TiB gap, and a doubling always adds the same height. Each band carries its
 * address range, size and label as text. No dependency: the SVG is written by hand.
 */
package dev.sparseheap.tools.map;

import dev.sparseheap.ByteSize;

import java.util.List;
import java.util.Locale;

/** Renders map entries as SVG. Stateless; safe for use by any thread. */
public final class AddressMapSvg {

    private static final int WIDTH = 1200;
    private static final int BAND_X = 20;
    private static final int BAND_WIDTH = 260;
    private static final int TEXT_X = BAND_X + BAND_WIDTH + 16;
    private static final int MIN_BAND = 14;
    private static final int PIXELS_PER_DOUBLING = 2;
    private static final int HINT_HEIGHT = 12;
    private static final int TITLE_HEIGHT = 40;

    private AddressMapSvg() {
    }

    /** An SVG document drawing {@code entries} under {@code title}. */
    public static String render(String title, List<MapEntry> entries) {
        StringBuilder body = new StringBuilder();
        int y = TITLE_HEIGHT;
        for (MapEntry entry : entries) {
            int height = bandHeight(entry);
            body.append(entry.kind() == MapEntry.Kind.HINT ? hint(entry, y) : band(entry, y, height));
            y += height;
        }
        int totalHeight = y + 20;
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + totalHeight
                + "\" font-family=\"monospace\" font-size=\"11\">\n"
                + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
                + "<text x=\"" + BAND_X + "\" y=\"22\" font-size=\"13\" font-weight=\"bold\">" + escape(title) + "</text>\n"
                + body + "</svg>\n";
    }

    /** Height of an entry's band: logarithmic in its size. */
    static int bandHeight(MapEntry entry) {
        if (entry.kind() == MapEntry.Kind.HINT) {
            return HINT_HEIGHT;
        }
        int doublings = 64 - Long.numberOfLeadingZeros(Math.max(1, entry.size() >>> 12));
        return MIN_BAND + PIXELS_PER_DOUBLING * doublings;
    }

    private static String band(MapEntry entry, int y, int height) {
        String fill = switch (entry.kind()) {
            case HEAP -> "#4caf50";
            case RESERVED -> "#c8e6c9";
            case FOREIGN -> "#9e9e9e";
            case GAP, HINT -> "#ffffff";
        };
        String stroke = entry.kind() == MapEntry.Kind.GAP ? " stroke-dasharray=\"4 3\"" : "";
        return String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#555\"%s/>%n"
                        + "<text x=\"%d\" y=\"%d\">%s</text>%n",
                BAND_X, y, BAND_WIDTH, height, fill, stroke, TEXT_X, y + height / 2 + 4,
                escape(String.format(Locale.ROOT, "0x%x-0x%x  %s  %s  %s", entry.base(), entry.end(),
                        ByteSize.format(entry.size()), entry.kind().name().toLowerCase(Locale.ROOT), entry.label())));
    }

    private static String hint(MapEntry entry, int y) {
        int middle = y + HINT_HEIGHT / 2;
        return String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ff9800\" stroke-width=\"3\"/>%n"
                        + "<text x=\"%d\" y=\"%d\" fill=\"#e65100\">%s</text>%n",
                BAND_X - 10, middle, BAND_X + BAND_WIDTH + 10, middle, TEXT_X, middle + 4,
                escape(String.format(Locale.ROOT, "0x%x  %s", entry.base(), entry.label())));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
