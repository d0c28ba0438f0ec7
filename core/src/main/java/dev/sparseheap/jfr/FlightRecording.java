/*
 * Whether Flight Recorder has been started in this JVM, asked before any event class is touched.
 *
 * Loading the first event class of a program initializes part of JFR (about a tenth of a second
 * on a loaded machine), so every commit site first asks this, a read of one static field: in a
 * program that never records, no event class is ever loaded. Once a recording starts, the sites
 * create their events and JFR's own isEnabled()/shouldCommit() decide.
 */
package dev.sparseheap.jfr;

import jdk.jfr.FlightRecorder;

/** The cheap question before an event. Stateless; safe for use by any thread. */
public final class FlightRecording {

    private FlightRecording() {
    }

    /** Whether Flight Recorder is initialized, so that events may be recorded. */
    public static boolean started() {
        return FlightRecorder.isInitialized();
    }
}
