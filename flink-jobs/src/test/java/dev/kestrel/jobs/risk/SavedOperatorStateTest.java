package dev.kestrel.jobs.risk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.events.Alert;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.DeadLetter;
import dev.kestrel.jobs.ingest.BorrowerEvent;
import dev.kestrel.jobs.ingest.Published;
import dev.kestrel.jobs.rules.RuleFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;

/**
 * A savepoint of the borrower stage written by an earlier engine restores into this one: the state saved on day 40
 * by the engine of borrower state format 10 (one value per borrower), read back, goes on to raise, escalate and close
 * exactly the alerts that engine raised from the same events after its own restore, and each snapshot both engines
 * wrote of a borrower at the same time is the same. The saved bytes and that engine's output are
 * under {@code src/test/resources/state/operator-format-10/}, written by this test's harness on the engine of commit
 * bdba28f (borrower state format 10): {@link SavedStateHistory#beforeTheSave} delivered, the operator snapshot written
 * with {@code OperatorSnapshotUtil.writeStateHandle}, then restored there and fed {@link SavedStateHistory#afterTheSave}.
 * That engine had no scorecard: what scoring adds (the WATCH-LIST alerts, their place among a snapshot's open alerts,
 * and the segment, which the score now sets) is compared apart, as new behaviour. So are periodic reviews, which it
 * did not keep: each restored borrower's review schedule starts at its first evaluation after the restore.
 */
class SavedOperatorStateTest {
    private static final Path SAVED = Path.of("src/test/resources/state/operator-format-10");

    @Test
    void stateSavedByTheFormat10EngineRestoresAndGoesOnAsThatEngineDid() throws Exception {
        OperatorSubtaskState saved = OperatorSnapshotUtil.readStateHandle(SAVED.resolve("borrower-stage.savepoint").toString());
        Output expected = Output.read(SAVED.resolve("output-after-restore.txt"));

        Output actual = afterRestore(saved);

        assertThat(actual.alerts).as("alerts after the restore").containsExactlyElementsOf(expected.alerts);
        // Restored borrowers are scored at their first evaluation after the restore, and join the watch list from then.
        assertThat(actual.watchList).as("watch-list changes after the restore").containsExactly(
                "S-3 OPENED HIGH 2026-02-10", "S-2 OPENED HIGH 2026-02-10", "S-3 ESCALATED CRITICAL 2026-02-21",
                "S-2 ESCALATED CRITICAL 2026-03-07", "S-1 OPENED HIGH 2026-03-07");
        // Never reviewed, each is due a year after its schedule began at its first evaluation after the restore (02-10),
        // brought forward by its moves of grade: S-2 and S-3 RED on 02-10, so due a month later, 03-10 (BLACK later does
        // not put it off); S-1 RED on 03-07, due 04-07.
        assertThat(actual.reviewDue).as("each borrower's review due date, as its last snapshot gives it")
                .containsExactlyInAnyOrderEntriesOf(Map.of("S-1", "2026-04-07", "S-2", "2026-03-10", "S-3", "2026-03-10"));
        assertThat(actual.reviews).as("review alerts after the restore").containsExactly(
                "S-3 OPENED LOW 2026-03-11: No review recorded since monitoring began on 2026-02-09; next review due 2026-03-10 "
                        + "(1 month after it became RED on 2026-02-10)",
                "S-2 OPENED LOW 2026-03-11: No review recorded since monitoring began on 2026-02-09; next review due 2026-03-10 "
                        + "(1 month after it became RED on 2026-02-10)");
        assertThat(actual.deadLetters).as("dead letters after the restore").containsExactlyElementsOf(expected.deadLetters);
        // The saving engine wrote a snapshot at most once an hour while indicators moved; this one once a day, and
        // the day's changes at the next day's first evaluation (snapshot.period): where both wrote one, they agree.
        List<String> both = actual.snapshots.keySet().stream().filter(expected.snapshots::containsKey).toList();
        assertThat(both).as("snapshots both engines wrote").hasSizeGreaterThan(20);
        for (String key : both) {
            assertThat(actual.snapshots.get(key)).as("snapshot of " + key).isEqualTo(expected.snapshots.get(key));
        }
    }

