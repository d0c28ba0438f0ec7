/*
 * The error of a malformed trace: it names the file and the line, so a bad trace is fixed at
 * its source instead of producing a wrong measurement.
 */
package dev.sparseheap.bench.trace;

/** A trace line that does not follow {@code sparseheap-trace 1}. Immutable. */
public final class TraceFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final long lineNumber;

    public TraceFormatException(String source, long lineNumber, String problem) {
        super(source + ":" + lineNumber + ": " + problem);
        this.lineNumber = lineNumber;
    }

    /** The 1-based number of the offending line. */
    public long lineNumber() {
        return lineNumber;
    }
}
