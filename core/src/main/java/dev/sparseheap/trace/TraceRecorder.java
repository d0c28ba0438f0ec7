/*
 * Records every allocation, resize and free of a heap to a trace file, from any number of
 * threads, at the cost of a few stores per call on the calling thread; a background thread
 * formats and writes.
 *
 * Order. A trace is only valid if the order of its events agrees with what happened to each
 * address: an object's free after its allocation, and a new allocation at the same address after
 * that free. Every event takes a number from one global sequence (an atomic increment), and the
 * writer emits events strictly in sequence order. The heap takes the number at the right moment:
 * after an allocation returned (so before the caller can hand the address to a thread that frees
 * it), before a free (so before the address can be handed out again), and for a resize that
 * moves, between taking the new object and freeing the old one. The atomic increments are totally
 * ordered consistently with happens-before, so the sequence is an order of what happened.
 *
 * The ring. Events go into a bounded ring of slots, one 64-byte cache line each (so producers on
 * different threads do not share lines), indexed by sequence number. A producer fills its slot
 * with plain stores and publishes it by storing its sequence number + 1 in the slot's first word
 * with release semantics; the writer reads that word with acquire semantics and takes the slot
 * when it holds the number it expects next. A slot is reused one lap later, once the writer has
 * passed it: a producer whose number is a full ring ahead of the writer's published position
 * waits (back pressure; it wakes the writer, then yields). The writer publishes its position
 * every 256 events and whenever it runs dry, and sleeps with a growing back-off while idle, so an
 * idle heap costs nothing and producers never signal it on the common path.
 *
 * Failures. An I/O error stops the writing, not the recording: the writer keeps consuming events
 * so producers never block, and close() reports the error. Events after close() are dropped.
 */
