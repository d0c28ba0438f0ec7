/*
 * `sparseheap map [SCENARIO] [--layout sparse|contiguous] [--svg FILE]`: the address space
 * drawn — the heap's ranges and arenas, its unused reservations, its next hints, the foreign
 * mappings around it and the gaps between. With a scenario, the space is that scenario's
 * simulated one after the run; without, it is the real address space of this process, with a
 * real heap grown by a few arenas (and the JVM's own mappings, clustered, as the foreign ones).
 */
package dev.sparseheap.cli;

import dev.sparseheap.ArenaLayout;
import dev.sparseheap.HeapLayout;
import dev.sparseheap.tools.map.AddressMap;
import dev.sparseheap.tools.map.AddressMapSvg;
import dev.sparseheap.tools.map.AddressMapText;
import dev.sparseheap.tools.map.MapEntry;
import dev.sparseheap.tools.map.ThisProcess;
import dev.sparseheap.tools.scenario.Scenario;
import dev.sparseheap.tools.scenario.ScenarioRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** The map subcommand. Not thread-safe: picocli runs it once on one thread. */
@Command(name = "map", mixinStandardHelpOptions = true,
        description = "The address space drawn: arenas, hints, foreign mappings, gaps (text, or SVG with --svg).")
public final class MapCommand implements Callable<Integer> {

    /** Arenas a real heap is grown by for the map of this process. */
    static final int REAL_ARENAS = 3;

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "SCENARIO",
            description = "A scenario to draw after it ran (see simulate); none for this process's real address space.")
    private String scenario;

    @Option(names = "--layout", defaultValue = "sparse", paramLabel = "sparse|contiguous",
            description = "Arena layout (default: ${DEFAULT-VALUE}).")
    private String layout;

    @Option(names = "--svg", paramLabel = "FILE", description = "Write an SVG drawing to FILE.")
    private Path svg;

    @Override
    public Integer call() {
        ArenaLayout arenaLayout = parseLayout();
        if (scenario != null) {
            Scenario chosen = scenario();
            ScenarioRun run = chosen.run(arenaLayout);
            if (run.layout() == null) {
                spec.commandLine().getErr().println(run.result().detail());
                return 1;
            }
            String title = chosen.scenarioName() + " (" + run.result().outcome().name().toLowerCase(Locale.ROOT).replace('_', '-')
                    + "): " + AddressMap.summary(run.layout());
            draw(title, AddressMap.of(run.layout(), 0));
            return 0;
        }
        HeapLayout process;
        try {
            process = ThisProcess.grownHeap(arenaLayout, REAL_ARENAS);
        } catch (IllegalStateException refused) {
            spec.commandLine().getErr().println(refused.getMessage());
            return 1;
        }
        draw("this process: " + AddressMap.summary(process), AddressMap.of(process, AddressMap.PROCESS_CLUSTER_GAP));
        return 0;
    }

    private void draw(String title, List<MapEntry> entries) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(title);
        out.print(AddressMapText.render(entries));
        if (svg != null) {
            try {
                Files.writeString(svg, AddressMapSvg.render(title, entries));
            } catch (IOException failure) {
                throw new UncheckedIOException("cannot write " + svg, failure);
            }
            out.println("wrote " + svg);
        }
        out.flush();
    }

    private ArenaLayout parseLayout() {
        return switch (layout.toLowerCase(Locale.ROOT)) {
            case "sparse" -> ArenaLayout.SPARSE;
            case "contiguous" -> ArenaLayout.CONTIGUOUS;
            default -> throw new ParameterException(spec.commandLine(),
                    "--layout must be sparse or contiguous, not '" + layout + "'");
        };
    }

    private Scenario scenario() {
        try {
            return Scenario.byName(scenario);
        } catch (IllegalArgumentException unknown) {
            throw new ParameterException(spec.commandLine(), unknown.getMessage());
        }
    }
}
