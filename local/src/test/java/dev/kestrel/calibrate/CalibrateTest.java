package dev.kestrel.calibrate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.JsonLines;
import dev.kestrel.contract.ScorecardCheck;
import dev.kestrel.events.Scorecard;
import dev.kestrel.jobs.rules.RuleFiles;
import dev.kestrel.kafka.EmbeddedKafka;
import dev.kestrel.replay.Replay;
import dev.kestrel.simulator.GroundTruth;
import dev.kestrel.simulator.Simulator;
import dev.kestrel.simulator.SimulatorOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./kestrel calibrate} end to end on a simulated history: the same replay as the backtest, a fit on the
 * training borrowers, a report on the others, and a candidate the job accepts and can shadow-run.
 */
class CalibrateTest {
    @org.junit.jupiter.api.extension.RegisterExtension
    static final org.apache.flink.test.junit5.MiniClusterExtension FLINK = dev.kestrel.replay.OneFlinkCluster.withSlots(2);

    @TempDir
    Path work;

    @Test
    void fitsACandidateTheJobAcceptsAndReportsItOnBorrowersItNeverSaw() throws Exception {
        Path history = work.resolve("history.jsonl");
        Simulator.Summary summary = new Simulator(SimulatorOptions.parse("--out", history.toString(), "--borrowers", "80",
                "--days", "330", "--start", "2025-01-01", "--deteriorating", "0.25", "--seed", "31"), null).run();
        Map<String, LocalDate> defaults = new TreeMap<>();
        for (GroundTruth t : summary.truth()) {
            if (t.defaultDate() != null) {
                defaults.put(t.borrowerId(), t.defaultDate());
            }
        }
        Scorecard base = Calibrate.read(RuleFiles.DEFAULT_SCORECARD);

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Calibrate.Result result = Calibrate.run(kafka, history, defaults, base, new Calibrate.Settings(120, 30, 1, 1.0, null), work);

            Scorecard candidate = result.candidate();
            ScorecardCheck.check(candidate);
            assertThat(candidate.getScorecardId()).isEqualTo(base.getScorecardId());
            assertThat(candidate.getVersion()).isEqualTo(base.getVersion() + 1);
            assertThat(candidate.getFactors()).hasSameSizeAs(base.getFactors());
            assertThat(candidate.getGrades()).isEqualTo(base.getGrades());
            assertThat(result.trainingSamples()).isGreaterThan(result.holdOutSamples()).isGreaterThan(0);
            assertThat(result.report()).contains("base KESTREL-DEFAULT v1", "candidate KESTREL-DEFAULT v2", "AUC", "KS",
                    "lift by decile", "base v1 AMBER", "candidate v2 BLACK");
            // Arrears predict default in any history the simulator writes: the fitted points must say so.
            assertThat(candidate.getFactors().get(0).getFactorId()).isEqualTo("ARREARS");
            assertThat(candidate.getFactors().get(0).getBins()).as("some days past due add points")
                    .anySatisfy(bin -> assertThat(bin.getPoints()).isPositive());

            // The candidate runs in the job: a shadow run scores with it.
            Path file = work.resolve("candidate.jsonl");
            Files.writeString(file, JsonLines.write(candidate) + "\n");
            Replay.Result shadow = Replay.run(kafka, history,
                    new Replay.Settings("classpath:rules/default-rules.jsonl", null, null).withScorecard(file.toString()), work);
            assertThat(shadow.scores()).isNotEmpty().allSatisfy(s -> assertThat(s.getScorecardVersion()).isEqualTo(2));
        }
    }
}
