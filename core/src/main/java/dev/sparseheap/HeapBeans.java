/*
 * JMX registration of a named heap and its child allocators on the platform MBean server.
 *
 * The heap's MBean is registered when the heap is built and unregistered when it closes; each
 * child allocator's while it is open. The MBeans are StandardMBeans over small views that read
 * the heap (or allocator) on every attribute access, so nothing is cached and nothing needs
 * updating. A second heap with the same name is refused at build time, since two MBeans cannot
 * share an ObjectName.
 */
package dev.sparseheap;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import java.lang.management.ManagementFactory;

/**
 * The MBeans of one named heap.
 *
 * <p>Thread safety: safe for concurrent use.
 */
final class HeapBeans {

    /** The JMX domain of every sparseheap MBean. */
    static final String DOMAIN = "dev.sparseheap";

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final String heapName;
    private final ObjectName heapBean;

    private HeapBeans(String heapName) {
        this.heapName = heapName;
        this.heapBean = heapObjectName(heapName);
    }

    /**
     * Registers the MBean of {@code heap}, named {@code heapName}.
     *
     * @throws IllegalArgumentException when a heap of that name is registered already
     */
    static HeapBeans register(SparseHeap heap, String heapName) {
        HeapBeans beans = new HeapBeans(heapName);
        try {
            beans.server.registerMBean(new StandardMBean(new HeapView(heap), SparseHeapMBean.class), beans.heapBean);
        } catch (InstanceAlreadyExistsException e) {
            throw new IllegalArgumentException("a heap named " + heapName + " is registered already (" + beans.heapBean + ")", e);
        } catch (JMException e) {
            throw new IllegalStateException("cannot register " + beans.heapBean, e);
        }
        return beans;
    }

    /** The ObjectName of a heap named {@code heapName}. */
    static ObjectName heapObjectName(String heapName) {
        return objectName("type=SparseHeap,name=" + value(heapName));
    }

    /** The ObjectName of the allocator at {@code path} of a heap named {@code heapName}. */
    static ObjectName allocatorObjectName(String heapName, String path) {
        return objectName("type=HeapAllocator,heap=" + value(heapName) + ",name=" + value(path));
    }

    void allocatorOpened(HeapAllocator allocator) {
        ObjectName name = allocatorObjectName(heapName, allocator.path());
        try {
            server.registerMBean(new StandardMBean(new AllocatorView(allocator), HeapAllocatorMBean.class), name);
        } catch (JMException e) {
            throw new IllegalStateException("cannot register " + name, e);
        }
    }

    void allocatorClosed(HeapAllocator allocator) {
        unregister(allocatorObjectName(heapName, allocator.path()));
    }

    /** Unregisters the heap's MBean (its allocators' are unregistered as they close). */
    void close() {
        unregister(heapBean);
    }

    private void unregister(ObjectName name) {
        try {
            server.unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            // Already gone: unregistering is idempotent.
        } catch (JMException e) {
            throw new IllegalStateException("cannot unregister " + name, e);
        }
    }

    private static String value(String raw) {
        return raw.chars().anyMatch(c -> ",=:\"*?\n".indexOf(c) >= 0) ? ObjectName.quote(raw) : raw;
    }

    private static ObjectName objectName(String properties) {
        try {
            return new ObjectName(DOMAIN + ":" + properties);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException("not a valid MBean name: " + properties, e);
        }
    }

    private record HeapView(SparseHeap heap) implements SparseHeapMBean {
        @Override
        public String getName() {
            return heap.name();
        }

        @Override
        public long getReservedBytes() {
            return heap.stats().reservedBytes();
        }

        @Override
        public long getMappedBytes() {
            return heap.stats().mappedBytes();
        }

        @Override
        public long getInUseBytes() {
            return heap.stats().inUseBytes();
        }

        @Override
        public long getFreeBytes() {
            return heap.stats().freeBytes();
        }

        @Override
        public long getReleasedBytes() {
            return heap.stats().releasedBytes();
        }

        @Override
        public long getMetadataBytes() {
            return heap.stats().metadataBytes();
        }

        @Override
        public long getLiveBytes() {
            return heap.stats().liveBytes();
        }

        @Override
        public long getObjects() {
            return heap.stats().objects();
        }

        @Override
        public long getAllocations() {
            return heap.stats().allocations();
        }

        @Override
        public long getFrees() {
            return heap.stats().frees();
        }

        @Override
        public long getBadFrees() {
            return heap.stats().badFrees();
        }

        @Override
        public long getLargeObjects() {
            return heap.stats().largeObjects();
        }

        @Override
        public int getThreadCaches() {
            return heap.stats().threadCaches();
        }

        @Override
        public long getSamplingInterval() {
            return heap.samplingInterval();
        }

        @Override
        public long getSampledLiveBytes() {
            return heap.profile().bytes();
        }

        @Override
        public String getSummary() {
            return heap.stats().toString();
        }
    }

    private record AllocatorView(HeapAllocator allocator) implements HeapAllocatorMBean {
        @Override
        public String getPath() {
            return allocator.path();
        }

        @Override
        public long getUsedBytes() {
            return allocator.used();
        }

        @Override
        public long getPeakBytes() {
            return allocator.peak();
        }

        @Override
        public long getObjects() {
            return allocator.objects();
        }

        @Override
        public long getLimit() {
            return allocator.limit();
        }

        @Override
        public long getSoftLimit() {
            return allocator.softLimit();
        }
    }
}
