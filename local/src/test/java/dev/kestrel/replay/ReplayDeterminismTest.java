package dev.kestrel.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.JsonLines;
import dev.kestrel.events.Alert;
import dev.kestrel.kafka.EmbeddedKafka;
import dev.kestrel.simulator.Simulator;
import dev.kestrel.simulator.SimulatorOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same history gives the same alerts, byte for byte but for the wall-clock {@code detectedAt}, run after run: a
 * mixed book (groups, arrears, statements, bureau events, borrowers whose events end before the file does) replayed
 * five times.
 */
class ReplayDeterminismTest {
    @org.junit.jupiter.api.extension.RegisterExtension
    static final org.apache.flink.test.junit5.MiniClusterExtension FLINK = dev.kestrel.replay.OneFlinkCluster.withSlots(2);

    @TempDir
    Path work;

    @Test
    void fiveReplaysOfOneHistoryRaiseIdenticalAlerts() throws Exception {
        Path history = mixedBook(work.resolve("mixed.jsonl"));
        List<List<String>> runs = new ArrayList<>();
        List<List<Replay.Refusal>> refusals = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            // At parallelism 1 (the default): above it a loaded machine has lost alerts (issue #21).
            for (int run = 0; run < 5; run++) {
                Replay.Result result = Replay.run(kafka, history, Replay.Settings.pack("classpath:rules/default-rules.jsonl"), work);
                runs.add(result.alerts().stream().map(ReplayDeterminismTest::withoutWallClock).toList());
                refusals.add(result.refused());
            }
        }
        assertThat(runs.get(0)).as("a history that raises alerts").hasSizeGreaterThan(50);
        assertThat(runs.get(0)).as("group alerts among them").anyMatch(a -> a.contains("\"GROUP\""));
        for (int run = 1; run < runs.size(); run++) {
            String which = "run " + (run + 1) + " against run 1";
            assertThat(runs.get(run)).as(which).containsExactlyElementsOf(runs.get(0));
            assertThat(refusals.get(run)).as(which + ": refused lines").containsExactlyElementsOf(refusals.get(0));
        }
    }

    /** The mixed book these replays read: 40 borrowers over 240 days, a third deteriorating, the same every run. */
    static Path mixedBook(Path history) throws Exception {
        new Simulator(SimulatorOptions.parse("--out", history.toString(), "--borrowers", "40", "--days", "240",
                "--start", "2025-03-01", "--deteriorating", "0.3", "--seed", "15"), null).run();
        return history;
    }

    private static String withoutWallClock(Alert alert) {
        return JsonLines.write(Alert.newBuilder(alert).setDetectedAt(Instant.EPOCH).build());
    }
}
