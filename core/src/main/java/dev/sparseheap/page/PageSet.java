/*
 * A set of heap pages over the whole address space, stored sparsely.
 *
 * The page heap tracks two properties of free pages that do not line up with free runs: which
 * ones are dirty (used since the OS mapped or the scavenger released them) and which ones are
 * released. A run can be cut into pieces with different states and coalescing must not lose
 * them, so the states live per page, apart from the run tree.
 *
 * Pages are grouped in chunks of 4096 pages (32 MiB of heap) held as bitmaps of 64 words in an
 * ordered map from chunk number to bitmap. A chunk exists only while one of its pages is in the
 * set, so a terabyte heap with few such pages costs little, and the ordered map lets searches
 * skip empty stretches in O(log chunks). Within a chunk, searches run a word at a time with
 * Long.numberOfTrailingZeros / numberOfLeadingZeros.
 *
 * Invariant: a chunk's bitmap is never all zero; pageCount is the number of set bits.
 */
package dev.sparseheap.page;

import dev.sparseheap.arena.HeapArena;

import java.util.Map;
import java.util.TreeMap;

/**
 * A sparse set of heap pages, addressed by page-aligned byte addresses and half-open ranges.
 *
 * <p>Thread safety: none; the page heap uses it under its lock.
 */
final class PageSet {

    private static final int PAGE_SHIFT = HeapArena.PAGE_SHIFT;
    private static final int CHUNK_SHIFT = 12;
    private static final long CHUNK_PAGES = 1L << CHUNK_SHIFT;
    private static final int WORDS = (int) (CHUNK_PAGES >>> 6);

    private final TreeMap<Long, long[]> chunks = new TreeMap<>();
    private long pageCount;

    /** Bytes of the pages in the set. */
    long bytes() {
        return pageCount << PAGE_SHIFT;
    }

    /** Adds the pages of [base, end); returns the bytes that were not in the set before. */
    long add(long base, long end) {
        return update(base, end, true);
    }

    /** Removes the pages of [base, end); returns the bytes that were in the set. */
    long remove(long base, long end) {
        return update(base, end, false);
    }

    /** True when a page of [base, end) is in the set. */
    boolean intersects(long base, long end) {
        return nextIn(base, end) >= 0;
    }

    /** The lowest page address in [from, limit) that is in the set, or -1. */
    long nextIn(long from, long limit) {
        long page = from >>> PAGE_SHIFT;
        long endPage = limit >>> PAGE_SHIFT;
        while (page < endPage) {
            Map.Entry<Long, long[]> chunk = chunks.ceilingEntry(page >>> CHUNK_SHIFT);
            if (chunk == null) {
                return -1;
            }
            long chunkStart = chunk.getKey() << CHUNK_SHIFT;
            if (chunkStart >= endPage) {
                return -1;
            }
            long start = Math.max(page, chunkStart);
            int bit = firstSet(chunk.getValue(), (int) (start - chunkStart));
            if (bit >= 0) {
                long found = chunkStart + bit;
                return found < endPage ? found << PAGE_SHIFT : -1;
            }
            page = chunkStart + CHUNK_PAGES;
        }
        return -1;
    }

    /** The lowest page address in [from, limit) that is not in the set, or limit. */
    long nextNotIn(long from, long limit) {
        long page = from >>> PAGE_SHIFT;
        long endPage = limit >>> PAGE_SHIFT;
        while (page < endPage) {
            long chunkNumber = page >>> CHUNK_SHIFT;
            long[] words = chunks.get(chunkNumber);
            if (words == null) {
                return page << PAGE_SHIFT;
            }
            long chunkStart = chunkNumber << CHUNK_SHIFT;
            int bit = firstClear(words, (int) (page - chunkStart));
            if (bit >= 0) {
                return Math.min(chunkStart + bit, endPage) << PAGE_SHIFT;
            }
            page = chunkStart + CHUNK_PAGES;
        }
        return limit;
    }

    /** The highest page address below {@code limit} that is in the set, or -1. */
    long previousBelow(long limit) {
        long endPage = limit >>> PAGE_SHIFT;
        while (endPage > 0) {
            Map.Entry<Long, long[]> chunk = chunks.floorEntry((endPage - 1) >>> CHUNK_SHIFT);
            if (chunk == null) {
                return -1;
            }
            long chunkStart = chunk.getKey() << CHUNK_SHIFT;
            int bit = lastSetBelow(chunk.getValue(), (int) Math.min(CHUNK_PAGES, endPage - chunkStart));
            if (bit >= 0) {
                return (chunkStart + bit) << PAGE_SHIFT;
            }
            endPage = chunkStart;
        }
        return -1;
    }

    private long update(long base, long end, boolean set) {
        long page = base >>> PAGE_SHIFT;
        long endPage = end >>> PAGE_SHIFT;
        long changed = 0;
        while (page < endPage) {
            long chunkNumber = page >>> CHUNK_SHIFT;
            long chunkStart = chunkNumber << CHUNK_SHIFT;
            long pieceEnd = Math.min(endPage, chunkStart + CHUNK_PAGES);
            long[] words = set ? chunks.computeIfAbsent(chunkNumber, n -> new long[WORDS]) : chunks.get(chunkNumber);
            if (words != null) {
                changed += updateChunk(words, (int) (page - chunkStart), (int) (pieceEnd - chunkStart), set);
                if (!set && isEmpty(words)) {
                    chunks.remove(chunkNumber);
                }
            }
            page = pieceEnd;
        }
        pageCount += set ? changed : -changed;
        return changed << PAGE_SHIFT;
    }

    private static long updateChunk(long[] words, int from, int to, boolean set) {
        long changed = 0;
        while (from < to) {
            int word = from >>> 6;
            int wordEnd = Math.min(to, (word + 1) << 6);
            long mask = bits(from & 63, wordEnd - (word << 6));
            long before = words[word];
            long after = set ? before | mask : before & ~mask;
            changed += Long.bitCount(before ^ after);
            words[word] = after;
            from = wordEnd;
        }
        return changed;
    }

    /** The bits [low, high) of a word, 0 <= low < high <= 64. */
    private static long bits(int low, int high) {
        long belowHigh = high == 64 ? -1L : (1L << high) - 1;
        return belowHigh & (-1L << low);
    }

    private static boolean isEmpty(long[] words) {
        for (long word : words) {
            if (word != 0) {
                return false;
            }
        }
        return true;
    }

    private static int firstSet(long[] words, int from) {
        for (int word = from >>> 6; word < WORDS; word++) {
            long candidates = word == from >>> 6 ? words[word] & (-1L << (from & 63)) : words[word];
            if (candidates != 0) {
                return (word << 6) + Long.numberOfTrailingZeros(candidates);
            }
        }
        return -1;
    }

    private static int firstClear(long[] words, int from) {
        for (int word = from >>> 6; word < WORDS; word++) {
            long candidates = word == from >>> 6 ? ~words[word] & (-1L << (from & 63)) : ~words[word];
            if (candidates != 0) {
                return (word << 6) + Long.numberOfTrailingZeros(candidates);
            }
        }
        return -1;
    }

    private static int lastSetBelow(long[] words, int to) {
        if (to == 0) {
            return -1;
        }
        int top = (to - 1) >>> 6;
        for (int word = top; word >= 0; word--) {
            long candidates = word == top ? words[word] & bits(0, to - (top << 6)) : words[word];
            if (candidates != 0) {
                return (word << 6) + 63 - Long.numberOfLeadingZeros(candidates);
            }
        }
        return -1;
    }
}
