/*
 * The figures of one trace replayed on one allocator in its own process, and the one-line text
 * form in which a replay child process hands them to its parent: a fixed prefix then key=value
 * pairs, so the parent finds the line among anything else the child printed.
 */
package dev.sparseheap.bench.trace;

import dev.sparseheap.bench.ProtocolLine;

/**
 * One replay's measurements. Immutable.
 *
 * @param allocator         allocator name
 * @param trace             trace file name
 * @param events            events replayed
 * @param nanos             time of the events alone
 * @param baselineRssBytes  resident set just before the replay (after parsing and a GC)
 * @param peakRssBytes      resident high-water mark during the replay
 * @param peakLiveBytes     the trace's peak of live requested bytes
 */
public record ReplayResult(String allocator, String trace, long events, long nanos,
                           long baselineRssBytes, long peakRssBytes, long peakLiveBytes) {

    /** The prefix of the protocol line. */
    public static final String PREFIX = "sparseheap-replay-result";

    public double operationsPerSecond() {
        return events / (nanos / 1e9);
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
        return PREFIX + " allocator=" + allocator + " trace=" + trace + " events=" + events + " nanos=" + nanos
                + " baselineRss=" + baselineRssBytes + " peakRss=" + peakRssBytes + " peakLive=" + peakLiveBytes;
    }

    /**
     * The result in a child's output: the last line starting with {@link #PREFIX}.
     *
     * @throws IllegalArgumentException if there is none or it is malformed
     */
    public static ReplayResult fromOutput(String output) {
        ProtocolLine line = ProtocolLine.last(output, PREFIX);
        return new ReplayResult(line.text("allocator"), line.text("trace"), line.number("events"), line.number("nanos"),
                line.number("baselineRss"), line.number("peakRss"), line.number("peakLive"));
    }
}
