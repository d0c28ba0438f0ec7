/*
 * Installs the Debian packages of missing native peers before a benchmark, so that a fresh
 * machine measures every peer. It acts only when a peer's library cannot be loaded and dpkg does
 * not list its package as installed, only as root and only where apt-get exists; it always says
 * what it did, and a peer that stays missing is reported by the tools, never dropped silently.
 */
package dev.sparseheap.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code apt-get install} of the packages behind unavailable native peers.
 *
 * <p>Stateless; not meant to run concurrently with itself (apt holds a lock).
 */
public final class PeerPackages {

    private PeerPackages() {
    }

    /**
     * Installs the Debian packages of the unavailable {@code entries}, reporting each step to
     * {@code log}; returns the packages it installed.
     */
    public static List<String> installMissing(List<Allocators.Entry> entries, Consumer<String> log) {
        var packages = new ArrayList<String>();
        for (var entry : entries) {
            if (!entry.available() && entry.debianPackage().isPresent() && !installed(entry.debianPackage().get())) {
                packages.add(entry.debianPackage().get());
            }
        }
        if (packages.isEmpty()) {
            return List.of();
        }
        if (!isRoot() || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            log.accept("not installing " + packages + ": needs root and apt-get");
            return List.of();
        }
        log.accept("installing missing peer packages " + packages);
        if (!run(List.of("apt-get", "update", "-q"), log)) {
            return List.of();
        }
        var install = new ArrayList<>(List.of("apt-get", "install", "-y", "-q"));
        install.addAll(packages);
        if (!run(install, log)) {
            return List.of();
        }
        log.accept("installed " + packages);
        return packages;
    }

    /** Whether dpkg knows {@code debianPackage} as installed. */
    public static boolean installed(String debianPackage) {
        try {
            Process process = new ProcessBuilder("dpkg-query", "-W", "-f=${Status}", debianPackage)
                    .redirectErrorStream(true).start();
            String status = new String(process.getInputStream().readAllBytes());
            return process.waitFor() == 0 && status.endsWith("installed") && !status.contains("not-installed");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .anyMatch(line -> line.split("\\s+")[1].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean run(List<String> command, Consumer<String> log) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            int status = process.waitFor();
            if (status != 0) {
                log.accept(String.join(" ", command) + " failed with status " + status + ":\n" + output);
                return false;
            }
            return true;
        } catch (IOException e) {
            log.accept(String.join(" ", command) + " could not run: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
