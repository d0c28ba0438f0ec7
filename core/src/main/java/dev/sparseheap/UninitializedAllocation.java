/*
 * SegmentAllocator's allocateFrom methods, without the double write.
 *
 * The JDK's default allocateFrom methods call allocate(), which returns zeroed memory, and then
 * overwrite it. Here they take memory without zeroing it and write it once. The checks and
 * exceptions are those of the JDK defaults: element layouts go through sequenceLayout, copies
 * through MemorySegment.copy, and string charsets must be standard ones. When a copy fails its
 * checks, the memory just taken is given back before the exception leaves.
 */
package dev.sparseheap;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.ValueLayout;
import java.nio.charset.Charset;
import java.util.Objects;

/**
 * A segment allocator that can hand out memory without zeroing it.
 *
 * <p>Thread safety: as the implementing allocator's.
 */
interface UninitializedAllocation extends SegmentAllocator {

    /** A segment of {@code byteSize} bytes aligned to {@code byteAlignment}, contents unspecified. */
    MemorySegment allocateUninitialized(long byteSize, long byteAlignment);

    /**
     * Frees {@code segment}; here called only with the segment the last
     * {@link #allocateUninitialized} returned, when it could not be filled.
     */
    void free(MemorySegment segment);

    @Override
    default MemorySegment allocateFrom(ValueLayout.OfByte layout, byte value) {
        MemorySegment segment = allocateUninitialized(layout);
        segment.set(layout, 0, value);
        return segment;
    }

    @Override
    default MemorySegment allocateFrom(ValueLayout.OfChar layout, char value) {
        MemorySegment segment = allocateUninitialized(layout);
        segment.set(layout, 0, value);
        return segment;
    }

    @Override
    default MemorySegment allocateFrom(ValueLayout.OfShort layout, short value) {
        MemorySegment segment = allocateUninitialized(layout);
        segment.set(layout, 0, value);
        return segment;
    }

    @Override
    default MemorySegment allocateFrom(ValueLayout.OfInt layout, int value) {
        MemorySegment segment = allocateUninitialized(layout);
        segment.set(layout, 0, value);
        return segment;
    }

    @Override
    default MemorySegment allocateFrom(ValueLayout.OfFloat layout, float value) {
        MemorySegment segment = allocateUninitialized(layout);
        segment.set(layout, 0, value);
        return segment;
    }

    @Override
    default MemorySegment allocateFrom(ValueLayout.OfLong layout, long value) {
        MemorySegment segment = allocateUninitialized(layout);
        segment.set(layout, 0, value);
        return segment;
    }

    @Override
    default MemorySegment allocateFrom(ValueLayout.OfDouble layout, double value) {
        MemorySegment segment = allocateUninitialized(layout);
        segment.set(layout, 0, value);
        return segment;
    }

    @Override
    default MemorySegment allocateFrom(AddressLayout layout, MemorySegment value) {
        Objects.requireNonNull(value);
        if (!value.isNative()) {
            throw new IllegalArgumentException("not a native segment: " + value);
        }
        MemorySegment segment = allocateUninitialized(layout);
        segment.set(layout, 0, value);
        return segment;
    }

    @Override
    default MemorySegment allocateFrom(ValueLayout elementLayout, MemorySegment source,
                                       ValueLayout sourceElementLayout, long sourceOffset, long elementCount) {
        Objects.requireNonNull(source);
        Objects.requireNonNull(sourceElementLayout);
        MemorySegment target = allocateUninitialized(MemoryLayout.sequenceLayout(elementCount, elementLayout));
        try {
            MemorySegment.copy(source, sourceElementLayout, sourceOffset, target, elementLayout, 0, elementCount);
        } catch (RuntimeException e) {
            free(target);
            throw e;
        }
        return target;
    }

    @Override
    default MemorySegment allocateFrom(String text, Charset charset) {
        Objects.requireNonNull(text);
        int terminator = terminatorBytes(charset);
        byte[] bytes = text.getBytes(charset);
        MemorySegment segment = allocateUninitialized((long) bytes.length + terminator, 1);
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
        segment.asSlice(bytes.length, terminator).fill((byte) 0);
        return segment;
    }

    private MemorySegment allocateUninitialized(MemoryLayout layout) {
        return allocateUninitialized(layout.byteSize(), layout.byteAlignment());
    }

    /** Bytes of the null terminator in {@code charset}, which must be a standard charset. */
    private static int terminatorBytes(Charset charset) {
        return switch (charset.name()) {
            case "UTF-8", "ISO-8859-1", "US-ASCII" -> 1;
            case "UTF-16", "UTF-16LE", "UTF-16BE" -> 2;
            case "UTF-32", "UTF-32LE", "UTF-32BE" -> 4;
            default -> throw new IllegalArgumentException("not a standard charset: " + charset);
        };
    }
}
