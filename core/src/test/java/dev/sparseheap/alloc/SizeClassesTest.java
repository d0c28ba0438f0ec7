package dev.sparseheap.alloc;

import dev.sparseheap.arena.HeapArena;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SizeClassesTest {

    @Test
    void classesGrowStrictlyUpToThirtyTwoKibibytes() {
        assertEquals(8, SizeClasses.objectSize(1));
        for (int cls = 2; cls < SizeClasses.count(); cls++) {
            assertTrue(SizeClasses.objectSize(cls) > SizeClasses.objectSize(cls - 1), "class " + cls);
        }
        assertEquals(SizeClasses.MAX_SMALL_SIZE, SizeClasses.objectSize(SizeClasses.count() - 1));
    }

    @Test
    void everyClassOfSixteenBytesOrMoreIsSixteenByteAligned() {
        for (int cls = 2; cls < SizeClasses.count(); cls++) {
            assertEquals(0, SizeClasses.objectSize(cls) % 16, "class " + cls);
            assertTrue(SizeClasses.naturalAlignment(cls) >= 16, "class " + cls);
        }
    }

    @Test
    void internalWasteIsAtMostAnEighthAbove128BytesAndAtMost15BytesBelow() {
        for (int cls = 1; cls < SizeClasses.count(); cls++) {
            int size = SizeClasses.objectSize(cls);
            int smallestRequest = cls == 1 ? 1 : SizeClasses.objectSize(cls - 1) + 1;
            if (size > 128) {
                assertTrue(SizeClasses.maxInternalWaste(cls) <= 0.125, "class " + cls + " of " + size);
            } else {
                assertTrue(size - smallestRequest <= 15, "class " + cls + " of " + size);
            }
        }
    }

    @Test
    void spansAreTheFewestPagesWithTailWasteAtMostAnEighthAndEnoughObjects() {
        for (int cls = 1; cls < SizeClasses.count(); cls++) {
            int size = SizeClasses.objectSize(cls);
            int pages = SizeClasses.spanPages(cls);
            long spanBytes = pages * HeapArena.PAGE_SIZE;
            assertTrue(SizeClasses.tailWaste(cls) <= 0.125, "class " + cls);
            assertEquals(spanBytes / size, SizeClasses.objectsPerSpan(cls));
            assertTrue(SizeClasses.objectsPerSpan(cls) >= 64 || spanBytes >= 64 * 1024,
                    "class " + cls + " has too few objects per span");
            long fewer = (pages - 1) * HeapArena.PAGE_SIZE;
            assertTrue(fewer < size || (fewer % size) * 8 > fewer || fewer / size < 64 && fewer < 64 * 1024,
                    "class " + cls + " fits in fewer pages");
        }
    }

    @Test
    void everyBitmapFitsInSixteenWords() {
        for (int cls = 1; cls < SizeClasses.count(); cls++) {
            assertTrue(SizeClasses.objectsPerSpan(cls) <= 16 * 64, "class " + cls);
        }
    }

    @Test
    void lookupFindsTheSmallestClassThatHoldsEverySize() {
        for (int size = 0; size <= SizeClasses.MAX_SMALL_SIZE; size++) {
            int cls = SizeClasses.classOf(size);
            assertTrue(SizeClasses.objectSize(cls) >= size, "size " + size);
            assertTrue(cls == 1 || SizeClasses.objectSize(cls - 1) < size, "size " + size);
        }
    }

    @Test
    void reciprocalDividesEveryOffsetInsideASpanExactly() {
        for (int cls = 1; cls < SizeClasses.count(); cls++) {
            long size = SizeClasses.objectSize(cls);
            long spanBytes = SizeClasses.spanPages(cls) * HeapArena.PAGE_SIZE;
            long reciprocal = SizeClasses.reciprocal(cls);
            for (long offset = 0; offset < spanBytes; offset++) {
                if ((offset * reciprocal >>> 32) != offset / size) {
                    throw new AssertionError("class " + cls + " offset " + offset);
                }
            }
        }
    }

    @Test
    void alignedLookupPicksTheSmallestClassWithEnoughNaturalAlignment() {
        assertEquals(SizeClasses.classOf(16), SizeClasses.classOf(1, 16));
        assertEquals(128, SizeClasses.objectSize(SizeClasses.classOf(100, 64)));
        assertEquals(4096, SizeClasses.objectSize(SizeClasses.classOf(4096, 4096)));
        assertEquals(8192, SizeClasses.objectSize(SizeClasses.classOf(5000, 4096)));
        assertEquals(0, SizeClasses.classOf(100, 16384));
        assertEquals(0, SizeClasses.classOf(SizeClasses.MAX_SMALL_SIZE + 1, 8));
        for (long alignment = 8; alignment <= HeapArena.PAGE_SIZE; alignment *= 2) {
            for (int size = 0; size <= SizeClasses.MAX_SMALL_SIZE; size += 7) {
                int cls = SizeClasses.classOf(size, alignment);
                if (cls != 0) {
                    assertTrue(SizeClasses.objectSize(cls) >= size);
                    assertEquals(0, SizeClasses.objectSize(cls) % alignment, "size " + size + " alignment " + alignment);
                }
            }
        }
    }
}
