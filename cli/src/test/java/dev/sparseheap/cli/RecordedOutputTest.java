package dev.sparseheap.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tools print what they printed when their output was recorded (the files under
 * {@code golden/}): `simulate all` as a table and as JSON, and `map SCENARIO --svg FILE` as text
 * and SVG, byte for byte. The map of this process's real address space differs from run to run
 * in where the JVM's mappings lie, so it is compared by structure: the same title, and the same
 * heap and hint lines in the same order, with foreign mappings and gaps around them.
 */
class RecordedOutputTest {

    @Test
    void simulateAllPrintsTheRecordedTable() {
        CommandRun run = CommandRun.of("simulate", "all");
        assertEquals(0, run.status(), run.err());
        assertEquals(recorded("simulate-all.txt"), run.out());
    }

    @Test
    void simulateAllAsJsonPrintsTheRecordedDocument() {
        CommandRun run = CommandRun.of("simulate", "all", "--json");
        assertEquals(0, run.status(), run.err());
        assertEquals(recorded("simulate-all.json"), run.out());
    }

    @Test
    void mapsOfScenariosPrintAndDrawWhatWasRecorded(@TempDir Path dir) throws IOException {
        for (String[] scenario : List.of(new String[] {"collision", "sparse"},
                new String[] {"address-space-full", "contiguous"}, new String[] {"32bit-nonmonotonic", "sparse"})) {
            String name = "map-" + scenario[0] + "-" + scenario[1];
            Path svg = dir.resolve(name + ".svg");
            CommandRun run = CommandRun.of("map", scenario[0], "--layout=" + scenario[1], "--svg", svg.toString());
            assertEquals(0, run.status(), run.err());
            assertEquals(recorded(name + ".txt"), run.out().replace(svg.toString(), name + ".svg"));
            assertEquals(recorded(name + ".svg"), Files.readString(svg));
        }
    }

    @Test
    void theMapOfThisProcessHasTheRecordedStructure() {
        CommandRun run = CommandRun.of("map");
        assertEquals(0, run.status(), run.err());
        List<String> expected = recorded("map-real.txt").lines().toList();
        List<String> actual = run.out().lines().toList();
        assertEquals(withoutAddresses(expected.getFirst()), withoutAddresses(actual.getFirst()), "the title");
        assertEquals(heapAndHints(expected), heapAndHints(actual), run.out());
        for (String line : actual.subList(1, actual.size())) {
            assertTrue(line.matches("  0x\\p{XDigit}{12}(-0x\\p{XDigit}{12} +\\S+ \\S+)? +(heap|hint|foreign|gap|reserved) +.*"),
                    "a map line: " + line);
        }
        assertTrue(actual.stream().anyMatch(line -> line.contains(" foreign ")), "the JVM's mappings are drawn");
    }

    /** The heap and hint lines, addresses left out (a hint may move if something else took its place). */
    private static List<String> heapAndHints(List<String> lines) {
        return lines.stream().skip(1).filter(line -> line.contains(" heap ") || line.contains(" hint "))
                .map(RecordedOutputTest::withoutAddresses).toList();
    }

    private static String withoutAddresses(String line) {
        return line.replaceAll("0x\\p{XDigit}+", "0x…");
    }

    private static String recorded(String name) {
        try (InputStream in = RecordedOutputTest.class.getResourceAsStream("golden/" + name)) {
            assertNotNull(in, "recorded output " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }
}
