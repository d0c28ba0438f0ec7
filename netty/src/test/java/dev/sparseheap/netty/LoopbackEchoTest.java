package dev.sparseheap.netty;

import dev.sparseheap.SparseHeap;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real NIO server and client over loopback, both allocating from one sparseheap: the client
 * sends 100,000 length-prefixed messages of random sizes (a few across the 32 KiB boundary), the
 * server echoes the byte stream back, and the client checks every byte of every message. When
 * both are closed, the heap holds no live object.
 */
class LoopbackEchoTest {

    private static final long SEED = 0x5eed_2026L;
    private static final int MESSAGES = 100_000;
    private static final int IN_FLIGHT = 64;

    @Test
    void echoesOneHundredThousandMessagesOfRandomSizes() throws Exception {
        int[] sizes = messageSizes(SEED);
        try (SparseHeap heap = SparseHeap.create()) {
            var allocator = new SparseHeapByteBufAllocator(heap);
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
            try {
                Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .option(ChannelOption.ALLOCATOR, allocator)
                        .childOption(ChannelOption.ALLOCATOR, allocator)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel channel) {
                                channel.pipeline().addLast(new Echo());
                            }
                        })
                        .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
                var client = new CheckingClient(sizes);
                Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                        .option(ChannelOption.ALLOCATOR, allocator)
                        .handler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel channel) {
                                channel.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 20, 0, 4, 0, 4), client);
                            }
                        })
                        .connect(server.localAddress()).sync().channel();
                long checkedBytes = client.done.get(5, TimeUnit.MINUTES);
                assertTrue(checkedBytes > 0);
                assertTrue(heap.stats().allocations() >= MESSAGES, "the messages were heap objects");
                channel.close().sync();
                server.close().sync();
            } finally {
                group.shutdownGracefully(0, 10, TimeUnit.SECONDS).sync();
            }
            assertEquals(0, heap.stats().objects(), "buffers left in the heap after both ends closed");
            heap.verify();
        }
    }

    /** Mostly up to 2 KiB, one in 200 between 24 and 96 KiB. */
    private static int[] messageSizes(long seed) {
        var random = new SplittableRandom(seed);
        int[] sizes = new int[MESSAGES];
        for (int i = 0; i < MESSAGES; i++) {
            sizes[i] = random.nextInt(200) == 0 ? random.nextInt(24 << 10, 96 << 10) : random.nextInt(2049);
        }
        return sizes;
    }

    private static byte contentByte(int message, int index) {
        return (byte) (message * 31 + index * 7 + (index >>> 8));
    }

    /** Writes every received byte back. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            context.write(message);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext context) {
            context.flush();
        }
    }

    /** Keeps IN_FLIGHT messages outstanding and checks each echoed frame against what was sent. */
    private static final class CheckingClient extends ChannelInboundHandlerAdapter {
        final CompletableFuture<Long> done = new CompletableFuture<>();
        private final int[] sizes;
        private int sent;
        private int received;
        private long checkedBytes;

        CheckingClient(int[] sizes) {
            this.sizes = sizes;
        }

        @Override
        public void channelActive(ChannelHandlerContext context) {
            while (sent < IN_FLIGHT) {
                send(context);
            }
            context.flush();
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            ByteBuf frame = (ByteBuf) message;
            try {
                int index = received++;
                if (frame.readableBytes() != sizes[index]) {
                    fail("message " + index + " came back with " + frame.readableBytes() + " bytes, not " + sizes[index]);
                    return;
                }
                for (int i = 0; i < sizes[index]; i++) {
                    if (frame.getByte(frame.readerIndex() + i) != contentByte(index, i)) {
                        fail("message " + index + " differs at byte " + i);
                        return;
                    }
                }
                checkedBytes += sizes[index];
            } finally {
                frame.release();
            }
            if (received == sizes.length) {
                done.complete(checkedBytes);
            } else if (sent < sizes.length) {
                send(context);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext context) {
            context.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            done.completeExceptionally(cause);
            context.close();
        }

        private void send(ChannelHandlerContext context) {
            int index = sent++;
            ByteBuf message = context.alloc().directBuffer(4 + sizes[index]);
            message.writeInt(sizes[index]);
            for (int i = 0; i < sizes[index]; i++) {
                message.writeByte(contentByte(index, i));
            }
            context.write(message);
        }

        private void fail(String what) {
            done.completeExceptionally(new AssertionError(what + " (seed " + SEED + ")"));
        }
    }
}
