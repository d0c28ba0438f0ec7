/*
 * Turns the heap's calls, in the order they happened, into lines of the "sparseheap-trace 1"
 * format, assigning the ids the format asks for.
 *
 * Ids: allocations get 1, 2, 3, ... in order and an id is never reused; a resize keeps its
 * object's id whether or not the object moved; a free or resize names the id of the object live
 * at its address, found in an address-to-id map. A free or resize of an address with no live
 * object (a bad free the heap rejected, or the losing side of two threads freeing one object) is
 * written as a comment, so the trace stays valid for a replay and the event is still visible.
 *
 * Lines are formatted into a byte buffer by hand (ASCII digits, no String per event) and written
 * to the stream a buffer at a time.
 */
package dev.sparseheap.trace;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The text of a trace being recorded.
 *
 * <p>Not thread-safe: owned by the trace writer thread.
 */
final class TraceText {

    /** The first line of every trace, naming its format. */
    static final String HEADER = "# sparseheap-trace 1\n";

    private final OutputStream out;
    private final byte[] buffer = new byte[1 << 16];
    private final AddressIds live = new AddressIds();
    private int length;
    private long lastId;

    TraceText(OutputStream out) throws IOException {
        this.out = out;
        out.write(HEADER.getBytes(StandardCharsets.US_ASCII));
    }

    /** An allocation of {@code size} bytes at {@code address}: {@code a}, or {@code z} when zeroed. */
    void allocated(long address, long size, boolean zeroed) throws IOException {
        long id = ++lastId;
        live.put(address, id);
        event(zeroed ? 'z' : 'a', id, size);
        end();
    }

    /** An allocation of {@code size} bytes aligned to {@code alignment} at {@code address}. */
    void aligned(long address, long size, long alignment) throws IOException {
        long id = ++lastId;
        live.put(address, id);
        event('m', id, size);
        number(alignment);
        end();
    }

    /** The object at {@code oldAddress} resized to {@code size} bytes, now at {@code newAddress}. */
    void resized(long oldAddress, long newAddress, long size) throws IOException {
        long id = live.remove(oldAddress);
        if (id == 0) {
            unknown("resize", oldAddress);
            return;
        }
        live.put(newAddress, id);
        event('r', id, size);
        end();
    }

    /** A free of the object at {@code address}. */
    void freed(long address) throws IOException {
        long id = live.remove(address);
        if (id == 0) {
            unknown("free", address);
            return;
        }
        reserve();
        buffer[length++] = 'f';
        number(id);
        end();
    }

    /** Writes out what is buffered. */
    void flush() throws IOException {
        out.write(buffer, 0, length);
        length = 0;
        out.flush();
    }

    private void unknown(String call, long address) throws IOException {
        reserve();
        byte[] text = ("# " + call + " of 0x" + Long.toHexString(address) + ": no live object there").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, buffer, length, text.length);
        length += text.length;
        end();
    }

    private void event(char kind, long id, long size) throws IOException {
        reserve();
        buffer[length++] = (byte) kind;
        number(id);
        number(size);
    }

    /** Makes room for one line: a kind, three numbers of at most 20 digits, or a comment. */
    private void reserve() throws IOException {
        if (length > buffer.length - 128) {
            out.write(buffer, 0, length);
            length = 0;
        }
    }

    /** Writes a space and the non-negative {@code value} in decimal. */
    private void number(long value) {
        buffer[length++] = ' ';
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        int position = length + digits;
        long rest = value;
        do {
            buffer[--position] = (byte) ('0' + rest % 10);
            rest /= 10;
        } while (rest != 0);
        length += digits;
    }

    private void end() {
        buffer[length++] = '\n';
    }
}
