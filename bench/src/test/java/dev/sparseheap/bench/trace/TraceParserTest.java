package dev.sparseheap.bench.trace;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sparseheap-trace 1 format as the replay reads it. */
class TraceParserTest {

    private static final String ALL_KINDS = """
            # sparseheap-trace 1
            a 1 100
            z 2 50   # zeroed
            m 3 64 4096

            r 1 300
            f 2
            f 1
            """;

    private static Trace parse(String text) throws IOException {
        return TraceParser.parse("test.trace", new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
    }

    private static TraceFormatException rejected(String text) {
        return assertThrows(TraceFormatException.class, () -> parse(text));
    }

    @Test
    void readsAllFiveEventKindsInOrderSkippingCommentsAndBlankLines() throws IOException {
        Trace trace = parse(ALL_KINDS);
        assertArrayEquals(new byte[] {'a', 'z', 'm', 'r', 'f', 'f'}, trace.kinds());
        assertArrayEquals(new int[] {1, 2, 3, 1, 2, 1}, trace.ids());
        assertArrayEquals(new long[] {100, 50, 64, 300, 0, 0}, trace.sizes());
        assertEquals(12, trace.alignShifts()[2], "alignment 4096 is stored as its log2");
        assertEquals(3, trace.maxId());
    }

    @Test
    void peakLiveBytesFollowsAllocationsResizesAndFrees() throws IOException {
        assertEquals(300 + 50 + 64, parse(ALL_KINDS).peakLiveBytes());
        assertEquals(1000, parse("a 1 1000\nf 1\na 2 10\n").peakLiveBytes());
    }

    @Test
    void readsGzipCompressedTracesByTheirMagicBytes() throws IOException {
        var compressed = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(compressed)) {
            gzip.write(ALL_KINDS.getBytes(StandardCharsets.US_ASCII));
        }
        Trace trace = TraceParser.parse("no-gz-suffix", new ByteArrayInputStream(compressed.toByteArray()));
        assertEquals(6, trace.events());
        assertArrayEquals(parse(ALL_KINDS).sizes(), trace.sizes());
    }

    @Test
    void badLinesAreRejectedWithTheirLineNumber() {
        assertEquals(3, rejected("a 1 10\n# fine\nx 2 10\n").lineNumber());
        assertTrue(rejected("a 1 10\nx 2 10\n").getMessage().startsWith("test.trace:2: unknown event 'x'"));
        assertEquals(1, rejected("a 1\n").lineNumber(), "too few fields");
        assertEquals(1, rejected("a 1 10 20\n").lineNumber(), "too many fields");
        assertEquals(1, rejected("a one 10\n").lineNumber(), "id not a number");
        assertEquals(1, rejected("a 0 10\n").lineNumber(), "id not positive");
        assertEquals(1, rejected("a 1 -5\n").lineNumber(), "negative size");
        assertEquals(1, rejected("m 1 64 48\n").lineNumber(), "alignment not a power of two");
    }

    @Test
    void objectLifecycleMistakesAreRejectedWithTheirLineNumber() {
        assertTrue(rejected("a 1 10\na 1 20\n").getMessage().contains("test.trace:2: object 1 is allocated a second time"));
        assertTrue(rejected("f 7\n").getMessage().contains("test.trace:1: object 7 is freed but was never allocated"));
        assertTrue(rejected("a 1 10\nf 1\nf 1\n").getMessage().contains("test.trace:3: object 1 is freed after it was freed"));
        assertTrue(rejected("a 1 10\nf 1\nr 1 20\n").getMessage().contains("test.trace:3: object 1 is resized after it was freed"));
    }

    @Test
    void anotherFormatVersionIsRejected() {
        assertTrue(rejected("# sparseheap-trace 2\na 1 10\n").getMessage().contains("unsupported trace format version '2'"));
    }
}