    private static Output afterRestore(OperatorSubtaskState saved) throws Exception {
        KeyedBroadcastOperatorTestHarness<String, BorrowerEvent, Published, Alert> harness = harness();
        harness.initializeState(saved);
        harness.open();
        for (SpecificRecordBase event : SavedStateHistory.afterTheSave()) {
            BorrowerRiskFunctionTest.deliver(harness, dev.kestrel.jobs.Events.wrap(event));
        }
        harness.processWatermark(dev.kestrel.jobs.Events.at(80).toEpochMilli());
        Output output = new Output();
        for (Object record : harness.getOutput()) {
            if (record instanceof StreamRecord<?> r && r.getValue() instanceof Alert alert && alert.getRuleId().equals("WATCH-LIST")) {
                output.watchList.add(alert.getBorrowerId() + " " + alert.getLifecycle() + " " + alert.getSeverity() + " "
                        + alert.getEventTime().toString().substring(0, 10));
            } else if (record instanceof StreamRecord<?> r && r.getValue() instanceof Alert alert && alert.getRuleId().equals("REVIEW-OVERDUE")) {
                output.reviews.add(alert.getBorrowerId() + " " + alert.getLifecycle() + " " + alert.getSeverity() + " "
                        + alert.getEventTime().toString().substring(0, 10) + ": " + alert.getExplanation().getSummary()
                        .replaceFirst("^.*?\\. ", "").replaceFirst("\\. A borrower's periodic review.*$", ""));
            } else if (record instanceof StreamRecord<?> r && r.getValue() instanceof Alert alert) {
                output.alerts.add(Alert.newBuilder(alert).setDetectedAt(Instant.EPOCH).build().toString());
            }
        }
        if (harness.getSideOutput(BorrowerRiskFunction.DEAD_LETTERS) != null) {
            for (StreamRecord<DeadLetter> r : harness.getSideOutput(BorrowerRiskFunction.DEAD_LETTERS)) {
                output.deadLetters.add(DeadLetter.newBuilder(r.getValue()).setFailedAt(Instant.EPOCH).build().toString());
            }
        }
        for (StreamRecord<BorrowerRiskSnapshot> r : harness.getSideOutput(BorrowerRiskFunction.SNAPSHOTS)) {
            output.reviewDue.put(r.getValue().getBorrowerId(), String.valueOf(r.getValue().getReviewDueDate()));
            BorrowerRiskSnapshot withoutScoreOrReviews = BorrowerRiskSnapshot.newBuilder(r.getValue())
                    .setOpenAlerts(r.getValue().getOpenAlerts().stream()
                            .filter(a -> !a.getRuleId().equals("WATCH-LIST") && !a.getRuleId().equals("REVIEW-OVERDUE")).toList())
                    .setIndicators(r.getValue().getIndicators().stream().filter(i -> !i.getIndicator().equals("reviewOverdueDays")).toList())
                    .build();
            // Later fields the format-10 engine did not write: the review dates, material arrears' first day, and each
            // facility's currency, collateral lending value, utilisation and loan-to-value.
            String withoutReviewDates = withoutScoreOrReviews.toString().replaceFirst(", \"lastReviewDate\": [^,]+, \"reviewDueDate\": [^}]+}$", "}")
                    .replaceAll(", \"currency\": (null|\"[A-Z]{3}\"), \"secured\": (true|false), \"collateralLendingValueMinor\": [0-9a-z]+, "
                            + "\"utilisationBasisPoints\": [0-9a-z]+, \"loanToValueBasisPoints\": [0-9a-z]+}", "}");
            output.snapshots.put(r.getValue().getBorrowerId() + " " + r.getValue().getAsOf(), withoutSegment(withoutReviewDates));
        }
        harness.close();
        return output;
    }

    private static KeyedBroadcastOperatorTestHarness<String, BorrowerEvent, Published, Alert> harness() throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
                new BorrowerRiskFunction(RiskSettings.defaults(), RuleFiles.pack("classpath:rules/default-rules.jsonl"),
                        Duration.ofDays(400), Duration.ofHours(1), Long.MIN_VALUE, Duration.ofDays(1)),
                List.of(BorrowerRiskFunction.PUBLISHED_RULES, BorrowerRiskFunction.PUBLISHED_SCORECARDS, BorrowerRiskFunction.PUBLISHED_FX_RATES)),
                BorrowerEvent::key, Types.STRING, 128, 1, 0);
    }

    /** What the stage wrote after the restore, one record a line, in sections. */
    /** The snapshot with its segment left out: the saving engine derived it without a score. */
    private static String withoutSegment(String snapshot) {
        return snapshot.replaceFirst("\"segment\": \"[A-Z_]+\"", "\"segment\": \"?\"");
    }

    private static final class Output {
        final List<String> alerts = new ArrayList<>();
        final List<String> deadLetters = new ArrayList<>();
        final Map<String, String> snapshots = new LinkedHashMap<>();
        final List<String> watchList = new ArrayList<>();
        final List<String> reviews = new ArrayList<>();
        final Map<String, String> reviewDue = new java.util.HashMap<>();

        static Output read(Path file) throws Exception {
            Output output = new Output();
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.split("\t", 3);
                switch (parts[0]) {
                    case "alert" -> output.alerts.add(parts[1]);
                    case "dead-letter" -> output.deadLetters.add(parts[1]);
                    default -> output.snapshots.put(parts[1], withoutSegment(parts[2]));
                }
            }
            return output;
        }
    }
}
