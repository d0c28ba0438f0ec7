/*
 * A heap profile: the sampled live objects of a heap (or those at its peak) grouped by
 * allocation site, where a site is the allocator that allocated (the heap or a child) together
 * with the allocating stack. Estimates are the sums of the samples' weights (see the profile
 * package's Sample: each weight is the inverse of the probability of being sampled, so the sums
 * are unbiased); their relative error shrinks as one over the square root of the samples of a
 * site.
 *
 * Three outputs: toString for a person (top sites, a few frames each), writeFolded for flame
 * graph tools (one line per site, outermost frame first, the allocator path as root frames,
 * estimated bytes as the value), writeJson for programs.
 */
package dev.sparseheap;

import dev.sparseheap.ByteSize;
import dev.sparseheap.profile.Sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Estimated live bytes and objects by allocation site, sites sorted by bytes, largest first.
 *
 * <p>Immutable; safe for use by any thread.
 */
public final class HeapProfile {

    private static final int TOP_SITES = 10;
    private static final int FRAMES_SHOWN = 4;

    /**
     * One allocation site.
     *
     * @param allocator the heap's name, or the path of the child allocator that allocated
     * @param stack     the allocating stack, innermost frame first, without the heap's own frames
     * @param bytes     estimated live bytes allocated here (bytes asked for)
     * @param objects   estimated live objects allocated here
     * @param samples   samples behind the estimates
     */
    public record Site(String allocator, List<StackTraceElement> stack, long bytes, long objects, int samples) {

        /** Copies the stack. */
        public Site {
            stack = List.copyOf(stack);
        }
    }

    private record SiteKey(String allocator, List<StackTraceElement> stack) {
    }

    private final String heap;
    private final long samplingInterval;
    private final List<Site> sites;
    private final long bytes;
    private final long objects;

    private HeapProfile(String heap, long samplingInterval, List<Site> sites) {
        this.heap = heap;
        this.samplingInterval = samplingInterval;
        this.sites = List.copyOf(sites);
        this.bytes = sites.stream().mapToLong(Site::bytes).sum();
        this.objects = sites.stream().mapToLong(Site::objects).sum();
    }

    /** The profile of {@code samples}, taken at mean interval {@code samplingInterval}. */
    static HeapProfile of(String heap, long samplingInterval, Collection<Sample> samples) {
        Map<SiteKey, double[]> totals = new LinkedHashMap<>();
        for (Sample sample : samples) {
            double[] total = totals.computeIfAbsent(new SiteKey(sample.allocator(), sample.stack()), key -> new double[3]);
            total[0] += sample.weightBytes();
            total[1] += sample.weightObjects();
            total[2]++;
        }
        List<Site> sites = new ArrayList<>(totals.size());
        totals.forEach((key, total) -> sites.add(new Site(key.allocator(), key.stack(), Math.round(total[0]),
                Math.max(1, Math.round(total[1])), (int) total[2])));
        sites.sort(Comparator.comparingLong(Site::bytes).reversed());
        return new HeapProfile(heap, samplingInterval, sites);
    }

    /** An empty profile of a heap that does not sample. */
    static HeapProfile empty(String heap) {
        return new HeapProfile(heap, 0, List.of());
    }

    /**
     * The sites, largest estimated bytes first.
     *
     * @return an immutable list of the sites; empty when sampling is off or nothing sampled is live
     */
    public List<Site> sites() {
        return sites;
    }

    /**
     * Estimated live bytes over all sites.
     *
     * @return the sum of the sites' estimated bytes
     */
    public long bytes() {
        return bytes;
    }

    /**
     * Estimated live objects over all sites.
     *
     * @return the sum of the sites' estimated objects
     */
    public long objects() {
        return objects;
    }

    /**
     * Mean bytes between samples of the heap.
     *
     * @return the heap's sampling interval in bytes; 1 when every allocation is sampled, 0 when
     *         sampling is off
     */
    public long samplingInterval() {
        return samplingInterval;
    }

