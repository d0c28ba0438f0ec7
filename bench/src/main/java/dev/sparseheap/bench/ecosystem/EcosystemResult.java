/*
 * The figures of one measured round of an ecosystem workload on one peer in its own process, and
 * the protocol line in which the child process hands them to its parent.
 */
package dev.sparseheap.bench.ecosystem;

import dev.sparseheap.bench.ProtocolLine;

/**
 * One measurement. Immutable.
 *
 * @param workload         workload name
 * @param peer             peer name
 * @param operations       operations of the measured round (requests, rows)
 * @param nanos            wall time of the measured round
 * @param baselineRssBytes resident set before the peer was set up (after start-up and a GC)
 * @param peakRssBytes     resident high-water mark over the warm-up and measured rounds
 */
public record EcosystemResult(String workload, String peer, long operations, long nanos,
                              long baselineRssBytes, long peakRssBytes) {

    /** The prefix of the protocol line. */
    public static final String PREFIX = "sparseheap-ecosystem-result";

    /** Peak resident memory the set-up and its rounds added above the baseline. */
    public long peakRssAboveBaseline() {
        return Math.max(0, peakRssBytes - baselineRssBytes);
    }

    /** The protocol line. Names must not contain spaces. */
    public String toLine() {
        return PREFIX + " workload=" + workload + " peer=" + peer + " operations=" + operations + " nanos=" + nanos
                + " baselineRss=" + baselineRssBytes + " peakRss=" + peakRssBytes;
    }

    /**
     * The result in a child's output: the last line starting with {@link #PREFIX}.
     *
     * @throws IllegalArgumentException if there is none or it is malformed
     */
    public static EcosystemResult fromOutput(String output) {
        ProtocolLine line = ProtocolLine.last(output, PREFIX);
        return new EcosystemResult(line.text("workload"), line.text("peer"), line.number("operations"),
                line.number("nanos"), line.number("baselineRss"), line.number("peakRss"));
    }
}
