package dev.sparseheap.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The map command as a user runs it. */
class MapCommandTest {

    @Test
    void mapDrawsAScenarioAsTextAndSvg(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("map.svg");
        CommandRun run = CommandRun.of("map", "sanitizer-shadow", "--layout", "contiguous", "--svg", svg.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().startsWith("sanitizer-shadow (ok): contiguous layout"), run.out());
        assertTrue(run.out().lines().anyMatch(line -> line.matches("\\s+0x00c000000000-0x800000000000\\s+127.3 TiB\\s+foreign.*")), run.out());
        assertTrue(Files.readString(svg).startsWith("<svg "));
        assertEquals(2, CommandRun.of("map", "collision", "--layout", "diagonal").status());
    }

    @Test
    void mapWithoutAScenarioDrawsTheRealHeapOfThisProcess() {
        CommandRun run = CommandRun.of("map");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().startsWith("this process: sparse layout on linux"), run.out());
        assertTrue(run.out().lines().anyMatch(line -> line.matches("\\s+0x\\p{XDigit}+-0x\\p{XDigit}+\\s+192 MiB\\s+heap\\s+3 arenas")), run.out());
    }
}
