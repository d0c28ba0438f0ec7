package dev.sparseheap.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the project's shared files (recorded traces) that live beside the repository, in
 * {@code ../shared} of the repository root. The launcher passes the root as the system
 * property {@code sparseheap.home}; without it the working directory stands for the root.
 */
final class SharedFiles {

    private SharedFiles() {
    }

    /** The shared trace named {@code name}, or null when there is no shared traces directory. */
    static Path trace(String name) {
        Path root = Path.of(System.getProperty("sparseheap.home", "."));
        Path traces = root.toAbsolutePath().normalize().resolveSibling("shared").resolve("traces");
        return Files.isDirectory(traces) ? traces.resolve(name) : null;
    }
}
