package dev.sparseheap.netty;

import dev.sparseheap.SparseHeap;
import io.netty.buffer.ByteBuf;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Netty's ResourceLeakDetector at PARANOID level reports a sparseheap buffer that was collected
 * without its last release, through Netty's own logging, and leaves correctly released buffers
 * alone.
 */
class LeakDetectionTest {

    private static final int MAX_COLLECTIONS = 200;

    @Test
    void aBufferCollectedWithoutReleaseIsReportedAtParanoidLevel() throws InterruptedException {
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
        Logger detectorLog = Logger.getLogger(ResourceLeakDetector.class.getName());
        List<String> reports = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                reports.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        detectorLog.addHandler(capture);
        boolean parentHandlers = detectorLog.getUseParentHandlers();
        detectorLog.setUseParentHandlers(false); // the report is expected: keep it off the console
        ResourceLeakDetector.Level previous = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        try (SparseHeap heap = SparseHeap.create()) {
            var allocator = new SparseHeapByteBufAllocator(heap);
            ByteBuf released = allocator.directBuffer(64);
            assertTrue(released.getClass().getSimpleName().contains("LeakAware"), released.getClass().getName());
            released.release();
            leakOneBuffer(allocator);
            assertEquals(1, heap.stats().objects(), "the leaked buffer still holds its memory");
            for (int i = 0; i < MAX_COLLECTIONS && reports.stream().noneMatch(r -> r.contains("LEAK")); i++) {
                System.gc();
                Thread.sleep(5);
                allocator.directBuffer(8).release(); // the detector reports when it tracks a new buffer
            }
            assertFalse(reports.isEmpty(), "no leak report after " + MAX_COLLECTIONS + " collections");
            assertTrue(reports.stream().anyMatch(r -> r.contains("LEAK") && r.contains("release()")), reports.toString());
            assertEquals(1, heap.stats().objects(), "released buffers were freed, the leaked one was not");
        } finally {
            ResourceLeakDetector.setLevel(previous);
            detectorLog.removeHandler(capture);
            detectorLog.setUseParentHandlers(parentHandlers);
        }
    }

    private static void leakOneBuffer(SparseHeapByteBufAllocator allocator) {
        ByteBuf leaked = allocator.directBuffer(128);
        leaked.writeInt(42);
    }
}
