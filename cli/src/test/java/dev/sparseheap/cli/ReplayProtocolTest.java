/*
 * The replay parent/child protocol end to end: a child JVM started like this one replays a tiny
 * trace, measures its own resident peak and reports one line; a failing child reports its error.
 * The child's JVM may still give heap memory back to the kernel while the replay runs (tens of
 * MiB at most), which lowers its resident set: the trace touches 129 MiB so that the check,
 * which asks for half of that, holds whatever the JVM does meanwhile.
 */
package dev.sparseheap.cli;

import dev.sparseheap.bench.trace.ReplayResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replay parent/child protocol: a child JVM like this one replays and reports one line. */
class ReplayProtocolTest {

    @Test
    void aChildJvmReplaysATinyTraceAndReportsItsOwnResidentPeak(@TempDir Path directory) throws Exception {
        Path trace = directory.resolve("tiny.trace");
        var text = new StringBuilder("# sparseheap-trace 1\n");
        for (int id = 1; id <= 128; id++) {
            text.append("a ").append(id).append(" 1048576\n");
        }
        text.append("r 1 2097152\nf 2\n");
        Files.writeString(trace, text);

        ChildJvm.Outcome outcome = ChildJvm.run(List.of("replay-child", "--allocator", "glibc", "--passes", "2",
                trace.toString()));

        assertEquals(0, outcome.exitCode(), outcome.errors());
        ReplayResult result = ReplayResult.fromOutput(outcome.output());
        assertEquals(2, result.passNanos().size());
        assertEquals("glibc", result.allocator());
        assertEquals("tiny.trace", result.trace());
        assertEquals(130, result.events());
        assertEquals(129L << 20, result.peakLiveBytes());
        assertTrue(result.peakRssAboveBaseline() >= 64L << 20,
                "every 4 KiB of 129 MiB was touched in a fresh process; peak above baseline " + result.peakRssAboveBaseline());
    }

    @Test
    void theChildRunsWithThisJvmsOptionsAndClassPath() {
        List<String> command = ChildJvm.command(List.of("replay-child"));
        assertTrue(command.getFirst().endsWith("java"), command.getFirst());
        assertTrue(command.containsAll(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
        assertEquals(System.getProperty("java.class.path"), command.get(command.indexOf("-cp") + 1));
        assertEquals(List.of(Main.class.getName(), "replay-child"), command.subList(command.size() - 2, command.size()));
    }

    @Test
    void aFailingChildIsReportedWithItsExitStatus(@TempDir Path directory) throws Exception {
        Path bad = directory.resolve("bad.trace");
        Files.writeString(bad, "a 1 10\nf 9\n");
        ChildJvm.Outcome outcome = ChildJvm.run(List.of("replay-child", "--allocator", "glibc", bad.toString()));
        assertNotEquals(0, outcome.exitCode());
        assertTrue(outcome.errors().contains("bad.trace:2: object 9 is freed but was never allocated"), outcome.errors());
    }
}
