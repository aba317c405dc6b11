package dev.kestrel.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.events.Alert;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.Severity;
import dev.kestrel.kafka.EmbeddedKafka;
import dev.kestrel.simulator.GroundTruth;
import dev.kestrel.simulator.Simulator;
import dev.kestrel.simulator.SimulatorOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay runs the job over history and scores it: the exact report on a small checked-in history with known
 * outcomes, a shadow run of a candidate pack, and a seeded simulation whose ground truth the replay must bear out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayTest {
    @org.junit.jupiter.api.extension.RegisterExtension
    static final org.apache.flink.test.junit5.MiniClusterExtension FLINK = dev.kestrel.replay.OneFlinkCluster.withSlots(2);

    private static final Path FIXTURES = Path.of("src/test/resources/replay");

    @TempDir
    static Path work;
    private EmbeddedKafka kafka;

    @BeforeAll
    void broker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    void stopBroker() {
        kafka.close();
    }

    @Test
    void theReportOnTheCheckedInHistoryIsExactlyTheExpectedOne() throws Exception {
        Replay.Result result = Replay.run(kafka, FIXTURES.resolve("history.jsonl.gz"), "classpath:rules/default-rules.jsonl",
                work);
        assertThat(result.deadLetters()).isEmpty();
        assertThat(result.snapshots()).as("read back only on request").isEmpty();
        BacktestReport report = BacktestReport.of(result.alerts(), Outcomes.read(FIXTURES.resolve("outcomes.csv")),
                result.borrowers(), result.from(), result.to(), 365);
        assertThat(report.text()).isEqualTo(Files.readString(FIXTURES.resolve("expected-report.txt")));

        Replay.Result candidate = Replay.run(kafka, FIXTURES.resolve("history.jsonl.gz"),
                FIXTURES.resolve("candidate-rules.jsonl").toAbsolutePath().toString(), work);
        String shadow = Replay.shadowReport(result, candidate);
        // The candidate only lowers CF-BURN's threshold: every difference is a CF-BURN episode, and it warns each borrower
        // at least as early. (It need not raise more: with the clear threshold, an earlier episode can absorb a later one.)
        assertThat(shadow.lines().filter(line -> line.startsWith("  ")))
                .isNotEmpty().allSatisfy(line -> assertThat(line).contains("CF-BURN"));
        Map<String, Instant> current = firstBurn(result);
        Map<String, Instant> lowered = firstBurn(candidate);
        assertThat(lowered.keySet()).containsAll(current.keySet());
        current.forEach((borrower, opened) -> assertThat(lowered.get(borrower)).as(borrower).isBeforeOrEqualTo(opened));
    }

    /** When CF-BURN first opened for each borrower. */
    private static Map<String, Instant> firstBurn(Replay.Result result) {
        Map<String, Instant> first = new TreeMap<>();
        for (Alert alert : result.episodes().values()) {
            if (alert.getRuleId().equals("CF-BURN")) {
                first.merge(alert.getBorrowerId(), alert.getEpisodeStartedAt(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        return first;
    }

    @Test
    void theEnginesDefaultsAreTheSimulatorsGroundTruthToTheDay() throws Exception {
        Path history = work.resolve("seeded.jsonl");
        Simulator.Summary summary = new Simulator(SimulatorOptions.parse("--out", history.toString(), "--borrowers", "80",
                "--days", "330", "--start", "2025-01-01", "--deteriorating", "0.3", "--seed", "9"), null).run();
        Map<String, LocalDate> truth = new TreeMap<>();
        for (GroundTruth t : summary.truth()) {
            if (t.defaultDate() != null) {
                truth.put(t.borrowerId(), t.defaultDate());
            }
        }
        assertThat(truth).hasSizeGreaterThanOrEqualTo(5);

        // The simulator defaults a borrower at 90 days of (material) arrears, CRR art. 178's definition: judge it under EU,
        // where the regulatory-status alert turns CRITICAL exactly when the borrower defaults.
        Replay.Result result = Replay.run(kafka, history,
                new Replay.Settings("classpath:rules/default-rules.jsonl", null, "EU").withSnapshots(), work);
        assertThat(result.snapshots()).as("requested: every borrower's, by borrower and time")
                .extracting(BorrowerRiskSnapshot::getBorrowerId).isSorted().hasSizeGreaterThan(result.borrowers());
        Map<String, LocalDate> engineDefaults = new TreeMap<>();
        for (Alert alert : result.alerts()) {
            if (alert.getRuleId().equals("CLASS-STATUS") && alert.getLifecycle() != AlertLifecycle.CLOSED
                    && alert.getSeverity() == Severity.CRITICAL && alert.getExplanation().getSummary().contains("EU: in default since")) {
                engineDefaults.putIfAbsent(alert.getBorrowerId(), LocalDate.ofInstant(alert.getEventTime(), ZoneOffset.UTC));
            }
        }
        assertThat(engineDefaults).isEqualTo(truth);

        BacktestReport report = BacktestReport.of(result.alerts(), truth, result.borrowers(), result.from(), result.to(), 365);
        // Every default was preceded by material arrears, and by the engine's cash-flow warning months earlier.
        assertThat(report.line("REPAY-ARREARS").recall()).isEqualTo(1.0);
        assertThat(report.line("REPAY-ARREARS").leadDays()).allSatisfy(days -> assertThat(days).isGreaterThanOrEqualTo(90));
        assertThat(report.line("ALL").recall()).isEqualTo(1.0);
        assertThat(report.line("CF-INFLOW-DROP").leadPercentile(50)).isGreaterThan(report.line("REPAY-ARREARS").leadPercentile(50));
    }
}