package dev.sparseheap.trace;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A trace being recorded to a file in the {@code sparseheap-trace 1} format, gzip-compressed
 * when the file name ends in {@code .gz}.
 *
 * <p>Thread safety: the event methods may be called by any number of threads at once; each must
 * be called at the point its documentation names, so that the trace's order agrees with what
 * happened to each address. {@link #close()} must not race with them.
 */
public final class TraceRecorder implements AutoCloseable {

    private static final int SLOT_SHIFT = 3;
    private static final int CAPACITY = 1 << 14;
    private static final long MASK = CAPACITY - 1;
    private static final int POSITION_INTERVAL = 256;
    private static final long MIN_IDLE_NANOS = 50_000;
    private static final long MAX_IDLE_NANOS = 10_000_000;

    private static final int ALLOCATE = 'a';
    private static final int ZEROED = 'z';
    private static final int ALIGNED = 'm';
    private static final int RESIZE = 'r';
    private static final int FREE = 'f';

    private static final VarHandle SLOT_WORDS = MethodHandles.arrayElementVarHandle(long[].class);

    private final Path file;
    /** Slot i holds words [i * 8, i * 8 + 8): published sequence + 1, kind, and three arguments. */
    private final long[] slots = new long[CAPACITY << SLOT_SHIFT];
    private final AtomicLong nextSequence = new AtomicLong();
    private final Thread writer;
    private final TraceText text;
    private final OutputStream stream;
    /** Sequence numbers below this one have been consumed by the writer; their slots are free. */
    private volatile long writerPosition;
    private volatile boolean closing;
    private volatile boolean writerDone;
    private IOException failure;

    private TraceRecorder(Path file, OutputStream stream) throws IOException {
        this.file = file;
        this.stream = stream;
        this.text = new TraceText(stream);
        this.writer = Thread.ofPlatform().daemon().name("sparseheap-trace-writer").unstarted(this::writeEvents);
        writer.start();
    }

    /**
     * Starts recording to {@code file}, creating or truncating it.
     *
     * @throws UncheckedIOException if the file cannot be opened for writing
     */
    public static TraceRecorder open(Path file) {
        OutputStream stream = null;
        try {
            stream = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
            if (file.getFileName() != null && file.getFileName().toString().endsWith(".gz")) {
                stream = fastGzip(stream);
            }
            return new TraceRecorder(file, stream);
        } catch (IOException e) {
            closeQuietly(stream, e);
            throw new UncheckedIOException("cannot record a trace to " + file + ": " + e.getMessage(), e);
        }
    }

    /** An allocation of {@code size} bytes at {@code address}; call after it returned. */
    public void allocated(long address, long size) {
        publish(ALLOCATE, address, size, 0);
    }

    /** A zeroed allocation of {@code size} bytes at {@code address}; call after it returned. */
    public void zeroed(long address, long size) {
        publish(ZEROED, address, size, 0);
    }

    /** An allocation of {@code size} bytes aligned to {@code alignment}; call after it returned. */
    public void aligned(long address, long size, long alignment) {
        publish(ALIGNED, address, size, alignment);
    }

    /**
     * The object at {@code oldAddress} resized to {@code size} bytes at {@code newAddress}; when it
     * moves, call after the new object was taken and before the old one is freed.
     */
    public void resized(long oldAddress, long newAddress, long size) {
        publish(RESIZE, oldAddress, newAddress, size);
    }

    /** A free of the object at {@code address}; call before it is freed. */
    public void freeing(long address) {
        publish(FREE, address, 0, 0);
    }

    /**
     * Writes every event recorded so far, then closes the file. Closing again does nothing.
     *
     * @throws UncheckedIOException if the trace could not be written completely
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        LockSupport.unpark(writer);
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        try {
            if (failure == null) {
                text.flush();
            }
            stream.close();
        } catch (IOException e) {
            failure = failure == null ? e : failure;
        }
        if (failure != null) {
            throw new UncheckedIOException("cannot write the trace " + file + ": " + failure.getMessage(), failure);
        }
    }

    private void publish(int kind, long first, long second, long third) {
        long sequence = nextSequence.getAndIncrement();
        if (sequence - writerPosition >= CAPACITY && !waitForSlot(sequence)) {
            return;
        }
        int base = (int) (sequence & MASK) << SLOT_SHIFT;
        slots[base + 1] = kind;
        slots[base + 2] = first;
        slots[base + 3] = second;
        slots[base + 4] = third;
        SLOT_WORDS.setRelease(slots, base, sequence + 1);
    }

    /** Waits until the writer has passed the slot of {@code sequence}; false if it never will. */
    private boolean waitForSlot(long sequence) {
        while (sequence - writerPosition >= CAPACITY) {
            if (writerDone) {
                return false;
            }
            LockSupport.unpark(writer);
            Thread.yield();
        }
        return true;
    }

    /** The writer thread: takes events in sequence order until closed and drained. */
    private void writeEvents() {
        long position = 0;
        long idleNanos = MIN_IDLE_NANOS;
        try {
            while (true) {
                int base = (int) (position & MASK) << SLOT_SHIFT;
                if ((long) SLOT_WORDS.getAcquire(slots, base) == position + 1) {
                    write(base);
                    position++;
                    if (position % POSITION_INTERVAL == 0) {
                        writerPosition = position;
                    }
                    idleNanos = MIN_IDLE_NANOS;
                    continue;
                }
                writerPosition = position;
                if (closing && position == nextSequence.get()) {
                    return;
                }
                LockSupport.parkNanos(idleNanos);
                idleNanos = Math.min(idleNanos * 2, MAX_IDLE_NANOS);
            }
        } finally {
            writerDone = true;
        }
    }

    private void write(int base) {
        if (failure != null) {
            return;
        }
        int kind = (int) slots[base + 1];
        long first = slots[base + 2];
        long second = slots[base + 3];
        long third = slots[base + 4];
        try {
            switch (kind) {
                case ALLOCATE -> text.allocated(first, second, false);
                case ZEROED -> text.allocated(first, second, true);
                case ALIGNED -> text.aligned(first, second, third);
                case RESIZE -> text.resized(first, second, third);
                default -> text.freed(first);
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    /**
     * Gzip at the fastest level: the writer must keep up with the heap, and a trace's text
     * compresses well enough at level 1.
     */
    private static OutputStream fastGzip(OutputStream stream) throws IOException {
        return new GZIPOutputStream(stream, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
    }

    private static void closeQuietly(OutputStream stream, IOException cause) {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
        }
    }
}
