package dev.sparseheap.cli;

import java.io.PrintWriter;

/**
 * A progress line that rewrites itself in place ({@code \r}) on a terminal and prints only its
 * final state elsewhere (CI logs, pipes), so logs stay readable.
 *
 * <p>Thread-safe: updates from several threads are serialised.
 */
final class Progress {

    private final PrintWriter out;
    private final boolean interactive;
    private int lastWidth;

    Progress(PrintWriter out) {
        this(out, System.console() != null);
    }

    Progress(PrintWriter out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /** Shows {@code line} as the current state. */
    synchronized void update(String line) {
        if (interactive) {
            out.print('\r' + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            out.flush();
            lastWidth = line.length();
        }
    }

    /** Shows {@code line} as the final state and ends the progress line. */
    synchronized void finish(String line) {
        if (interactive) {
            update(line);
            out.println();
        } else {
            out.println(line);
        }
        lastWidth = 0;
    }
}
