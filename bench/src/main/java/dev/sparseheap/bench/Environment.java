/*
 * The facts a benchmark figure is meaningless without: when, on what machine, on which JDK,
 * against which versions of every peer. Reports print them above every table.
 */
package dev.sparseheap.bench;

import io.netty.util.Version;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of the benchmark environment. Immutable.
 *
 * @param date          ISO-8601 date and time of the snapshot
 * @param processors    processors available to the JVM
 * @param cpuModel      the CPU model name from /proc/cpuinfo
 * @param jdk           JDK vendor and runtime version
 * @param loadAverage   the 1, 5 and 15 minute load averages when the snapshot was taken: on a
 *                      shared machine, other work competes for the cores being measured
 * @param peerVersions  version of each peer's package or library, by allocator name
 */
public record Environment(String date, int processors, String cpuModel, String jdk, String loadAverage,
                          Map<String, String> peerVersions) {

    /** The environment of this process now. */
    public static Environment current() {
        var versions = new LinkedHashMap<String, String>();
        for (var entry : Allocators.all()) {
            versions.put(entry.name(), version(entry));
        }
        return new Environment(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                Runtime.getRuntime().availableProcessors(), readCpuModel(),
                System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"),
                readLoadAverage(), versions);
    }

    private static String version(Allocators.Entry entry) {
        if (entry.debianPackage().isPresent()) {
            return entry.debianPackage().get() + " " + debianVersion(entry.debianPackage().get());
        }
        return switch (entry.name()) {
            case "glibc" -> "libc6 " + debianVersion("libc6");
            case "netty-pooled", "netty-adaptive" -> nettyVersion();
            case "jdk-confined", "jdk-shared" -> "JDK " + System.getProperty("java.runtime.version");
            default -> "this build";
        };
    }

    private static String nettyVersion() {
        Version version = Version.identify().get("netty-buffer");
        return "netty-buffer " + (version == null ? "(version unknown)" : version.artifactVersion());
    }

    private static String debianVersion(String debianPackage) {
        try {
            Process process = new ProcessBuilder("dpkg-query", "-W", "-f=${Version}", debianPackage)
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes()).strip();
            return process.waitFor() == 0 ? output : "not installed";
        } catch (IOException e) {
            return "unknown (no dpkg-query)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String readLoadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return String.join(" ", fields[0], fields[1], fields[2]);
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    private static String readCpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
