/*
 * `sparseheap simulate SCENARIO... | all [--json]`: runs seed scenarios on simulated address
 * spaces under both layouts and prints them side by side (the sparse row of a scenario right
 * above its contiguous row), or as one JSON document. The exit status is 1 when any run ended
 * in ERROR (a defect); OUT_OF_MEMORY is an expected, clean result for some scenarios.
 */
package dev.sparseheap.cli;

import dev.sparseheap.ArenaLayout;
import dev.sparseheap.ByteSize;
import dev.sparseheap.tools.scenario.Outcome;
import dev.sparseheap.tools.scenario.Scenario;
import dev.sparseheap.tools.scenario.ScenarioResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** The simulate subcommand. Not thread-safe: picocli runs it once on one thread. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Seed scenarios on simulated address spaces, sparse and contiguous layouts side by side.")
public final class SimulateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "SCENARIO",
            description = "Scenario names, or 'all': collision, heap-over-512g, huge-object, 32bit-high-mapping, "
                    + "32bit-nonmonotonic, windows, ulimit-v, 64k-pages, sanitizer-shadow, address-space-full.")
    private List<String> names;

    @Option(names = "--json", description = "Print one JSON document instead of a table.")
    private boolean json;

    @Override
    public Integer call() {
        List<ScenarioResult> results = new ArrayList<>();
        for (Scenario scenario : scenarios()) {
            for (ArenaLayout layout : ArenaLayout.values()) {
                results.add(scenario.result(layout));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(Map.of("scenarios", results)));
        } else {
            out.print(table(results));
        }
        out.flush();
        return results.stream().anyMatch(r -> r.outcome() == Outcome.ERROR) ? 1 : 0;
    }

    private List<Scenario> scenarios() {
        LinkedHashSet<Scenario> chosen = new LinkedHashSet<>();
        for (String name : names) {
            if (name.equalsIgnoreCase("all")) {
                chosen.addAll(Scenario.all());
                continue;
            }
            try {
                chosen.add(Scenario.byName(name));
            } catch (IllegalArgumentException unknown) {
                throw new ParameterException(spec.commandLine(), unknown.getMessage());
            }
        }
        return List.copyOf(chosen);
    }

    /** The results as an aligned text table. */
    static String table(List<ScenarioResult> results) {
        String format = "%-20s %-10s %-13s %10s %10s %10s %7s  %s%n";
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, format,
                "scenario", "layout", "outcome", "reserved", "mapped", "metadata", "arenas", "detail"));
        String previous = null;
        for (ScenarioResult result : results) {
            if (previous != null && !previous.equals(result.name())) {
                text.append(System.lineSeparator());
            }
            previous = result.name();
            text.append(String.format(Locale.ROOT, format, result.name(), lower(result.layout()), lower(result.outcome()),
                    ByteSize.format(result.reservedBytes()), ByteSize.format(result.mappedBytes()),
                    ByteSize.format(result.metadataBytes()), result.arenas(), result.detail()));
        }
        return text.toString();
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
