/*
 * The figures of one trace replayed on one allocator in its own process, and the one-line text
 * form in which a replay child process hands them to its parent: a fixed prefix then key=value
 * pairs, so the parent finds the line among anything else the child printed.
 *
 * A child replays the trace in passes on one allocator instance: the first pass is
 * cold (JIT compilation, first page faults of the process), the later ones warm. Resident memory
 * is measured on the first pass only.
 */
package dev.sparseheap.bench.trace;

import dev.sparseheap.bench.BenchRunner;
import dev.sparseheap.bench.ProtocolLine;

import java.util.Arrays;
import java.util.List;

/**
 * One replay's measurements. Immutable.
 *
 * @param allocator         allocator name
 * @param trace             trace file name
 * @param events            events replayed per pass
 * @param passNanos         time of the events alone, per pass, the cold first pass first
 * @param baselineRssBytes  resident set just before the first pass (after parsing and a GC)
 * @param peakRssBytes      resident high-water mark during the first pass
 * @param peakLiveBytes     the trace's peak of live requested bytes
 */
public record ReplayResult(String allocator, String trace, long events, List<Long> passNanos,
                           long baselineRssBytes, long peakRssBytes, long peakLiveBytes) {

    /** The prefix of the protocol line. */
    public static final String PREFIX = "sparseheap-replay-result";

    /**
     * Copies the pass times.
     *
     * @throws IllegalArgumentException if there is no pass
     */
    public ReplayResult {
        passNanos = List.copyOf(passNanos);
        if (passNanos.isEmpty()) {
            throw new IllegalArgumentException("a replay result needs at least one pass");
        }
    }

    /** Time of the first pass, in a fresh process. */
    public long coldNanos() {
        return passNanos.getFirst();
    }

    /** Median time of the passes after the first, or NaN when there was only one pass. */
    public double warmNanos() {
        List<Double> warm = passNanos.subList(1, passNanos.size()).stream().map(Long::doubleValue).toList();
        return warm.isEmpty() ? Double.NaN : BenchRunner.median(warm);
    }

    /** Events per second of the cold pass. */
    public double operationsPerSecond() {
        return events / (coldNanos() / 1e9);
    }

    /** Peak resident memory the replay added above its baseline. */
    public long peakRssAboveBaseline() {
        return Math.max(0, peakRssBytes - baselineRssBytes);
    }

    /** Peak resident memory above baseline per peak live byte: 1.0 is a perfect fit. */
    public double fragmentation() {
        return (double) peakRssAboveBaseline() / peakLiveBytes;
    }

    /** The protocol line. Names must not contain spaces. */
    public String toLine() {
        return PREFIX + " allocator=" + allocator + " trace=" + trace + " events=" + events
                + " passNanos=" + String.join(",", passNanos.stream().map(String::valueOf).toList())
                + " baselineRss=" + baselineRssBytes + " peakRss=" + peakRssBytes + " peakLive=" + peakLiveBytes;
    }

    /**
     * The result in a child's output: the last line starting with {@link #PREFIX}.
     *
     * @throws IllegalArgumentException if there is none or it is malformed
     */
    public static ReplayResult fromOutput(String output) {
        ProtocolLine line = ProtocolLine.last(output, PREFIX);
        try {
            return new ReplayResult(line.text("allocator"), line.text("trace"), line.number("events"),
                    passes(line.text("passNanos")), line.number("baselineRss"), line.number("peakRss"),
                    line.number("peakLive"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed pass times in: " + output, e);
        }
    }

    private static List<Long> passes(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(Long::parseLong).toList();
    }
}
