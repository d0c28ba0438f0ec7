package dev.sparseheap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo runs every phase on the real heap and ends with a verified heap and its map. */
class DemoCommandTest {

    @Test
    void replaysATraceRunsThreadedPhasesVerifiesAndDrawsTheHeap(@TempDir Path dir) throws IOException {
        Path trace = dir.resolve("tiny.trace");
        Files.writeString(trace, """
                # sparseheap-trace 1
                a 1 100
                z 2 5000
                m 3 64 4096
                r 1 70000
                f 2
                f 3
                """);

        CommandRun run = CommandRun.of("demo", "--trace", trace.toString(), "--threads", "2", "--scale", "0.02");

        assertEquals(0, run.status(), run.err());
        String out = run.out();
        assertTrue(out.contains("reserve 64 MiB"), out);
        assertTrue(out.contains("6 events in"), out);
        assertTrue(out.contains("1 objects left live"), out);
        assertTrue(out.contains("larson") && out.contains("xmalloc-test") && out.contains("mstress"), out);
        assertTrue(out.contains("verify: every invariant holds"), out);
        assertTrue(out.contains("releaseMemory()"), out);
        assertTrue(out.lines().anyMatch(line -> line.contains(" heap ") && line.contains("arena")), out);
        assertTrue(out.contains("next hint"), out);
        assertTrue(out.contains("heap profile of 'demo'") && out.contains("at dev.sparseheap.cli.DemoProfilePhase.cacheBuffer(")
                && out.contains("at dev.sparseheap.cli.DemoProfilePhase.record("), out);
        assertTrue(out.contains("HeapLeakException: session leaked 3 objects")
                && out.contains("at dev.sparseheap.cli.DemoProfilePhase.sessionBuffer("), out);
    }

    @Test
    void saysSoWhenTheTraceIsMissing(@TempDir Path dir) {
        CommandRun run = CommandRun.of("demo", "--trace", dir.resolve("absent.trace").toString(),
                "--threads", "2", "--scale", "0.02");

        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("Trace replay: skipped, no trace at"), run.out());
    }
}
