/*
 * A parsed allocation trace held in primitive arrays, one entry per event, so that replaying it
 * costs array loads and nothing else: no parsing, boxing or allocation on the timed path.
 */
package dev.sparseheap.bench.trace;

/**
 * The events of a {@code sparseheap-trace 1} file in order, with figures computed while parsing.
 *
 * <p>Immutable by convention: the arrays are shared, not copied, and must not be modified.
 * Thread-safe for reading.
 *
 * @param source        where it was read from, for messages
 * @param kinds         event kinds, one of {@link #ALLOCATE}, {@link #ZEROED}, {@link #ALIGNED},
 *                      {@link #RESIZE}, {@link #FREE}
 * @param ids           object id of each event
 * @param sizes         size of each allocate or resize event (0 for free)
 * @param alignShifts   log2 of the alignment of each aligned event (0 otherwise)
 * @param maxId         the largest object id
 * @param peakLiveBytes the largest sum of requested sizes of live objects at any point
 */
public record Trace(String source, byte[] kinds, int[] ids, long[] sizes, byte[] alignShifts,
                    int maxId, long peakLiveBytes) {

    public static final byte ALLOCATE = 'a';
    public static final byte ZEROED = 'z';
    public static final byte ALIGNED = 'm';
    public static final byte RESIZE = 'r';
    public static final byte FREE = 'f';

    public int events() {
        return kinds.length;
    }
}
