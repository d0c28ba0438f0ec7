package dev.sparseheap.cli;

import dev.sparseheap.os.LinuxAddressSpace;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ./sparseheap demo}: the main job, everything the allocator does shown on the real OS. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Show sparseheap at work on the real address space.")
final class DemoCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        new OsLayerTour(LinuxAddressSpace.create(), System.out).run();
        return 0;
    }
}
