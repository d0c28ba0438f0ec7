/*
 * One release of free pages to the OS. The event's own duration is the time the release took
 * (begin() before, commit after), under the page heap's lock, so it is also how long
 * allocations could have waited for it.
 */
package dev.sparseheap.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * {@code dev.sparseheap.Scavenge}: free pages were given back to the OS.
 *
 * <p>Thread safety: an event instance belongs to the thread that commits it.
 */
@Name("dev.sparseheap.Scavenge")
@Label("Native Heap Scavenge")
@Category({"sparseheap", "Heap"})
@Description("Free pages given back to the operating system")
@StackTrace(false)
public final class ScavengeEvent extends Event {

    /** Trigger of a batch of the background scavenger. */
    public static final String BACKGROUND = "background";
    /** Trigger of a release made so that retained memory stays under the memory limit. */
    public static final String LIMIT = "limit";
    /** Trigger of a release the program asked for. */
    public static final String EXPLICIT = "explicit";

    /** Bytes given back. */
    @Label("Released")
    @DataAmount(DataAmount.BYTES)
    public long releasedBytes;

    /** Why: {@link #BACKGROUND}, {@link #LIMIT} or {@link #EXPLICIT}. */
    @Label("Trigger")
    public String trigger;

    /** A begun event when Flight Recorder is started (see {@link FlightRecording}), else null. */
    public static ScavengeEvent begin(boolean recording) {
        if (!recording) {
            return null;
        }
        ScavengeEvent event = new ScavengeEvent();
        event.begin();
        return event;
    }

    /** Commits {@code event} (null: not recording), begun before the release, when a recording wants it. */
    public static void commit(ScavengeEvent event, long releasedBytes, String trigger) {
        if (event != null && event.shouldCommit()) {
            event.releasedBytes = releasedBytes;
            event.trigger = trigger;
            event.commit();
        }
    }
}
