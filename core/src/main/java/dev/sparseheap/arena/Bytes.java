/*
 * Power-of-two rounding of addresses and sizes, written once for every part of the arena layer.
 * Rounding up never wraps silently: a value that cannot be rounded within a long is an
 * overflow the callers test for (they compare against the address limit).
 */
package dev.sparseheap.arena;

/** Address arithmetic. Stateless; safe for use by any thread. */
final class Bytes {

    static final long KIB = 1L << 10;
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;

    private Bytes() {
    }

    /** {@code value} rounded up to a multiple of {@code align} (a power of two); Long.MAX_VALUE on overflow. */
    static long roundUp(long value, long align) {
        long rounded = (value + align - 1) & -align;
        return rounded < value ? Long.MAX_VALUE : rounded;
    }

    /** {@code value} rounded down to a multiple of {@code align} (a power of two). */
    static long roundDown(long value, long align) {
        return value & -align;
    }
}
