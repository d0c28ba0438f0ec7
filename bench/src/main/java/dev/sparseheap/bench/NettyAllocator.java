/*
 * Netty's direct-buffer allocators as benchmark peers. A Netty user holds ByteBuf objects and
 * frees with release(); the adapter keeps each buffer in a HandleTable so that the benchmark's
 * long handle costs an array load, and the memory is reached through the buffer's
 * memoryAddress(), written through the same global segment as every other peer.
 *
 * Netty has no aligned allocation: an aligned request over-allocates by alignment - 1 and uses
 * the first aligned address inside the buffer. Resizing uses ByteBuf.capacity(n), Netty's own
 * reallocation, except for aligned buffers, which are copied from their aligned start.
 */
package dev.sparseheap.bench;

import io.netty.buffer.AdaptiveByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;

import java.lang.foreign.MemorySegment;

/**
 * {@link Allocator} over a Netty {@link ByteBufAllocator} producing direct buffers.
 *
 * <p>Thread-safe: Netty's allocators and the handle table are; any thread may release a buffer
 * allocated on another thread. {@link #close()} releases nothing still live (Netty has no bulk
 * release); the workloads free everything they allocate.
 */
public final class NettyAllocator implements Allocator {

    static {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }

    private final String name;
    private final ByteBufAllocator netty;
    private final HandleTable<ByteBuf> buffers = new HandleTable<>();

    private NettyAllocator(String name, ByteBufAllocator netty) {
        this.name = name;
        this.netty = netty;
    }

    /**
     * {@code PooledByteBufAllocator} preferring direct buffers, with Netty's default arenas, page
     * size and cache sizes, and thread caches for all threads (not only Netty's event loops).
     */
    public static NettyAllocator pooled() {
        return new NettyAllocator("netty-pooled", pooledDirect());
    }

    /** {@code AdaptiveByteBufAllocator} preferring direct buffers, with caches for all threads. */
    public static NettyAllocator adaptive() {
        return new NettyAllocator("netty-adaptive", adaptiveDirect());
    }

    /** A fresh Netty allocator configured as {@link #pooled()} uses it. */
    public static PooledByteBufAllocator pooledDirect() {
        return new PooledByteBufAllocator(true, 0,
                PooledByteBufAllocator.defaultNumDirectArena(), PooledByteBufAllocator.defaultPageSize(),
                PooledByteBufAllocator.defaultMaxOrder(), PooledByteBufAllocator.defaultSmallCacheSize(),
                PooledByteBufAllocator.defaultNormalCacheSize(), true);
    }

    /** A fresh Netty allocator configured as {@link #adaptive()} uses it. */
    public static AdaptiveByteBufAllocator adaptiveDirect() {
        return new AdaptiveByteBufAllocator(true, true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long malloc(long size) {
        ByteBuf buffer = allocate(size);
        return buffers.add(buffer, baseAddress(buffer));
    }

    @Override
    public long calloc(long size) {
        ByteBuf buffer = allocate(size);
        long address = baseAddress(buffer);
        NativeMemory.fill(address, size, (byte) 0);
        return buffers.add(buffer, address);
    }

    @Override
    public long mallocAligned(long size, long alignment) {
        ByteBuf buffer = allocate(size + alignment - 1);
        long aligned = (baseAddress(buffer) + alignment - 1) & -alignment;
        return buffers.add(buffer, aligned);
    }

    @Override
    public long realloc(long handle, long size) {
        ByteBuf buffer = buffers.object(handle);
        long address = buffers.address(handle);
        long base = baseAddress(buffer);
        if (address == base) {
            buffer.capacity(checkedSize(size));
            buffers.replace(handle, buffer, baseAddress(buffer));
        } else {
            ByteBuf moved = allocate(size);
            long movedAddress = baseAddress(moved);
            NativeMemory.copy(address, movedAddress, Math.min(size, buffer.capacity() - (address - base)));
            buffer.release();
            buffers.replace(handle, moved, movedAddress);
        }
        return handle;
    }

    @Override
    public void free(long handle) {
        buffers.remove(handle).release();
    }

    @Override
    public long address(long handle) {
        return buffers.address(handle);
    }

    @Override
    public void close() {
    }

    private ByteBuf allocate(long size) {
        return netty.directBuffer(checkedSize(size));
    }

    private static int checkedSize(long size) {
        if (size < 0 || size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Netty buffers hold at most 2 GiB, not " + size + " bytes");
        }
        return Math.max(1, (int) size);
    }

    private static long baseAddress(ByteBuf buffer) {
        if (buffer.hasMemoryAddress()) {
            return buffer.memoryAddress();
        }
        return MemorySegment.ofBuffer(buffer.internalNioBuffer(0, buffer.capacity())).address();
    }
}
