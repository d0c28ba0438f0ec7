/*
 * The bench command end to end at a tiny scale: JSON with every run and ratio, Markdown and SVG
 * naming every allocator, inapplicable peers marked, bad names rejected as usage errors.
 */
package dev.sparseheap.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench command end to end at a tiny scale, and its chart. */
class BenchCommandTest {

    private record Run(int exitCode, String output) {
    }

    private static Run run(String... arguments) {
        PrintStream standardOut = System.out;
        var captured = new ByteArrayOutputStream();
        try (var out = new PrintStream(captured, true)) {
            System.setOut(out);
            int exitCode = new CommandLine(new Main()).execute(arguments);
            return new Run(exitCode, captured.toString());
        } finally {
            System.setOut(standardOut);
        }
    }

    @Test
    void jsonHasEveryRunOfEveryAllocatorAndTheRatioToSparseheap() {
        Run run = run("bench", "pairs-16", "glibc-simple", "--allocators", "sparseheap,glibc,jdk-confined",
                "--runs", "2", "--scale", "0.001", "--json");
        assertEquals(0, run.exitCode(), run.output());
        String json = run.output();
        assertTrue(json.startsWith("{\"command\":\"bench\""), json);
        assertTrue(json.contains("\"workload\":\"pairs-16\",\"allocator\":\"glibc\""), json);
        assertTrue(json.contains("\"workload\":\"glibc-simple\",\"allocator\":\"jdk-confined\""), json);
        assertTrue(json.contains("\"allocator\":\"sparseheap\",\"threads\":2,\"status\":\"ok\",\"reason\":\"\",\"runMillis\":["), json);
        assertTrue(json.contains("\"timeVsReference\":1.0"), "sparseheap's own ratio is 1: " + json);
        assertTrue(json.contains("\"jdkArenaMapping\":\"one arena per burst"), json);
    }

    @Test
    void markdownAndChartNameEveryAllocatorAndMarkInapplicableOnes(@TempDir Path directory) throws IOException {
        Path chart = directory.resolve("bench.svg");
        Run run = run("bench", "larson", "--allocators", "glibc,jdk-shared", "--runs", "1", "--scale", "0.001",
                "--svg", chart.toString());
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("| larson | 2 | – | n/a |"), run.output());
        assertTrue(run.output().contains("not applicable: no individual free"), run.output());
        String svg = Files.readString(chart);
        assertTrue(svg.startsWith("<svg") && svg.contains(">glibc</text>") && svg.contains(">n/a</text>"), svg);
    }

    @Test
    void severalThreadCountsRunSideBySideAndTheirScalingIsReported() {
        Run run = run("bench", "pairs-64", "glibc-simple", "--allocators", "glibc", "--threads", "1,2",
                "--runs", "1", "--scale", "0.001");
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("| pairs-64 | 1 | – |"), run.output());
        assertTrue(run.output().contains("| pairs-64 | 2 | – |"), run.output());
        assertTrue(run.output().contains("| glibc-simple | 1 | – |"), "a single-threaded workload runs once: " + run.output());
        assertTrue(run.output().matches("(?s).*\\| pairs-64 \\| 1 → 2 \\| [0-9.]+× \\|.*"), run.output());
        assertFalse(run.output().contains("| glibc-simple | 1 → "), run.output());
    }

    @Test
    void anEcosystemWorkloadReportsTimeAndPeakResidentMemoryOfEveryPeerFromChildJvms() {
        Run run = run("bench", "arrow-vectors", "--runs", "1", "--scale", "0.001");
        assertEquals(0, run.exitCode(), run.output());
        for (String peer : new String[]{"sparseheap", "arrow-netty", "arrow-unsafe"}) {
            assertTrue(run.output().matches("(?s).*\\| arrow-vectors \\| " + peer
                    + " \\| [0-9.]+ \\| [0-9.]+× \\| [0-9.]+ MiB \\| [0-9.–]+×? \\| [0-9. ]+ \\| ok \\|.*"), peer + ":\n" + run.output());
        }
        assertFalse(run.output().contains("pairs-16"), "only the named workloads run: " + run.output());
    }

    @Test
    void unknownWorkloadsAndAllocatorsAreUsageErrors() {
        assertNotEquals(0, run("bench", "no-such-workload").exitCode());
        assertNotEquals(0, run("bench", "pairs-16", "--allocators", "no-such-allocator").exitCode());
    }
}
