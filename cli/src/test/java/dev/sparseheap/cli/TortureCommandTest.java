/*
 * Twenty seconds of torture with a fixed seed, as part of the suite: the heap must come out with
 * no violation. Counts that do not depend on timing are checked exactly: every generation ends in
 * a checkpoint with 64 racing pairs and one drill of the memory limit.
 */
package dev.sparseheap.cli;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The torture command passes on the heap and reports its counts. */
class TortureCommandTest {

    private static final long SEED = 20261202L;

    @Test
    void twentySecondsOfTortureBreakNoRule() {
        CommandRun run = CommandRun.of("torture", "--seconds", "20", "--threads", "2", "--seed", Long.toString(SEED), "--json");

        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.err().contains("--seed " + SEED), run.err());
        String json = run.out();
        long generations = field(json, "generations");
        assertTrue(generations >= 1, json);
        assertEquals(0, field(json, "violationCount"), json);
        assertEquals(64 * generations, field(json, "racingPairs"), json);
        assertEquals(64 * generations, field(json, "racingThrown") + field(json, "racingLate"), json);
        assertEquals(generations, field(json, "limitOutOfMemory"), json);
        assertTrue(field(json, "verifyPasses") >= 3 * generations, json);
    }

    @Test
    void badOptionsAreClearErrors() {
        CommandRun run = CommandRun.of("torture", "--seconds", "0");
        assertEquals(2, run.status());
        assertTrue(run.err().contains("seconds must be at least 1"), run.err());
    }

    private static long field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\":(-?\\d+)").matcher(json);
        assertTrue(matcher.find(), name + " in " + json);
        return Long.parseLong(matcher.group(1));
    }
}
