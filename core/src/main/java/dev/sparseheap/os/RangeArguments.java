/*
 * Argument rules shared by every address space.
 *
 * The AddressSpace contract says that a bad address or size is rejected with an
 * IllegalArgumentException before anything changes. The simulation and the real operating
 * system must reject exactly the same calls, so both delegate their checks here and the
 * rules are written once:
 *
 *   - every address and size is a multiple of the physical page size;
 *   - sizes are positive;
 *   - address + size neither overflows nor passes the address limit;
 *   - a reservation hint is an address like any other, except that a hint whose range would
 *     pass the limit is not an error: like the kernel, the space ignores such a hint and
 *     chooses elsewhere.
 *
 * Messages name the operation, the arguments in hexadecimal and the rule broken, so that a
 * failing caller can be found from the message alone.
 */
package dev.sparseheap.os;

/**
 * Static checks of addresses and sizes given to an {@link AddressSpace}.
 *
 * <p>Stateless; safe for use by any thread.
 */
final class RangeArguments {

    private RangeArguments() {
    }

    /**
     * Checks a range given to map, release, fault, free, reserveExact or a foreign mapping.
     *
     * @throws IllegalArgumentException naming {@code operation} when a rule is broken
     */
    static void checkRange(String operation, long address, long size, long pageSize, long addressLimit) {
        checkSize(operation, address, size, pageSize, addressLimit);
        if (address < 0 || address % pageSize != 0) {
            throw new IllegalArgumentException(call(operation, address, size)
                    + ": address is not a multiple of the physical page size " + pageSize);
        }
        if (address > addressLimit - size) {
            throw new IllegalArgumentException(call(operation, address, size)
                    + ": range passes the address limit " + hex(addressLimit));
        }
    }

    /**
     * Checks the arguments of a hinted reservation: the size by the usual rules, the hint for
     * alignment only (0 means no hint).
     *
     * @throws IllegalArgumentException naming {@code operation} when a rule is broken
     */
    static void checkHint(String operation, long hint, long size, long pageSize, long addressLimit) {
        checkSize(operation, hint, size, pageSize, addressLimit);
        if (hint < 0 || hint % pageSize != 0) {
            throw new IllegalArgumentException(call(operation, hint, size)
                    + ": hint is not a multiple of the physical page size " + pageSize);
        }
    }

    /** True when a hinted range lies wholly below the limit, so the space may honour it. */
    static boolean hintFits(long hint, long size, long addressLimit) {
        return hint != 0 && hint <= addressLimit - size;
    }

    private static void checkSize(String operation, long address, long size, long pageSize, long addressLimit) {
        if (size <= 0) {
            throw new IllegalArgumentException(call(operation, address, size) + ": size must be positive");
        }
        if (size % pageSize != 0) {
            throw new IllegalArgumentException(call(operation, address, size)
                    + ": size is not a multiple of the physical page size " + pageSize);
        }
        if (size > addressLimit) {
            throw new IllegalArgumentException(call(operation, address, size)
                    + ": size passes the address limit " + hex(addressLimit));
        }
    }

    /** The call as it reads in messages: {@code map(0x7f0000000000, 65536)}. */
    static String call(String operation, long address, long size) {
        return operation + "(" + hex(address) + ", " + size + ")";
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
