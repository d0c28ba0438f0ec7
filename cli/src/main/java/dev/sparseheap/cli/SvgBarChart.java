/*
 * Grouped horizontal bar charts as standalone SVG, written by hand so the tools need no charting
 * library. The value axis is logarithmic with a marked 1.0 line, because every chart here shows
 * ratios (time relative to sparseheap, resident memory per live byte) that range over orders of
 * magnitude and read naturally as "x times more or less". Missing values leave a gap labelled
 * "n/a" so an absent peer is visible, not silently dropped.
 */
package dev.sparseheap.cli;

import java.util.List;
import java.util.Locale;

/**
 * One chart: groups (rows of bars) by series (one bar per series in every group).
 *
 * <p>Immutable and thread-safe.
 *
 * @param title    the chart title
 * @param axis     what the value axis measures
 * @param groups   group labels, top to bottom
 * @param series   series labels, one colour each
 * @param values   values[group][series]; NaN or non-positive for none
 */
record SvgBarChart(String title, String axis, List<String> groups, List<String> series, double[][] values) {

    private static final String[] COLOURS = {
            "#1b6ca8", "#7fb3d5", "#e67e22", "#c0392b", "#27ae60", "#8e44ad", "#f1c40f", "#16a085",
            "#7f8c8d", "#d35400", "#2c3e50", "#e84393"};
    private static final int BAR = 9;
    private static final int GROUP_GAP = 10;
    private static final int LEFT = 170;
    private static final int PLOT_WIDTH = 560;
    private static final int TOP = 50;
    private static final int LEGEND_WIDTH = 190;

    SvgBarChart {
        if (values.length != groups.size()) {
            throw new IllegalArgumentException(groups.size() + " groups but " + values.length + " value rows");
        }
        for (double[] row : values) {
            if (row.length != series.size()) {
                throw new IllegalArgumentException(series.size() + " series but a row of " + row.length);
            }
        }
    }

    /** The SVG document. */
    String render() {
        double[] range = logRange();
        int groupHeight = series.size() * BAR + GROUP_GAP;
        int height = TOP + groups.size() * groupHeight + 40;
        int width = LEFT + PLOT_WIDTH + LEGEND_WIDTH;
        var svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">%n",
                width, height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                LEFT, escape(title)));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"36\">%s (log scale)</text>%n", LEFT, escape(axis)));
        int plotBottom = TOP + groups.size() * groupHeight;
        appendGrid(svg, range, plotBottom);
        for (int g = 0; g < groups.size(); g++) {
            int groupTop = TOP + g * groupHeight;
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LEFT - 6, groupTop + series.size() * BAR / 2 + 4, escape(groups.get(g))));
            for (int s = 0; s < series.size(); s++) {
                appendBar(svg, range, values[g][s], groupTop + s * BAR, COLOURS[s % COLOURS.length]);
            }
        }
        appendLegend(svg);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void appendGrid(StringBuilder svg, double[] range, int plotBottom) {
        for (double tick = Math.pow(2, Math.floor(range[0])); tick <= Math.pow(2, range[1]) * 1.0001; tick *= 2) {
            double x = xOf(range, tick);
            boolean one = Math.abs(tick - 1) < 1e-9;
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"%s\"/>%n",
                    x, TOP - 4, x, plotBottom, one ? "#000" : "#ddd", one ? "1.5" : "1"));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    x, plotBottom + 14, tickLabel(tick)));
        }
    }

    private void appendBar(StringBuilder svg, double[] range, double value, int y, String colour) {
        if (!(value > 0) || Double.isInfinite(value)) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#999\" font-size=\"8\">n/a</text>%n",
                    LEFT + 2, y + BAR - 1));
            return;
        }
        double x0 = xOf(range, Math.pow(2, range[0]));
        double x1 = xOf(range, value);
        svg.append(String.format(Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>%n",
                x0, y, Math.max(1, x1 - x0), BAR - 1, colour, String.format(Locale.ROOT, "%.3g", value)));
    }

    private void appendLegend(StringBuilder svg) {
        int x = LEFT + PLOT_WIDTH + 20;
        for (int s = 0; s < series.size(); s++) {
            int y = TOP + s * 16;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"10\" fill=\"%s\"/>%n",
                    x, y, COLOURS[s % COLOURS.length]));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x + 16, y + 9, escape(series.get(s))));
        }
    }

    /** log2 bounds of the axis: whole powers of two around every value and 1.0. */
    private double[] logRange() {
        double low = 0;
        double high = 0;
        for (double[] row : values) {
            for (double value : row) {
                if (value > 0 && !Double.isInfinite(value)) {
                    low = Math.min(low, Math.floor(Math.log(value) / Math.log(2)));
                    high = Math.max(high, Math.ceil(Math.log(value) / Math.log(2)));
                }
            }
        }
        return new double[] {low, Math.max(high, low + 1)};
    }

    private static double xOf(double[] range, double value) {
        double log = Math.log(value) / Math.log(2);
        return LEFT + (log - range[0]) / (range[1] - range[0]) * PLOT_WIDTH;
    }

    private static String tickLabel(double tick) {
        return tick >= 1 ? String.format(Locale.ROOT, "%.0f", tick) : String.format(Locale.ROOT, "%.3g", tick);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
