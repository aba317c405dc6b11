package dev.kestrel.replay;

import dev.kestrel.contract.JsonLines;
import dev.kestrel.events.Alert;
import dev.kestrel.kafka.EmbeddedKafka;
import dev.kestrel.simulator.Simulator;
import dev.kestrel.simulator.SimulatorOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * How fast a history replays, and whether the alerts are the same at each parallelism: a simulated book (the
 * simulator's defaults, a third of the borrowers deteriorating) written to a file, then replayed with the shipped
 * pack at each parallelism asked for, as {@code ./kestrel replay} does. Records per second count the job's run, from
 * its start to its end (checkpoints, the final commit and ageing every borrower to the file's end included), not the
 * load of the file into the broker, which is printed apart. Usage:
 * {@code ./kestrel bench replay [borrowers] [days] [parallelism...]}, by default 10,000 borrowers, 365 days, 1 and 2.
 */
public final class ReplayBenchmark {
    private ReplayBenchmark() {}

    /** One replay of the book: at what parallelism, how many records in how long, and whether its alerts were the first run's. */
    record Run(int parallelism, long records, double seconds, double loadSeconds, int alertChanges, boolean sameAlerts) {
        double recordsPerSecond() {
            return records / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        int borrowers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int days = args.length > 1 ? Integer.parseInt(args[1]) : 365;
        List<Integer> parallelisms = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            parallelisms.add(Integer.parseInt(args[i]));
        }
        for (Run run : measure(borrowers, days, parallelisms.isEmpty() ? List.of(1, 2) : parallelisms)) {
            System.out.printf(Locale.ROOT, "parallelism %d: %,d records in %.1f s = %,.0f records/s (load into the broker "
                    + "%.1f s); %,d alert changes%s%n", run.parallelism(), run.records(), run.seconds(), run.recordsPerSecond(),
                    run.loadSeconds(), run.alertChanges(), run.sameAlerts() ? ", identical to the first run's" : ", DIFFERENT from the first run's");
        }
    }

    static List<Run> measure(int borrowers, int days, List<Integer> parallelisms) throws Exception {
        Path work = Files.createTempDirectory("kestrel-replay-bench");
        Path history = work.resolve("book.jsonl");
        long simulated = System.nanoTime();
        new Simulator(SimulatorOptions.parse("--out", history.toString(), "--borrowers", Integer.toString(borrowers),
                "--days", Integer.toString(days), "--start", "2025-01-01", "--deteriorating", "0.3", "--seed", "21"), null).run();
        System.out.printf(Locale.ROOT, "Simulated %,d borrowers over %d days in %.0f s (%,d bytes)%n", borrowers, days,
                (System.nanoTime() - simulated) / 1e9, Files.size(history));
        List<Run> runs = new ArrayList<>();
        List<String> first = null;
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            for (int parallelism : parallelisms) {
                Replay.Result result = Replay.run(kafka, history,
                        Replay.Settings.pack("classpath:rules/default-rules.jsonl").withParallelism(parallelism), work);
                List<String> alerts = result.alerts().stream().map(ReplayBenchmark::withoutWallClock).toList();
                if (first == null) {
                    first = alerts;
                }
                runs.add(new Run(parallelism, result.records(), result.running().toMillis() / 1e3, result.loading().toMillis() / 1e3,
                        alerts.size(), alerts.equals(first)));
            }
        } finally {
            deleteAll(work); // a year of a large book is gigabytes of history, rules and checkpoints
        }
        return runs;
    }

    private static void deleteAll(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static String withoutWallClock(Alert alert) {
        return JsonLines.write(Alert.newBuilder(alert).setDetectedAt(Instant.EPOCH).build());
    }
}
