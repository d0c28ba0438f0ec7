/*
 * The report of a leak: what an allocator (or a heap) still held when it was closed. The
 * message is the report a person reads: who leaked, how many objects and bytes, and where the
 * sampled ones among them were allocated, or how to make sampling record them all.
 */
package dev.sparseheap;

import dev.sparseheap.ByteSize;

import java.util.List;
import java.util.Locale;

/**
 * Thrown by {@link HeapAllocator#close()} when objects were left: they have been freed, and
 * this names the allocator, the objects and bytes, and the allocation sites that sampling
 * recorded for them.
 *
 * <p>Immutable; safe for use by any thread.
 */
public final class HeapLeakException extends IllegalStateException {

    private static final long serialVersionUID = 1L;
    private static final int SITES_SHOWN = 5;
    private static final int FRAMES_SHOWN = 6;

    /** The path of the allocator that leaked, or the heap's name. */
    private final String allocator;
    /** The number of objects that were left. */
    private final long objects;
    /** The usable bytes of the objects that were left. */
    private final long bytes;
    private final transient HeapProfile sites;

    HeapLeakException(String allocator, long objects, long bytes, HeapProfile sites) {
        super(report(allocator, objects, bytes, sites));
        this.allocator = allocator;
        this.objects = objects;
        this.bytes = bytes;
        this.sites = sites;
    }

    /**
     * The allocator that leaked.
     *
     * @return its path from the heap (see {@link HeapAllocator#path()}), or the heap's name when
     *         the heap itself leaked
     */
    public String allocator() {
        return allocator;
    }

    /**
     * Objects left.
     *
     * @return the number of objects that were still live at close, and were then freed
     */
    public long objects() {
        return objects;
    }

    /**
     * Usable bytes of the objects left.
     *
     * @return their usable bytes, what they took of the heap
     */
    public long bytes() {
        return bytes;
    }

    /**
     * The leaked objects that sampling recorded, by allocation site; each site's
     * {@link HeapProfile.Site#samples()} is the number of leaked objects sampled there.
     *
     * @return the sites, largest estimated bytes first; empty when sampling is off or sampled none
     *         of the leaked objects
     */
    public List<HeapProfile.Site> sites() {
        return sites.sites();
    }

    static String report(String allocator, long objects, long bytes, HeapProfile sites) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%s leaked %,d object%s (%s)",
                allocator, objects, objects == 1 ? "" : "s", ByteSize.format(bytes)));
        if (sites.samplingInterval() == 0) {
            return text.append("; sampling is off, so no allocation site is known (SparseHeap.Builder.sampling)").toString();
        }
        if (sites.sites().isEmpty()) {
            return text.append(String.format(Locale.ROOT,
                    "; none of them was sampled (one sample per %s allocated; sampling(1) records every site)",
                    ByteSize.format(sites.samplingInterval()))).toString();
        }
        int sampled = sites.sites().stream().mapToInt(HeapProfile.Site::samples).sum();
        text.append(String.format(Locale.ROOT, "; allocation sites of the %,d sampled:", sampled));
        List<HeapProfile.Site> shown = sites.sites().subList(0, Math.min(SITES_SHOWN, sites.sites().size()));
        for (HeapProfile.Site site : shown) {
            text.append(String.format(Locale.ROOT, "%n  %,d object%s [%s]", site.samples(), site.samples() == 1 ? "" : "s",
                    site.allocator()));
            for (StackTraceElement frame : site.stack().subList(0, Math.min(FRAMES_SHOWN, site.stack().size()))) {
                text.append(System.lineSeparator()).append("      at ").append(HeapProfile.frame(frame));
            }
        }
        if (sites.sites().size() > SITES_SHOWN) {
            text.append(String.format(Locale.ROOT, "%n  ... %d more sites", sites.sites().size() - SITES_SHOWN));
        }
        return text.toString();
    }
}
