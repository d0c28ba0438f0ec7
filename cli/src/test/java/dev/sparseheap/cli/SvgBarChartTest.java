package dev.sparseheap.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Charts of ratios: log axis through 1, a bar per value, a visible gap for none. */
class SvgBarChartTest {

    @Test
    void drawsOneBarPerValueAndMarksMissingOnes() {
        String svg = new SvgBarChart("t <&>", "ratio", List.of("w1", "w2"), List.of("a", "b"),
                new double[][] {{1.0, 4.0}, {0.25, Double.NaN}}).render();
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assertTrue(svg.endsWith("</svg>\n"));
        assertEquals(3, svg.split("<title>").length - 1, "three bars");
        assertEquals(1, svg.split(">n/a<").length - 1, "one missing value");
        assertTrue(svg.contains("t &lt;&amp;&gt;"), "text is escaped");
        assertTrue(svg.contains(">0.250</text>") && svg.contains(">4</text>"), "ticks span the values");
    }

    @Test
    void valuesMustMatchGroupsAndSeries() {
        assertThrows(IllegalArgumentException.class,
                () -> new SvgBarChart("t", "r", List.of("w"), List.of("a", "b"), new double[][] {{1.0}}));
    }
}
