/*
 * A span of pages cut into equal objects of one size class, with out-of-band bitmaps.
 *
 * Ownership. Every small span belongs, from creation until it goes back to the page heap, to
 * one ThreadCache: its owner (a final field). Whoever holds that cache — one thread at a time —
 * allocates from the span and frees into it with plain loads and stores. Every other thread
 * frees into it through the remote bitmap, with one atomic instruction. This is mimalloc's
 * split of a page's free lists into the owner's local lists and an atomic thread-free list,
 * with bitmaps instead of lists so that no metadata is ever written into heap memory.
 *
 * Bitmaps, one bit per slot, 64 slots a word:
 *   ready   owner-private: free slots the owner may hand out. The owner's free sets the bit
 *           again at once, so a loop of pairs reuses one slot and one cache line (LIFO, as
 *           TCMalloc's per-CPU lists, rather than mimalloc's sweep through a deferred list).
 *   remote  shared: slots other threads freed since the owner's last collect. Set by atomic
 *           OR (a bit found already set is a double free); emptied by the owner's collect
 *           with one atomic exchange per non-empty word.
 * A slot is live when neither bit is set. Bits past the last object are never set, so the
 * ready words hold exactly the free slots.
 *
 * Racing duplicates. A duplicate of a free can race with it: the owner frees slot x while
 * another thread, having read x as live a moment before, posts x to remote. Both calls return;
 * x is then both ready and remote. The owner therefore hands out only slots that are ready and
 * not remote (one more load of a word other threads rarely write), and its next collect finds
 * the remote bit on a ready slot: the duplicate of a racing pair, counted and reported as a
 * late bad free (BadFrees), changing nothing. (A duplicate that lands only after the slot was
 * handed out again cannot be told from a free of the new object — in any allocator.)
 *
 * Counting. live is the owner's count of slots not ready (remote frees not yet collected
 * still count as live); frees counts the frees the owner has seen (local, and remote ones
 * collected). Neither costs an atomic instruction. Statistics read them racily; at rest they
 * are exact once pending remote frees are counted in (pendingRemoteFrees).
 *
 * Remote-free notice. The owner must learn of remote frees into spans it is not allocating
 * from. The first remote free after a collect of the inbox flips pendingNotice from 0 to 1 and
 * pushes the span onto its owner's RemoteFreeInbox; the owner clears the flag when it takes the
 * span off (before reading the remote words, so a free that lands after the read pushes the
 * span again). So a span is in at most one inbox, once, and every remote bit is either seen by
 * a collect or followed by a push. Later remote frees cost the one atomic OR alone. The owner
 * keeps the notice up (noticeHeld) while the span is its current one, since it collects a
 * current span anyway when it runs out: remote frees into it then cost the OR alone for as long
 * as it stays current, and the owner ends the notice when the span stops being current.
 *
 * States (owner-private, plain): CURRENT — its class's current span in the owner; AVAILABLE —
 * in the owner's list of spans with free slots; FULL — in no list, no ready slot (a local free
 * moves it to AVAILABLE, a remote one reaches the owner through the inbox); RETURNED — its
 * pages are back in the page heap: all its slots were ready, so any later free of one of its
 * addresses is a double free.
 *
 * Zeroing. Until the owner sees its first free, every slot handed out is handed out for the
 * first time, so when the page heap gave the span zeroed (needsZero false) the object is still
 * zero: mayHoldOldBytes is the one question callers ask before zeroing.
 */
package dev.sparseheap.alloc;

