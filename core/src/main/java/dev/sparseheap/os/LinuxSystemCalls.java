/*
 * The Linux system calls the real address space needs, called through java.lang.foreign.
 *
 * Every call captures errno in the same native frame (Linker.Option.captureCallState), since
 * anything the JVM runs between the call and a later read could overwrite it. Addresses and
 * sizes travel as Java longs: the heap works with raw addresses and never needs a
 * MemorySegment for them here.
 *
 * The constants are the same on x86-64 and aarch64, the two architectures LinuxAddressSpace
 * accepts: both use the generic mman flags and the generic errno numbers.
 */
package dev.sparseheap.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Downcalls to mmap, mprotect, madvise, munmap, sysconf and sbrk, each returning its result
 * with the errno it left.
 *
 * <p>Stateless; safe for use by any thread.
 */
final class LinuxSystemCalls {

    static final int PROT_NONE = 0;
    static final int PROT_READ_WRITE = 0x1 | 0x2;
    static final int MAP_PRIVATE = 0x02;
    static final int MAP_ANONYMOUS = 0x20;
    static final int MAP_NORESERVE = 0x4000;
    static final int MAP_FIXED_NOREPLACE = 0x10_0000;
    static final int MADV_DONTNEED = 4;
    static final int SC_PAGESIZE = 30;
    static final long FAILED = -1;

    /** What a call returned and the errno it left (meaningful only when it failed). */
    record Result(long value, int errno) {

        boolean failed() {
            return value == FAILED;
        }
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURED = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURED.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle MMAP = downcall("mmap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MPROTECT = downcall("mprotect",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MADVISE = downcall("madvise",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MUNMAP = downcall("munmap",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle SYSCONF = downcall("sysconf",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    private static final MethodHandle SBRK = downcall("sbrk",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));

    private LinuxSystemCalls() {
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        var symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("the C library has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"));
    }

    /** An anonymous private mapping with no file behind it. */
    static Result mmap(long address, long size, int protection, int flags) {
        return call(state -> (long) MMAP.invokeExact(state, address, size, protection, flags, -1, 0L));
    }

    static Result mprotect(long address, long size, int protection) {
        return call(state -> (int) MPROTECT.invokeExact(state, address, size, protection));
    }

    static Result madvise(long address, long size, int advice) {
        return call(state -> (int) MADVISE.invokeExact(state, address, size, advice));
    }

    static Result munmap(long address, long size) {
        return call(state -> (int) MUNMAP.invokeExact(state, address, size));
    }

    static Result sysconf(int name) {
        return call(state -> (long) SYSCONF.invokeExact(state, name));
    }

    /** {@code sbrk(increment)}: the previous break, so {@code sbrk(0)} is the current one. */
    static Result sbrk(long increment) {
        return call(state -> (long) SBRK.invokeExact(state, increment));
    }

    /** One downcall, given the segment that receives its errno. */
    @FunctionalInterface
    private interface Invocation {
        long invoke(MemorySegment capturedState) throws Throwable;
    }

    private static Result call(Invocation invocation) {
        try (var arena = Arena.ofConfined()) {
            var state = arena.allocate(CAPTURED);
            long value = invocation.invoke(state);
            return new Result(value, (int) ERRNO.get(state, 0L));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (t instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("native call failed", t);
    }

    /** The message every failed call produces: {@code mprotect(0x7f.., 65536) failed: ENOMEM (errno 12)}. */
    static String failure(String call, int errno) {
        return call + " failed: " + errnoName(errno) + " (errno " + errno + ")";
    }

    static String errnoName(int errno) {
        return switch (errno) {
            case 1 -> "EPERM";
            case 11 -> "EAGAIN";
            case 12 -> "ENOMEM";
            case 13 -> "EACCES";
            case 17 -> "EEXIST";
            case 22 -> "EINVAL";
            default -> "unnamed error";
        };
    }
}
