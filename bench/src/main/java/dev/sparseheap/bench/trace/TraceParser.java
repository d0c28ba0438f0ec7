/*
 * Reads the text trace format of DESIGN.md ("sparseheap-trace 1"): one event a line, '#'
 * starting a comment, optionally gzip-compressed (recognized by its magic bytes, whatever the
 * file name). Parsing validates everything a replay relies on, so that a replay never frees an
 * unknown object: ids are positive and allocated once, resizes and frees name live objects,
 * sizes are non-negative, alignments are powers of two. A header comment naming another format
 * version is rejected. The first problem is reported with its line number.
 */
package dev.sparseheap.bench.trace;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Parses traces into {@link Trace}s.
 *
 * <p>Each instance parses one stream; confined to one thread. The static methods are thread-safe.
 */
public final class TraceParser {

    private static final String HEADER = "sparseheap-trace";
    private static final int VERSION = 1;
    private static final byte LIVE = 1;
    private static final byte FREED = 2;

    private final String source;
    private long lineNumber;
    private int count;
    private byte[] kinds = new byte[1 << 16];
    private int[] ids = new int[1 << 16];
    private long[] sizes = new long[1 << 16];
    private byte[] alignShifts = new byte[1 << 16];
    private byte[] states = new byte[1 << 16];
    private long[] liveSizes = new long[1 << 16];
    private int maxId;
    private long liveBytes;
    private long peakLiveBytes;

    private TraceParser(String source) {
        this.source = source;
    }

    /** Parses a trace file, plain or gzip-compressed. */
    public static Trace parse(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(file.toString(), in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trace " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a trace stream, plain or gzip-compressed; {@code source} names it in errors. */
    public static Trace parse(String source, InputStream in) throws IOException {
        var buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(2);
        boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
        buffered.reset();
        InputStream text = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
        var reader = new BufferedReader(new InputStreamReader(text, StandardCharsets.US_ASCII), 1 << 16);
        var parser = new TraceParser(source);
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            parser.line(line);
        }
        return parser.finish();
    }

    private void line(String line) {
        lineNumber++;
        int comment = line.indexOf('#');
        if (comment >= 0) {
            checkHeader(line.substring(comment + 1).strip());
            line = line.substring(0, comment);
        }
        String[] fields = line.strip().split("\\s+");
        if (fields.length == 1 && fields[0].isEmpty()) {
            return;
        }
        if (fields[0].length() != 1) {
            throw error("unknown event '" + fields[0] + "' (expected a, z, m, r or f)");
        }
        byte kind = (byte) fields[0].charAt(0);
        switch (kind) {
            case Trace.ALLOCATE, Trace.ZEROED -> allocate(kind, fields, 3, (byte) 0);
            case Trace.ALIGNED -> allocate(kind, fields, 4, alignShift(fields));
            case Trace.RESIZE -> resize(fields);
            case Trace.FREE -> free(fields);
            default -> throw error("unknown event '" + fields[0] + "' (expected a, z, m, r or f)");
        }
    }

    private void checkHeader(String comment) {
        if (comment.startsWith(HEADER)) {
            String version = comment.substring(HEADER.length()).strip();
            if (!version.equals(String.valueOf(VERSION))) {
                throw error("unsupported trace format version '" + version + "' (this reader knows " + HEADER + " " + VERSION + ")");
            }
        }
    }

    private void allocate(byte kind, String[] fields, int expectedFields, byte alignShift) {
        expectFields(fields, expectedFields);
        int id = id(fields[1]);
        if (state(id) != 0) {
            throw error("object " + id + " is allocated a second time (ids are never reused)");
        }
        long size = size(fields[2]);
        add(kind, id, size, alignShift);
        states[id] = LIVE;
        liveSizes[id] = size;
        grow(size);
    }

    private void resize(String[] fields) {
        expectFields(fields, 3);
        int id = liveId(fields[1], "resized");
        long size = size(fields[2]);
        add(Trace.RESIZE, id, size, (byte) 0);
        liveBytes -= liveSizes[id];
        liveSizes[id] = size;
        grow(size);
    }

    private void free(String[] fields) {
        expectFields(fields, 2);
        int id = liveId(fields[1], "freed");
        add(Trace.FREE, id, 0, (byte) 0);
        states[id] = FREED;
        liveBytes -= liveSizes[id];
    }

    private void grow(long size) {
        liveBytes += size;
        peakLiveBytes = Math.max(peakLiveBytes, liveBytes);
    }

    private int liveId(String field, String action) {
        int id = id(field);
        return switch (state(id)) {
            case LIVE -> id;
            case FREED -> throw error("object " + id + " is " + action + " after it was freed");
            default -> throw error("object " + id + " is " + action + " but was never allocated");
        };
    }

    private byte state(int id) {
        return id < states.length ? states[id] : 0;
    }

    private void add(byte kind, int id, long size, byte alignShift) {
        if (count == kinds.length) {
            int capacity = count * 2;
            kinds = Arrays.copyOf(kinds, capacity);
            ids = Arrays.copyOf(ids, capacity);
            sizes = Arrays.copyOf(sizes, capacity);
            alignShifts = Arrays.copyOf(alignShifts, capacity);
        }
        if (id >= states.length) {
            int capacity = Math.max(states.length * 2, id + 1);
            states = Arrays.copyOf(states, capacity);
            liveSizes = Arrays.copyOf(liveSizes, capacity);
        }
        kinds[count] = kind;
        ids[count] = id;
        sizes[count] = size;
        alignShifts[count] = alignShift;
        count++;
        maxId = Math.max(maxId, id);
    }

    private Trace finish() {
        return new Trace(source, Arrays.copyOf(kinds, count), Arrays.copyOf(ids, count),
                Arrays.copyOf(sizes, count), Arrays.copyOf(alignShifts, count), maxId, peakLiveBytes);
    }

    private void expectFields(String[] fields, int expected) {
        if (fields.length != expected) {
            throw error("event '" + fields[0] + "' takes " + (expected - 1) + " numbers, found " + (fields.length - 1));
        }
    }

    private int id(String field) {
        long id = number(field, "id");
        if (id <= 0 || id >= Integer.MAX_VALUE) {
            throw error("id " + field + " is not a positive integer below " + Integer.MAX_VALUE);
        }
        return (int) id;
    }

    private long size(String field) {
        long size = number(field, "size");
        if (size < 0) {
            throw error("size " + field + " is negative");
        }
        return size;
    }

    private byte alignShift(String[] fields) {
        expectFields(fields, 4);
        long alignment = number(fields[3], "alignment");
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            throw error("alignment " + fields[3] + " is not a power of two");
        }
        return (byte) Long.numberOfTrailingZeros(alignment);
    }

    private long number(String field, String what) {
        try {
            return Long.parseLong(field);
        } catch (NumberFormatException e) {
            throw error(what + " '" + field + "' is not a number");
        }
    }

    private TraceFormatException error(String problem) {
        return new TraceFormatException(source, lineNumber, problem);
    }
}
