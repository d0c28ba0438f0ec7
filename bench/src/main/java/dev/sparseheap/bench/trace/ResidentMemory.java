/*
 * Resident memory of this process from Linux's /proc/self: the current resident set (VmRSS) and
 * its high-water mark (VmHWM), which writing "5" to /proc/self/clear_refs resets to the current
 * resident set. A replay resets the mark after parsing, so its peak is the replay's own.
 */
package dev.sparseheap.bench.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading and resetting resident-set figures (Linux only). Stateless and thread-safe. */
public final class ResidentMemory {

    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private ResidentMemory() {
    }

    /** The resident set size in bytes. */
    public static long residentBytes() {
        return statusKilobytes("VmRSS:") * 1024;
    }

    /** The peak resident set size since start or the last {@link #resetPeak()}, in bytes. */
    public static long peakResidentBytes() {
        return statusKilobytes("VmHWM:") * 1024;
    }

    /**
     * Waits until the resident set stops shrinking (at most {@code maxMillis}): after a
     * System.gc() the JVM gives heap memory back to the OS from a background thread, and a
     * baseline taken before that finishes would hide growth that happens while it does.
     */
    public static void settle(long maxMillis) {
        long deadline = System.nanoTime() + maxMillis * 1_000_000;
        long previous = residentBytes();
        int stableReads = 0;
        while (stableReads < 3 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long current = residentBytes();
            stableReads = current >= previous ? stableReads + 1 : 0;
            previous = current;
        }
    }

    /** Resets the peak resident set size to the current resident set size. */
    public static void resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset the resident high-water mark through " + CLEAR_REFS, e);
        }
    }

    private static long statusKilobytes(String field) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + STATUS, e);
        }
        throw new IllegalStateException(STATUS + " has no " + field + " line");
    }
}
