package dev.kestrel.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kestrel.contract.Decoded;
import dev.kestrel.contract.JsonLines;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.FxRate;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.RepaymentKind;
import dev.kestrel.events.TransactionEvent;
import dev.kestrel.events.TransactionKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A seeded run: valid records in event-time order, the same every time, and a ground truth the events bear out. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulatorTest {
    @TempDir
    static Path folder;
    private List<SpecificRecordBase> records;
    private Simulator.Summary summary;

    @BeforeAll
    void simulateAYear() throws IOException {
        Path history = folder.resolve("history.jsonl");
        summary = new Simulator(SimulatorOptions.parse("--out", history.toString(), "--truth",
                folder.resolve("truth.jsonl").toString(), "--outcomes", folder.resolve("outcomes.csv").toString(),
                "--borrowers", "300", "--days", "365", "--start", "2026-01-01", "--seed", "7"), null).run();
        records = new ArrayList<>();
        for (String line : Files.readAllLines(history)) {
            Decoded decoded = JsonLines.read(line);
            assertThat(decoded.isRejected()).as(line).isFalse();
            records.add(decoded.record());
        }
    }

    @Test
    void everyRecordHasTheKeyItsTopicIsKeyedBy() {
        // The Kafka output keys each record; an FX rate has no borrower, and keyed as one it stopped the simulator.
        assertThat(records).allSatisfy(record -> assertThat(EventOutput.keyOf(record)).isNotEqualTo("null"));
        assertThat(records).filteredOn(r -> r instanceof FxRate).extracting(EventOutput::keyOf).containsExactly("EUR/CNY");
    }

    @Test
    void everyRecordIsValidAndTheLiveEventsAreInEventTimeOrder() {
        assertThat(records).hasSize((int) summary.events());
        long previous = Long.MIN_VALUE;
        // Master data first: each borrower's profile, statement, collateral and latest review, then the group limits.
        for (SpecificRecordBase record : records.subList(300 * 4, records.size())) {
            long at = Portfolio.eventTime(record);
            assertThat(at).isGreaterThanOrEqualTo(previous);
            previous = at;
        }
        assertThat(records).filteredOn(r -> r instanceof BorrowerProfile).hasSize(300);
        // Each borrower's review on file, and its officer's reviews in the period: valid by the contract's own check.
        List<SpecificRecordBase> reviews = records.stream().filter(r -> r instanceof dev.kestrel.events.BorrowerReview).toList();
        assertThat(reviews).hasSizeGreaterThan(300);
        assertThat(reviews).allSatisfy(r -> assertThat(dev.kestrel.contract.EventValidator.problem(r, dev.kestrel.contract.RatingScale.LETTERS))
                .as(r.toString()).isNull());
    }

    @Test
    void theSameSeedGivesTheSameHistory() throws IOException {
        Path again = folder.resolve("again.jsonl");
        new Simulator(SimulatorOptions.parse("--out", again.toString(), "--borrowers", "300", "--days", "365",
                "--start", "2026-01-01", "--seed", "7"), null).run();
        assertThat(Files.readAllLines(again)).isEqualTo(Files.readAllLines(folder.resolve("history.jsonl")));
    }

    @Test
    void theGroundTruthIsWhatTheEventsShow() throws IOException {
        assertThat(summary.troubled()).isGreaterThan(10);
        assertThat(summary.defaults()).isGreaterThan(3);
        Map<String, Set<String>> missedNeverPaid = new HashMap<>();
        Map<String, Set<String>> paid = new HashMap<>();
        Set<String> diverted = new HashSet<>();
        for (SpecificRecordBase record : records) {
            if (record instanceof RepaymentEvent step && step.getKind() == RepaymentKind.MISSED) {
                missedNeverPaid.computeIfAbsent(step.getBorrowerId(), b -> new HashSet<>()).add(step.getInstalmentId());
            } else if (record instanceof RepaymentEvent step && step.getKind() == RepaymentKind.PAID) {
                paid.computeIfAbsent(step.getBorrowerId(), b -> new HashSet<>()).add(step.getInstalmentId());
            } else if (record instanceof TransactionEvent t && t.getKind() == TransactionKind.TRANSFER
                    && t.getCounterpartyId().startsWith("NEW-")) {
                diverted.add(t.getBorrowerId());
            }
        }
        for (GroundTruth truth : summary.truth()) {
            if (truth.defaultDate() != null) {
                // The first instalment never paid is missed and never paid.
                String instalment = truth.firstMissedDue().toString();
                assertThat(missedNeverPaid.get(truth.borrowerId())).as(truth.borrowerId()).contains(instalment);
                assertThat(paid.getOrDefault(truth.borrowerId(), Set.of())).as(truth.borrowerId()).doesNotContain(instalment);
                // Counted from the first day of unbroken arrears, which an earlier late instalment may have begun.
                assertThat(truth.defaultDate()).isAfter(truth.firstMissedDue().plusDays(60))
                        .isBeforeOrEqualTo(truth.firstMissedDue().plusDays(91));
                assertThat(truth.defaultDate()).isBefore(LocalDate.parse("2027-01-01"));
            }
            if (truth.path() == RiskPath.DIVERSION) {
                assertThat(diverted).contains(truth.borrowerId());
            }
            if (truth.path() == RiskPath.CONTAGION) {
                assertThat(truth.groupId()).isNotNull();
                assertThat(truth.defaultDate()).isNull();
            }
        }
        List<String> outcomes = Files.readAllLines(folder.resolve("outcomes.csv"));
        assertThat(outcomes.get(0)).isEqualTo("borrowerId,defaultDate");
        assertThat(outcomes).hasSize(summary.defaults() + 1);
        assertThat(Files.readAllLines(folder.resolve("truth.jsonl"))).hasSize(summary.troubled());
    }

    @Test
    void badOptionsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> SimulatorOptions.parse("--borrowers", "10")).hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> SimulatorOptions.parse("--out", "x", "--borrowers", "0")).hasMessageContaining("1 or more");
        assertThatThrownBy(() -> SimulatorOptions.parse("--out", "x", "--colour", "red")).hasMessageContaining("unknown options");
        assertThatThrownBy(() -> SimulatorOptions.parse("--out", "x", "--topic.trades", "t")).hasMessageContaining("known:");
        assertThatThrownBy(() -> SimulatorOptions.parse("--out", "x", "--deteriorating", "2")).hasMessageContaining("share");
    }
}