    /**
     * Top sites for a person: estimated bytes, their share, objects, allocator and the innermost
     * frames of each.
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        if (samplingInterval == 0) {
            return text.append("heap profile of ").append(heapName())
                    .append(": sampling is off (SparseHeap.Builder.sampling)").toString();
        }
        int samples = sites.stream().mapToInt(Site::samples).sum();
        text.append(String.format(Locale.ROOT, "heap profile of %s: ~%s in ~%,d objects at %d sites (%,d samples, %s)%n",
                heapName(), ByteSize.format(bytes), objects, sites.size(), samples,
                samplingInterval == 1 ? "every allocation" : "one per " + ByteSize.format(samplingInterval) + " allocated"));
        for (int i = 0; i < Math.min(TOP_SITES, sites.size()); i++) {
            Site site = sites.get(i);
            text.append(String.format(Locale.ROOT, "%3d. %10s %5.1f%% %,10d objects  [%s]%n", i + 1,
                    ByteSize.format(site.bytes()), bytes == 0 ? 0.0 : 100.0 * site.bytes() / bytes, site.objects(),
                    site.allocator()));
            List<StackTraceElement> stack = site.stack();
            for (int f = 0; f < Math.min(FRAMES_SHOWN, stack.size()); f++) {
                text.append("        at ").append(frame(stack.get(f))).append(System.lineSeparator());
            }
            if (stack.size() > FRAMES_SHOWN) {
                text.append("        ... ").append(stack.size() - FRAMES_SHOWN).append(" more").append(System.lineSeparator());
            }
        }
        if (sites.size() > TOP_SITES) {
            text.append("     ... ").append(sites.size() - TOP_SITES).append(" more sites").append(System.lineSeparator());
        }
        return text.toString();
    }

    /**
     * Writes the profile as folded stacks, one line per site: the allocator's path (one frame per
     * name, so that child allocators nest under their parents), then the frames outermost first, separated by {@code ;}, a space and the estimated bytes (the input of
     * flame graph tools such as flamegraph.pl or speedscope).
     *
     * @param out where the lines go, each ended by {@code '\n'}; not closed or flushed
     * @throws UncheckedIOException when {@code out} fails, wrapping its {@link IOException}; the
     *                              lines written before stay written
     */
    public void writeFolded(Appendable out) {
        try {
            for (Site site : sites) {
                out.append(String.join(";", Arrays.stream(site.allocator().split("/")).map(HeapProfile::foldedFrame).toList()));
                List<StackTraceElement> stack = site.stack();
                for (int f = stack.size() - 1; f >= 0; f--) {
                    StackTraceElement frame = stack.get(f);
                    out.append(';').append(foldedFrame(frame.getClassName() + "." + frame.getMethodName()
                            + (frame.getLineNumber() > 0 ? ":" + frame.getLineNumber() : "")));
                }
                out.append(' ').append(Long.toString(site.bytes())).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the profile as one JSON object: heap, samplingInterval, bytes, objects, and sites,
     * each with allocator, bytes, objects, samples and stack (frames as strings, innermost first).
     *
     * @param out where the object goes, on one line without a line end; not closed or flushed
     * @throws UncheckedIOException when {@code out} fails, wrapping its {@link IOException}; what
     *                              was written before stays written
     */
    public void writeJson(Appendable out) {
        try {
            out.append("{\"heap\":").append(jsonString(heap))
                    .append(",\"samplingInterval\":").append(Long.toString(samplingInterval))
                    .append(",\"bytes\":").append(Long.toString(bytes))
                    .append(",\"objects\":").append(Long.toString(objects))
                    .append(",\"sites\":[");
            for (int i = 0; i < sites.size(); i++) {
                Site site = sites.get(i);
                out.append(i == 0 ? "" : ",").append("{\"allocator\":").append(jsonString(site.allocator()))
                        .append(",\"bytes\":").append(Long.toString(site.bytes()))
                        .append(",\"objects\":").append(Long.toString(site.objects()))
                        .append(",\"samples\":").append(Integer.toString(site.samples()))
                        .append(",\"stack\":[");
                for (int f = 0; f < site.stack().size(); f++) {
                    out.append(f == 0 ? "" : ",").append(jsonString(frame(site.stack().get(f))));
                }
                out.append("]}");
            }
            out.append("]}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A frame as {@code class.method(File.java:line)}, without the module and class loader names. */
    static String frame(StackTraceElement frame) {
        String where = frame.isNativeMethod() ? "Native Method"
                : frame.getFileName() == null ? "Unknown Source"
                : frame.getLineNumber() >= 0 ? frame.getFileName() + ":" + frame.getLineNumber() : frame.getFileName();
        return frame.getClassName() + "." + frame.getMethodName() + "(" + where + ")";
    }

    private String heapName() {
        return heap.isEmpty() ? "an unnamed heap" : "'" + heap + "'";
    }

    private static String foldedFrame(String frame) {
        return frame.replace(';', ':').replace(' ', '_');
    }

    private static String jsonString(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
