package dev.sparseheap.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The profile command: live bytes by event kind and size class, at the peak and at the end. */
class ProfileCommandTest {

    private static Path tinyTrace(Path directory) throws IOException {
        Path trace = directory.resolve("tiny.trace");
        Files.writeString(trace, """
                # sparseheap-trace 1
                a 1 48
                a 2 48
                z 3 100000
                m 4 64 4096
                r 1 70000
                f 3
                f 2
                """);
        return trace;
    }

    @Test
    void printsThePeakAndTheEndByKindAndClass(@TempDir Path directory) throws IOException {
        Path folded = directory.resolve("peak.folded");
        CommandRun run = CommandRun.of("profile", tinyTrace(directory).toString(), "--folded", folded.toString());
        assertEquals(0, run.status(), run.err());
        String out = run.out();
        assertTrue(out.contains("tiny.trace: 7 events replayed, every allocation sampled"), out);
        String end = out.substring(out.indexOf("At the end of the trace:"));
        assertTrue(end.lines().anyMatch(line -> line.matches("\\s+realloc\\s+large <= 128 KiB\\s+68\\.4 KiB .*")), end);
        assertTrue(end.lines().anyMatch(line -> line.matches("\\s+aligned\\s+64 B\\s+64 B .*")), end);
        assertTrue(out.contains("2 objects were still live at the end"), out);
        List<String> lines = Files.readAllLines(folded);
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("calloc;large_<=_128_KiB;") && line.endsWith(" 100000")),
                lines.toString());
    }

    @Test
    void printsOneJsonDocument(@TempDir Path directory) throws IOException {
        CommandRun run = CommandRun.of("profile", tinyTrace(directory).toString(), "--json");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().startsWith("{\"trace\":\"tiny.trace\",\"events\":7,"), run.out());
        assertTrue(run.out().contains("{\"kind\":\"calloc\",\"sizeClass\":\"large <= 128 KiB\",\"bytes\":100000,\"objects\":1}"),
                run.out());
    }
}
