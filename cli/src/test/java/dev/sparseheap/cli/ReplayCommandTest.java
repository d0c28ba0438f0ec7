/*
 * The replay command end to end on a tiny trace: each child JVM replays it in passes, and every
 * row carries the cold time (first pass) and the warm time (median of the others), in JSON and in
 * the Markdown table.
 */
package dev.sparseheap.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cold and warm replay times, end to end. */
class ReplayCommandTest {

    @Test
    void everyRowHasAColdAndAWarmMedian(@TempDir Path directory) throws IOException {
        Path trace = tinyTrace(directory);
        CommandRun json = CommandRun.ofStandardOut("replay", "--allocators", "sparseheap", "--runs", "1",
                "--passes", "3", "--json", trace.toString());
        assertEquals(0, json.status(), json.out());
        assertTrue(json.out().contains("\"passes\":3"), json.out());
        var row = Pattern.compile("\"allocator\":\"sparseheap\",\"status\":\"ok\".*?\"passNanos\":\\[\\d+,\\d+,\\d+\\]"
                + ".*?\"coldMedianMillis\":[0-9.E-]+,\"warmMedianMillis\":[0-9.E-]+,");
        assertTrue(row.matcher(json.out()).find(), json.out());
        assertTrue(json.out().contains("\"timeVsReference\":1.0,\"warmTimeVsReference\":1.0"), json.out());

        CommandRun markdown = CommandRun.ofStandardOut("replay", "--allocators", "glibc", "--runs", "1", "--passes", "1",
                trace.toString());
        assertEquals(0, markdown.status(), markdown.out());
        assertTrue(markdown.out().contains("| cold ms | cold vs sparseheap | warm ms | warm vs sparseheap |"), markdown.out());
        assertTrue(markdown.out().contains("- passes: 1 per JVM"), markdown.out());
    }

    @Test
    void passesBelowOneAreAUsageError(@TempDir Path directory) throws IOException {
        CommandRun run = CommandRun.of("replay", "--passes", "0", tinyTrace(directory).toString());
        assertEquals(2, run.status());
        assertTrue(run.err().contains("--passes must be at least 1"), run.err());
    }

    private static Path tinyTrace(Path directory) throws IOException {
        Path trace = directory.resolve("tiny.trace");
        Files.writeString(trace, """
                # sparseheap-trace 1
                a 1 100
                z 2 5000
                r 1 70000
                f 2
                f 1
                """);
        return trace;
    }
}
