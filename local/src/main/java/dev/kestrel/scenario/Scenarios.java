package dev.kestrel.scenario;

import dev.kestrel.kafka.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code ./kestrel scenarios [FILE...]}: runs scenario files (docs/scenarios.md), every one under {@code scenarios/}
 * when none is named, and prints for each whether the engine did what the bank expects and, if not, how it differed.
 * Exits 1 when any scenario fails.
 */
public final class Scenarios {
    private Scenarios() {}

    public static void main(String[] args) throws Exception {
        List<Path> files = args.length == 0 ? all(Path.of("scenarios")) : Stream.of(args).map(Path::of).toList();
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Path work = Files.createTempDirectory("kestrel-scenarios");
            for (Path file : files) {
                ScenarioRunner.Outcome outcome = ScenarioRunner.run(kafka, Scenario.read(file), work);
                if (outcome.skipped() != null) {
                    skipped++;
                    System.out.println("SKIP  " + file + "  (pending: " + outcome.skipped() + ")");
                } else if (outcome.passed()) {
                    passed++;
                    System.out.println("PASS  " + file);
                } else {
                    failed++;
                    System.out.println("FAIL  " + file + "  " + outcome.scenario().title());
                    outcome.differences().forEach(d -> System.out.println("      " + d));
                }
            }
        }
        System.out.printf("%d passed, %d failed, %d pending%n", passed, failed, skipped);
        System.exit(failed == 0 ? 0 : 1);
    }

    /** Every {@code .scenario} file under a folder, in name order. */
    public static List<Path> all(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return new ArrayList<>(files.filter(f -> f.toString().endsWith(".scenario")).sorted().toList());
        }
    }
}
