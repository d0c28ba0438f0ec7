/*
 * An HTTP/1.1 server's buffer traffic without sockets: requests with bodies are encoded by Netty's
 * HttpRequestEncoder in one EmbeddedChannel and the bytes fed to HttpRequestDecoder and
 * HttpObjectAggregator in another, both channels allocating from the peer's ByteBufAllocator.
 * That is the allocation pattern of a Netty HTTP service (header buffers, body buffers, the
 * decoder's cumulation, the aggregator's composite buffers, all short-lived and of mixed sizes)
 * with the network taken out, so the allocator's share of the time shows.
 *
 * A round is 250,000 requests at scale 1, a few seconds on two cores; --scale 4 runs a million.
 * Requests go in pipelined batches, as keep-alive clients send them. Bodies are mostly small with
 * a tail of larger ones (seeded, the same for every peer). Every decoded request is checked: its
 * URI and body length, and the stamp in its body's first and last byte.
 */
package dev.sparseheap.bench.ecosystem;

import dev.sparseheap.SparseHeap;
import dev.sparseheap.bench.NettyAllocator;
import dev.sparseheap.netty.SparseHeapByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ResourceLeakDetector;

import java.util.List;
import java.util.SplittableRandom;

/**
 * HTTP/1.1 requests through Netty's codecs on sparseheap, Netty pooled and Netty adaptive.
 *
 * <p>Immutable and thread-safe; each prepared run is confined to one thread.
 */
public final class NettyHttpPipeline implements EcosystemWorkload {

    private static final int REQUESTS = 250_000;
    private static final int PIPELINED = 32;
    private static final int MAX_BODY = 64 << 10;
    private static final long SEED = 0x4e45_5454_5948_5454L;

    @Override
    public String name() {
        return "netty-http";
    }

    @Override
    public String description() {
        return "HTTP/1.1 POST requests encoded and decoded (with aggregation) through two Netty EmbeddedChannels";
    }

    @Override
    public String parameters(double scale) {
        return EcosystemWorkload.scaled(REQUESTS, scale) + " requests in pipelined batches of " + PIPELINED
                + ", bodies 80% up to 256 B, 18% up to 4 KiB, 2% up to 64 KiB";
    }

    @Override
    public List<String> peers() {
        return List.of("sparseheap", "netty-pooled", "netty-adaptive");
    }

    @Override
    public List<String> peerDescriptions() {
        return List.of("SparseHeapByteBufAllocator over a new SparseHeap",
                "Netty PooledByteBufAllocator, direct, caches for all threads",
                "Netty AdaptiveByteBufAllocator, direct");
    }

    @Override
    public Run prepare(String peer) {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        return switch (peer) {
            case "sparseheap" -> {
                SparseHeap heap = SparseHeap.create();
                yield new HttpRun(new SparseHeapByteBufAllocator(heap), heap::close);
            }
            case "netty-pooled" -> new HttpRun(NettyAllocator.pooledDirect(), () -> { });
            case "netty-adaptive" -> new HttpRun(NettyAllocator.adaptiveDirect(), () -> { });
            default -> throw new IllegalArgumentException("unknown peer '" + peer + "' of " + name() + "; known: " + peers());
        };
    }

    private static int bodySize(SplittableRandom random) {
        int bucket = random.nextInt(100);
        if (bucket < 80) {
            return random.nextInt(257);
        }
        return bucket < 98 ? random.nextInt(257, 4097) : random.nextInt(4097, MAX_BODY + 1);
    }

    private static byte stamp(int request) {
        return (byte) (request * 0x9E37 >>> 3 | 1);
    }

    /** The codecs over one allocator. Confined to the thread that runs it. */
    private static final class HttpRun implements Run {
        private final ByteBufAllocator allocator;
        private final Runnable releaseMemory;

        HttpRun(ByteBufAllocator allocator, Runnable releaseMemory) {
            this.allocator = allocator;
            this.releaseMemory = releaseMemory;
        }

        @Override
        public long round(double scale) {
            int requests = EcosystemWorkload.scaled(REQUESTS, scale);
            EmbeddedChannel encoder = new EmbeddedChannel(new HttpRequestEncoder());
            encoder.config().setAllocator(allocator);
            EmbeddedChannel decoder = new EmbeddedChannel(new HttpRequestDecoder(), new HttpObjectAggregator(MAX_BODY));
            decoder.config().setAllocator(allocator);
            var random = new SplittableRandom(SEED);
            int[] sizes = new int[PIPELINED];
            try {
                for (int first = 0; first < requests; first += PIPELINED) {
                    int batch = Math.min(PIPELINED, requests - first);
                    for (int i = 0; i < batch; i++) {
                        sizes[i] = bodySize(random);
                        encoder.write(request(first + i, sizes[i]));
                    }
                    encoder.flush();
                    for (ByteBuf encoded; (encoded = encoder.readOutbound()) != null; ) {
                        decoder.writeInbound(encoded);
                    }
                    for (int i = 0; i < batch; i++) {
                        check(decoder.readInbound(), first + i, sizes[i]);
                    }
                }
            } finally {
                encoder.finishAndReleaseAll();
                decoder.finishAndReleaseAll();
            }
            return requests;
        }

        private FullHttpRequest request(int index, int bodySize) {
            ByteBuf body = allocator.directBuffer(bodySize);
            if (bodySize > 0) {
                body.writeByte(stamp(index)).writeZero(bodySize - 1).setByte(bodySize - 1, stamp(index));
            }
            var request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri(index), body);
            request.headers()
                    .set(HttpHeaderNames.HOST, "bench.sparseheap.dev")
                    .set(HttpHeaderNames.USER_AGENT, "sparseheap-bench/1")
                    .set(HttpHeaderNames.ACCEPT, "*/*")
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, bodySize)
                    .setInt("x-request-id", index);
            return request;
        }

        private static String uri(int index) {
            return "/items/" + index + "?page=" + (index % 7);
        }

        private static void check(FullHttpRequest decoded, int index, int bodySize) {
            if (decoded == null) {
                throw new IllegalStateException("netty-http: request " + index + " was not decoded");
            }
            try {
                ByteBuf body = decoded.content();
                if (!decoded.decoderResult().isSuccess() || !decoded.uri().equals(uri(index))
                        || body.readableBytes() != bodySize
                        || bodySize > 0 && (body.getByte(body.readerIndex()) != stamp(index)
                        || body.getByte(body.readerIndex() + bodySize - 1) != stamp(index))) {
                    throw new IllegalStateException("netty-http: request " + index + " decoded differently from what was encoded: "
                            + decoded.uri() + ", " + body.readableBytes() + " body bytes of " + bodySize);
                }
            } finally {
                decoded.release();
            }
        }

        @Override
        public void close() {
            releaseMemory.run();
        }
    }
}
