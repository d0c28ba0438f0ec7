package dev.sparseheap.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * The output options shared by the commands that report measured figures ({@code bench},
 * {@code replay}): Markdown by default, one JSON document with {@code --json}, and an SVG chart
 * written beside either with {@code --svg FILE}. Used as a picocli mixin; each of the three forms
 * is built only when it is asked for.
 *
 * <p>Not thread-safe; one instance per command invocation.
 */
final class FigureOutput {

    @Option(names = "--json", description = "Print one JSON document with every figure instead of Markdown.")
    private boolean json;

    @Option(names = {"--svg", "--chart"}, paramLabel = "FILE", description = "Also write an SVG chart of the figures to FILE.")
    private Path svg;

    /** Writes the chart when one was asked for, then prints the document or the Markdown. */
    void publish(Supplier<SvgBarChart> chart, Supplier<Object> document, Supplier<String> markdown) throws IOException {
        if (svg != null) {
            Files.writeString(svg, chart.get().render());
        }
        System.out.print(json ? Json.write(document.get()) + "\n" : markdown.get());
    }
}
