/*
 * The bench command end to end at a tiny scale: JSON with every run and ratio, Markdown and SVG
 * naming every allocator, inapplicable peers marked, bad names rejected as usage errors.
 */
package dev.sparseheap.cli;

import dev.sparseheap.bench.BenchRunner;
import dev.sparseheap.bench.ecosystem.EcosystemWorkloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench command end to end at a tiny scale, and its chart. */
class BenchCommandTest {

    private record Run(int exitCode, String output) {
    }

    private static Run run(String... arguments) {
        CommandRun run = CommandRun.ofStandardOut(arguments);
        return new Run(run.status(), run.out());
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
        Run run = run("bench", "arrow-vectors", "--runs", "1", "--scale", "0.001", "--json");
        assertEquals(0, run.exitCode(), run.output());
        String json = run.output();
        for (String peer : new String[]{"sparseheap", "arrow-netty", "arrow-unsafe"}) {
            assertTrue(json.matches("(?s).*\\{\"workload\":\"arrow-vectors\",\"peer\":\"" + peer
                    + "\",\"description\":\"[^\"]+\",\"status\":\"ok\",\"reason\":\"\",\"runMillis\":\\[[0-9.]+\\],"
                    + "\"peakRssBytes\":\\[[0-9]+\\],\"operations\":100000,.*"), peer + ":\n" + json);
        }
        assertFalse(json.contains("pairs-16"), "only the named workloads run: " + json);
    }

    @Test
    void ecosystemMarkdownGivesTimeAndPeakResidentMemoryBesideTheirRatios() {
        var workload = EcosystemWorkloads.named(List.of("netty-http"));
        var ok = new EcosystemBench.PeerResult("netty-http", "sparseheap", "heap", BenchRunner.Status.OK, "",
                List.of(100.0), List.of(20L << 20), 250_000, 100.0, 20L << 20, 1.0, 1.0);
        var slower = new EcosystemBench.PeerResult("netty-http", "netty-pooled", "pooled", BenchRunner.Status.OK, "",
                List.of(150.0), List.of(30L << 20), 250_000, 150.0, 30L << 20, 1.5, 1.5);
        var failed = new EcosystemBench.PeerResult("netty-http", "netty-adaptive", "adaptive", BenchRunner.Status.FAILED,
                "child exited with status 1", List.of(), List.of(), 0, Double.NaN, 0, Double.NaN, Double.NaN);
        String markdown = EcosystemBench.markdown(workload, List.of(ok, slower, failed), 1, 1.0);
        assertTrue(markdown.contains("| netty-http | sparseheap | 100 | 1.00× | 20.0 MiB | 1.00× | 100 | ok |"), markdown);
        assertTrue(markdown.contains("| netty-http | netty-pooled | 150 | 1.50× | 30.0 MiB | 1.50× | 150 | ok |"), markdown);
        assertTrue(markdown.contains("| netty-http | netty-adaptive | – | – | – | – |  | failed: child exited with status 1 |"), markdown);
    }

    @Test
    void unknownWorkloadsAndAllocatorsAreUsageErrors() {
        assertNotEquals(0, run("bench", "no-such-workload").exitCode());
        assertNotEquals(0, run("bench", "pairs-16", "--allocators", "no-such-allocator").exitCode());
    }
}