import dev.sparseheap.page.Span;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * A span of small objects of one size class, owned by one thread cache.
 *
 * <p>Thread safety: {@link #freeRemote}, {@link #isAllocated}, {@link #objectBase} and the
 * counting methods may be called by any thread at any time. Every other method may be called
 * only by whoever holds the owning {@link ThreadCache}; holding passes through the cache's
 * holder field, which orders the owner fields between successive holders.
 */
final class SmallSpan extends Span {

    static final int CURRENT = 1;
    static final int AVAILABLE = 2;
    static final int FULL = 3;
    static final int RETURNED = 4;

    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle PENDING_NOTICE;

    static {
        try {
            PENDING_NOTICE = MethodHandles.lookup().findVarHandle(SmallSpan.class, "pendingNotice", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ThreadCache owner;
    private final int sizeClass;
    private final long objectSize;
    private final int objects;
    private final long reciprocal;
    /** Bytes from base() to the end of the last object. */
    private final long objectBytes;
    /** Owner only: free slots the owner may hand out. */
    private final long[] readyBits;
    /** Slots freed by other threads and not yet collected; any thread sets, the owner clears. */
    private final long[] remoteBits;

    /** Owner only: slots not ready. */
    private int live;
    /** Owner only: frees seen by the owner, local and collected remote ones. */
    private long frees;
    /** Owner only: no word before it holds a ready slot. */
    private int scanWord;
    /** Owner only; read racily by verification and statistics. */
    int state;

    /** 1 from the remote free that pushes this span onto its owner's inbox until the owner takes it off. */
    @SuppressWarnings("unused") // accessed through PENDING_NOTICE
    private volatile int pendingNotice;
    /** Link in the owner's inbox; written before the push, read after the take. */
    SmallSpan nextInInbox;
    /** Owner only: taken off the inbox while current, with the notice left up. */
    boolean noticeHeld;
    /** Position in the class's registry; guarded by the class lock. */
    int registryIndex;

    SmallSpan(long base, long pages, boolean needsZero, int sizeClass, ThreadCache owner) {
        super(base, pages, needsZero);
        this.owner = owner;
        this.sizeClass = sizeClass;
        this.objectSize = SizeClasses.objectSize(sizeClass);
        this.objects = SizeClasses.objectsPerSpan(sizeClass);
        this.reciprocal = SizeClasses.reciprocal(sizeClass);
        this.objectBytes = objects * objectSize;
        int words = (objects + 63) >>> 6;
        this.readyBits = new long[words];
        this.remoteBits = new long[words];
        for (int w = 0; w < words; w++) {
            readyBits[w] = slotMask(w);
        }
        this.state = CURRENT;
    }

    ThreadCache owner() {
        return owner;
    }

    int sizeClass() {
        return sizeClass;
    }

    long objectSize() {
        return objectSize;
    }

    int objects() {
        return objects;
    }

    /** Owner only: slots not ready. */
    int live() {
        return live;
    }

    /** Frees the owner has seen so far (a racy read from other threads). */
    long frees() {
        return frees;
    }

    /**
     * Hands out one ready slot that no remote free is pending on; owner only.
     *
     * @return the object's address, or 0 when the span has no such slot
     */
    long allocate() {
        int w = scanWord;
        long ready = readyBits[w];
        long available = ready & ~(long) WORDS.getOpaque(remoteBits, w);
        if (available == 0) {
            return allocateFromLaterWord();
        }
        long bit = available & -available;
        readyBits[w] = ready ^ bit;
        live++;
        return base() + ((w << 6) | Long.numberOfTrailingZeros(bit)) * objectSize;
    }

    private long allocateFromLaterWord() {
        for (int w = scanWord + 1; w < readyBits.length; w++) {
            if ((readyBits[w] & ~(long) WORDS.getOpaque(remoteBits, w)) != 0) {
                scanWord = w;
                return allocate();
            }
        }
        return 0;
    }

    /** Whether the span has a ready slot; owner only. */
    boolean hasReady() {
        for (int w = scanWord; w < readyBits.length; w++) {
            if (readyBits[w] != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Frees the object at {@code address}, which the caller found inside this span; owner only.
     *
     * @throws IllegalArgumentException if {@code address} is not the start of an object, or the
     *                                  object is not live; nothing changes then
     */
    void freeLocal(long address) {
        int index = indexOf(address);
        int w = index >>> 6;
        long bit = 1L << index;
        long ready = readyBits[w];
        if (((ready | (long) WORDS.getOpaque(remoteBits, w)) & bit) != 0) {
            throw doubleFree(address);
        }
        readyBits[w] = ready | bit;
        live--;
        frees++;
        if (w < scanWord) {
            scanWord = w;
        }
    }

    /**
     * Frees the object at {@code address} for a thread that does not hold the owner: one atomic
     * OR on the remote bitmap, and on the first remote free since the owner last looked, a push
     * onto the owner's inbox.
     *
     * @throws IllegalArgumentException if {@code address} is not the start of an object, or the
     *                                  object is not live as far as this thread can see; nothing
     *                                  changes then
     */
    void freeRemote(long address) {
        int index = indexOf(address);
        int w = index >>> 6;
        long bit = 1L << index;
        if (((long) WORDS.getOpaque(readyBits, w) & bit) != 0) {
            throw doubleFree(address);
        }
        long before = (long) WORDS.getAndBitwiseOr(remoteBits, w, bit);
        if ((before & bit) != 0) {
            throw doubleFree(address);
        }
        if ((int) PENDING_NOTICE.getOpaque(this) == 0 && PENDING_NOTICE.compareAndSet(this, 0, 1)) {
            owner.posted(this);
        }
    }

    /**
     * Ends the notice of remote frees, after the owner took the span off its inbox and before it
     * collects; a volatile store, so that the collect's reads of the remote words come after it.
     */
    void clearPendingNotice() {
        noticeHeld = false;
        PENDING_NOTICE.setVolatile(this, 0);
    }

    /**
     * Makes remotely freed slots ready again; owner only. A remote bit on a slot that is already
     * ready is the duplicate of two racing frees: it is reported to {@code badFrees} and changes
     * nothing.
     *
     * @return slots made ready
     */
    int collect(BadFrees badFrees) {
        int collected = 0;
        int firstReady = -1;
        for (int w = 0; w < remoteBits.length; w++) {
            long remote = (long) WORDS.getOpaque(remoteBits, w);
            long ready = readyBits[w];
            if (remote != 0) {
                remote = (long) WORDS.getAndSet(remoteBits, w, 0L);
                long duplicates = remote & ready;
                if (duplicates != 0) {
                    reportDuplicates(w, duplicates, badFrees);
                }
                collected += Long.bitCount(remote & ~ready);
                ready |= remote;
                readyBits[w] = ready;
            }
            if (firstReady < 0 && ready != 0) {
                firstReady = w;
            }
        }
        live -= collected;
        frees += collected;
        scanWord = Math.max(firstReady, 0);
        return collected;
    }

    private void reportDuplicates(int w, long duplicates, BadFrees badFrees) {
        for (long bits = duplicates; bits != 0; bits &= bits - 1) {
            long address = base() + ((w << 6) | Long.numberOfTrailingZeros(bits)) * objectSize;
            badFrees.late(new IllegalArgumentException(String.format(
                    "double free: 0x%x (%d-byte class) was freed by two threads at once; the later free was ignored",
                    address, objectSize)));
        }
    }

    /**
     * Whether the object at {@code address}, just handed out by this span, may hold old bytes;
     * owner only.
     */
    boolean mayHoldOldBytes() {
        return needsZero() || frees != 0;
    }

    /** Whether {@code address} lies among the objects of this span (one unsigned compare). */
    boolean holdsObjectsAt(long address) {
        return Long.compareUnsigned(address - base(), objectBytes) < 0;
    }

    private int indexOf(long address) {
        long offset = address - base();
        int index = (int) (offset * reciprocal >>> 32);
        if (index >= objects || index * objectSize != offset) {
            throw new IllegalArgumentException(String.format(
                    "0x%x is not the start of an object: it lies inside a span of %d-byte objects at 0x%x",
                    address, objectSize, base()));
        }
        return index;
    }

    private IllegalArgumentException doubleFree(long address) {
        return new IllegalArgumentException(String.format(
                "double free: 0x%x is not an allocated object (%d-byte class)", address, objectSize));
    }

    /** Whether {@code address} is the start of a live object of this span. */
    boolean isAllocated(long address) {
        long offset = address - base();
        if (offset < 0 || offset >= objectBytes) {
            return false;
        }
        int index = (int) (offset * reciprocal >>> 32);
        return index * objectSize == offset && isSlotLive(index);
    }

    /** The start of the live object containing {@code address}, or 0. */
    long objectBase(long address) {
        long offset = address - base();
        if (offset < 0 || offset >= objectBytes) {
            return 0;
        }
        int index = (int) (offset * reciprocal >>> 32);
        return isSlotLive(index) ? base() + index * objectSize : 0;
    }

    private boolean isSlotLive(int index) {
        int w = index >>> 6;
        long free = (long) WORDS.getOpaque(readyBits, w) | (long) WORDS.getOpaque(remoteBits, w);
        return (free & 1L << index) == 0;
    }

    /** Remote frees of live slots not yet collected (a racy count while threads free). */
    int pendingRemoteFrees() {
        int pending = 0;
        for (int w = 0; w < remoteBits.length; w++) {
            long remote = (long) WORDS.getOpaque(remoteBits, w);
            if (remote != 0) {
                pending += Long.bitCount(remote & ~(long) WORDS.getOpaque(readyBits, w));
            }
        }
        return pending;
    }

    /** Live objects: the owner's count less pending remote frees (racy while threads free). */
    int liveObjects() {
        return live - pendingRemoteFrees();
    }

    /** Bytes of the bitmaps. */
    long bitmapBytes() {
        return (readyBits.length + remoteBits.length) * (long) Long.BYTES;
    }

    /** The mask of the slots of word {@code w}: all ones but past the last object. */
    private long slotMask(int w) {
        int slotsInWord = Math.min(64, objects - (w << 6));
        return slotsInWord == 64 ? -1L : (1L << slotsInWord) - 1;
    }

    /**
     * Problems with the bitmaps, one sentence each, or none; for verification at rest. Checks
     * that no bit is set past the last object and that the owner's live count matches the
     * ready bits.
     */
    void verifyBitmaps(List<String> problems) {
        int ready = 0;
        for (int w = 0; w < readyBits.length; w++) {
            long outside = ~slotMask(w);
            if ((((long) WORDS.getOpaque(readyBits, w) | (long) WORDS.getOpaque(remoteBits, w)) & outside) != 0) {
                problems.add("%s: bits set past the last object in word %d".formatted(this, w));
            }
            ready += Long.bitCount((long) WORDS.getOpaque(readyBits, w));
        }
        if (live != objects - ready) {
            problems.add("%s: the owner counts %d live slots but the bitmaps hold %d".formatted(this, live, objects - ready));
        }
    }
}
