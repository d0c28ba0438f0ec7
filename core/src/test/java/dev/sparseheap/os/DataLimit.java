/*
 * Test support: a temporarily lowered RLIMIT_DATA, the one limit a test can set on itself to
 * make the kernel refuse mprotect(PROT_READ | PROT_WRITE) with ENOMEM, and put back after.
 */
package dev.sparseheap.os;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Lowers this process's RLIMIT_DATA soft limit for the duration of a try block, so that the
 * kernel refuses to make more private memory writable; restores it on close. Since Linux 4.7
 * the limit covers private writable mappings, which is what {@code map} creates.
 */
final class DataLimit implements AutoCloseable {

    private static final int RLIMIT_DATA = 2;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle GETRLIMIT = LINKER.downcallHandle(
            LINKER.defaultLookup().find("getrlimit").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle SETRLIMIT = LINKER.downcallHandle(
            LINKER.defaultLookup().find("setrlimit").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    private final long previousSoftLimit;
    private final long hardLimit;

    /** Allows {@code headroom} more bytes of private writable memory than the process has now. */
    DataLimit(long headroom) throws Throwable {
        try (var arena = Arena.ofConfined()) {
            var limits = arena.allocate(JAVA_LONG, 2);
            check((int) GETRLIMIT.invokeExact(RLIMIT_DATA, limits));
            previousSoftLimit = limits.getAtIndex(JAVA_LONG, 0);
            hardLimit = limits.getAtIndex(JAVA_LONG, 1);
            set(arena, currentDataBytes() + headroom);
        }
    }

    /** VmData of /proc/self/status: the private writable memory the limit is compared with. */
    private static long currentDataBytes() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("VmData:"))
                .mapToLong(line -> Long.parseLong(line.split(" +")[1]) << 10)
                .findFirst().orElseThrow();
    }

    private void set(Arena arena, long softLimit) throws Throwable {
        var limits = arena.allocate(JAVA_LONG, 2);
        limits.setAtIndex(JAVA_LONG, 0, softLimit);
        limits.setAtIndex(JAVA_LONG, 1, hardLimit);
        check((int) SETRLIMIT.invokeExact(RLIMIT_DATA, (MemorySegment) limits));
    }

    private static void check(int result) {
        if (result != 0) {
            throw new IllegalStateException("getrlimit/setrlimit(RLIMIT_DATA) failed");
        }
    }

    @Override
    public void close() throws Exception {
        try (var arena = Arena.ofConfined()) {
            set(arena, previousSoftLimit);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("restoring RLIMIT_DATA failed", t);
        }
    }
}
