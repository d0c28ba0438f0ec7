package dev.sparseheap.cli;

import org.junit.jupiter.api.Test;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulate command as a user runs it. */
class SimulateCommandTest {

    @Test
    void jsonHasExactlyTheDocumentedShapeWithSparseAndContiguousForEachScenario() {
        CommandRun run = CommandRun.of("simulate", "--json", "huge-object");
        assertEquals(0, run.status(), run.err());
        String json = run.out().strip();
        assertTrue(json.startsWith("{\"scenarios\":[{\"name\":\"huge-object\",\"layout\":\"sparse\",\"outcome\":\"ok\",\"detail\":\""), json);
        assertTrue(json.contains("},{\"name\":\"huge-object\",\"layout\":\"contiguous\",\"outcome\":\"out-of-memory\",\"detail\":\""), json);
        assertTrue(json.matches(".*\"reservedBytes\":\\d+,\"mappedBytes\":\\d+,\"metadataBytes\":\\d+,\"arenas\":\\d+}]}"), json);
        assertEquals(2, json.split("\"name\":").length - 1);
    }

    @Test
    void theTableShowsBothLayoutsOfEveryScenarioAsked() {
        CommandRun run = CommandRun.of("simulate", "heap-over-512g", "ulimit-v");
        assertEquals(0, run.status(), run.err());
        List<String> rows = run.out().lines().filter(line -> !line.isBlank()).toList();
        assertTrue(rows.getFirst().matches("scenario\\s+layout\\s+outcome\\s+reserved\\s+mapped\\s+metadata\\s+arenas\\s+detail"), rows.getFirst());
        assertEquals(5, rows.size(), run.out());
        assertTrue(rows.get(1).matches("heap-over-512g\\s+sparse\\s+ok\\s+640 GiB\\s+640 GiB.*"), rows.get(1));
        assertTrue(rows.get(2).matches("heap-over-512g\\s+contiguous\\s+out-of-memory.*"), rows.get(2));
    }

    @Test
    void anUnknownScenarioIsAUsageErrorNamingTheKnownOnes() {
        CommandRun run = CommandRun.of("simulate", "no-such-thing");
        assertEquals(2, run.status());
        assertTrue(run.err().contains("collision"), run.err());
    }
}
