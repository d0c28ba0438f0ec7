/*
 * Estimates of what Java objects cost on the Java heap, for the metadata accounting of the
 * arena layer. The figures follow HotSpot's layout with compressed class pointers and
 * compressed references (the default below a 32 GiB Java heap): a 12-byte object header, a
 * 16-byte array header, 4-byte references, and every object padded to 8 bytes. They are
 * estimates, stated once here so that every metadata figure is computed the same way.
 */
package dev.sparseheap.arena;

/** Java-heap footprint estimates. Stateless; safe for use by any thread. */
public final class Footprint {

    /** Bytes of an object's header. */
    public static final long OBJECT_HEADER = 12;
    /** Bytes of an array's header. */
    public static final long ARRAY_HEADER = 16;
    /** Bytes of a reference. */
    public static final long REFERENCE = 4;

    private Footprint() {
    }

    /** Bytes taken by an array of {@code length} references. */
    public static long referenceArray(long length) {
        return pad(ARRAY_HEADER + REFERENCE * length);
    }

    /** Rounds an object size up to HotSpot's 8-byte object alignment. */
    public static long pad(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
