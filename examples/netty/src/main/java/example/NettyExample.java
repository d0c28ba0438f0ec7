package example;

import dev.sparseheap.SparseHeap;
import dev.sparseheap.netty.SparseHeapByteBufAllocator;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** An echo over loopback whose buffers, on both sides, live in sparseheap. */
public final class NettyExample {

    public static void main(String[] args) throws Exception {
        try (SparseHeap heap = SparseHeap.create()) {
            SparseHeapByteBufAllocator allocator = new SparseHeapByteBufAllocator(heap);
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
            try {
                Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                        .childOption(ChannelOption.ALLOCATOR, allocator)
                        .childHandler(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object message) {
                                ctx.writeAndFlush(message);
                            }
                        })
                        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
                CompletableFuture<String> echoed = new CompletableFuture<>();
                Channel client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                        .option(ChannelOption.ALLOCATOR, allocator)
                        .handler(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object message) {
                                ByteBuf buffer = (ByteBuf) message;
                                echoed.complete(buffer.toString(StandardCharsets.UTF_8));
                                buffer.release();
                            }
                        })
                        .connect(server.localAddress()).sync().channel();
                ByteBuf hello = client.alloc().directBuffer().writeBytes("hello, sparseheap".getBytes(StandardCharsets.UTF_8));
                client.writeAndFlush(hello);
                String reply = echoed.get(10, TimeUnit.SECONDS);
                System.out.println("echoed: " + reply);
                if (!reply.equals("hello, sparseheap")) {
                    throw new AssertionError("wrong echo " + reply);
                }
                client.close().sync();
                server.close().sync();
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
            System.out.println(heap.stats());
        }
    }
}
