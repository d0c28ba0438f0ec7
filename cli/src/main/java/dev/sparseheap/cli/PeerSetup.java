/*
 * What bench and replay do before measuring: pick the allocators asked for, install the Debian
 * packages of missing native peers when possible, and describe the environment. Both commands
 * share it so that they report peers and machines the same way.
 */
package dev.sparseheap.cli;

import dev.sparseheap.bench.Allocators;
import dev.sparseheap.bench.Environment;
import dev.sparseheap.bench.PeerPackages;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The allocators of a run, after installation of missing peers, and the environment.
 *
 * <p>Immutable once built.
 *
 * @param allocators  the selected allocators in report order
 * @param installed   Debian packages installed by this run
 * @param environment the environment snapshot
 */
record PeerSetup(List<Allocators.Entry> allocators, List<String> installed, Environment environment) {

    /**
     * Selects {@code names} (all allocators when null or empty), installs missing peers, and logs
     * each step and every peer still missing to {@code log}.
     *
     * @throws IllegalArgumentException for an unknown allocator name
     */
    static PeerSetup prepare(List<String> names, PrintStream log) {
        List<Allocators.Entry> selected = names == null || names.isEmpty()
                ? Allocators.all() : Allocators.named(names);
        List<String> installed = PeerPackages.installMissing(selected, message -> log.println("sparseheap: " + message));
        for (var entry : selected) {
            entry.missingReason().ifPresent(reason -> log.println("sparseheap: peer " + entry.name() + " is missing: " + reason));
        }
        return new PeerSetup(selected, installed, Environment.current());
    }

    /** The environment lines printed above every report. */
    String describe() {
        var lines = new ArrayList<String>();
        lines.add("- date: " + environment.date());
        lines.add("- machine: " + environment.processors() + " processors, " + environment.cpuModel());
        lines.add("- JDK: " + environment.jdk());
        lines.add("- load average at start (1, 5, 15 min): " + environment.loadAverage());
        for (var entry : allocators) {
            lines.add("- " + entry.name() + ": " + environment.peerVersions().get(entry.name())
                    + entry.missingReason().map(r -> " — MISSING: " + r).orElse(""));
        }
        if (!installed.isEmpty()) {
            lines.add("- installed by this run: " + String.join(", ", installed));
        }
        return String.join("\n", lines) + "\n";
    }
}
