package dev.kestrel.jobs;

import static dev.kestrel.jobs.Events.at;
import static dev.kestrel.jobs.Events.yuan;
import static dev.kestrel.jobs.PipelineHarness.rawRecord;
import static dev.kestrel.jobs.PipelineHarness.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.events.Alert;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.contract.SchemaRegistry;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.registry.LocalRegistry;
import org.apache.avro.Schema;
import java.util.stream.Collectors;
import java.time.LocalDate;
import dev.kestrel.events.TransactionEvent;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.contract.Samples;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.Clause;
import dev.kestrel.events.ClauseGroup;
import dev.kestrel.events.Comparison;
import dev.kestrel.events.CreditEventKind;
import dev.kestrel.events.DeadLetter;
import dev.kestrel.events.DeadLetterReason;
import dev.kestrel.events.Direction;
import dev.kestrel.events.RiskSegment;
import dev.kestrel.events.Rule;
import dev.kestrel.events.RuleCondition;
import dev.kestrel.events.RuleVersionStatus;
import dev.kestrel.events.VersionSource;
import dev.kestrel.events.VersionStatus;
import dev.kestrel.events.Severity;
import dev.kestrel.jobs.config.EngineConfig;
import dev.kestrel.jobs.risk.AlertIds;
import dev.kestrel.jobs.rules.RuleBook;
import dev.kestrel.contract.TestSigningKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole early-warning job against a real Kafka broker on Flink's MiniCluster (RocksDB, checkpoints every 500 ms,
 * parallelism 2, the shipped rule pack), with alerts read the way the API reads them: read_committed.
 */
class EarlyWarningJobTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = PipelineHarness.miniCluster();
    @TempDir
    static Path registryWork;
    /** A real schema registry, booting while the tests before the one that uses it run. */
    private static LocalRegistry registry;

    @BeforeAll
    static void launchRegistry() throws java.io.IOException {
        registry = LocalRegistry.launch(registryWork);
    }

    @AfterAll
    static void stopRegistry() throws InterruptedException {
        registry.close();
    }

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    /** "borrower rule lifecycle severity", the shape the assertions compare. */
    private static String describe(Alert alert) {
        return alert.getBorrowerId() + " " + alert.getRuleId() + " " + alert.getLifecycle() + " " + alert.getSeverity();
    }

    @Test
    void raisesExactlyTheExpectedAlertsDeadLettersAndSnapshotsForAScriptedPortfolio(@TempDir Path checkpoints) throws Exception {
        EngineConfig config = PipelineHarness.configFor(KAFKA.broker(), checkpoints);
        String tx = config.get(EngineConfig.TRANSACTIONS_TOPIC);
        String rp = config.get(EngineConfig.REPAYMENTS_TOPIC);
        String ce = config.get(EngineConfig.CREDIT_EVENTS_TOPIC);
        String profiles = config.get(EngineConfig.PROFILES_TOPIC);
        KAFKA.broker().send(profiles, PipelineHarness.profiles(config, List.of("A", "B", "C", "D", "E"), 0));
        KAFKA.broker().send(profiles, PipelineHarness.bookProfiles(config));
        KAFKA.broker().send(tx, List.of(
                // D's account is fed to the engine, so its means are known and its instalment is checked against them.
                record(tx, "D", Events.transaction("D", 0, Direction.CREDIT, 1_000).setBalanceAfterMinor(yuan(1_000)).build()),
                record(tx, "A", Events.transaction("A", 1, Direction.DEBIT, 100).setBalanceAfterMinor(yuan(-5_000)).build()),
                record(tx, "A", Events.transaction("A", 2, Direction.CREDIT, 6_000).setBalanceAfterMinor(yuan(1_000)).build())));
        KAFKA.broker().send(rp, List.of(record(rp, "D", Events.scheduled("D", "F-D", "01", 0, 5, 100_000))));
        KAFKA.broker().send(ce, List.of(
                record(ce, "B", Events.credit("B", 3, CreditEventKind.LAWSUIT)),
                record(ce, "C", Events.ratingChange("C", 3, "A", "BBB+")),
                record(ce, "B", Events.credit("B", 4, CreditEventKind.ENFORCEMENT)),
                rawRecord(ce, "X", "not an event".getBytes(StandardCharsets.UTF_8))));

        JobClient job = PipelineHarness.startJob(config);
        try {
            // B's enforcement on day 4 waits: no other input has reached day 4, so B's events of day 3 on other topics
            // might still come (see EventsAhead).
            assertThat(PipelineHarness.readCommitted(KAFKA.broker(), config.get(EngineConfig.ALERTS_TOPIC), 5, Alert.class))
                    .extracting(EarlyWarningJobTest::describe).doesNotContain("B BUREAU-LITIGATION ESCALATED HIGH").hasSize(5);
            // Time passes: the rest of the book reaches day 10, after the other topics fell idle, and the day-change
            // timers of days 6 to 10 fire.
            List<ProducerRecord<byte[], byte[]>> restOfTheBook = PipelineHarness.bookReaches(config, tx, 10);
            KAFKA.broker().send(tx, restOfTheBook);
            List<Alert> alerts = PipelineHarness.readCommitted(KAFKA.broker(), config.get(EngineConfig.ALERTS_TOPIC), 8, Alert.class);
            List<DeadLetter> deadLetters = PipelineHarness.readCommitted(KAFKA.broker(), config.get(EngineConfig.DEAD_LETTERS_TOPIC), 1, DeadLetter.class);
            List<BorrowerRiskSnapshot> snapshots = PipelineHarness.readCommitted(KAFKA.broker(), config.get(EngineConfig.SNAPSHOTS_TOPIC),
                    5 + restOfTheBook.size(), BorrowerRiskSnapshot.class);

            assertThat(alerts).extracting(EarlyWarningJobTest::describe).containsExactlyInAnyOrder(
                    "A CF-NEGATIVE-BALANCE OPENED LOW",
                    "A CF-NEGATIVE-BALANCE CLOSED LOW",
                    "B BUREAU-LITIGATION OPENED MEDIUM",
                    "B BUREAU-LITIGATION ESCALATED HIGH",
                    // A court enforcing against B's assets, beside the lawsuit: 60 + 25 points over the base 200, past
                    // AMBER's 270 (docs/scorecard.md): the one watch-list alert names both.
                    "B WATCH-LIST OPENED MEDIUM",
                    "C BUREAU-DOWNGRADE OPENED MEDIUM",
                    "D REPAY-REMINDER OPENED INFO",
                    "D REPAY-REMINDER CLOSED INFO",
                    "D REPAY-ARREARS OPENED LOW");
            Alert arrears = alerts.stream().filter(a -> a.getRuleId().equals("REPAY-ARREARS")).findFirst().orElseThrow();
            assertThat(arrears.getEventTime()).as("raised when day 6 began").isEqualTo(java.time.Instant.parse("2026-01-07T00:00:00Z"));
            assertThat(arrears.getExplanation().getSummary()).startsWith("Material arrears: materialDaysPastDue 1 day > 0 days");

            assertThat(deadLetters).singleElement().satisfies(d -> {
                assertThat(d.getReasonCode()).isEqualTo(DeadLetterReason.UNDECODABLE);
                assertThat(d.getSourceTopic()).isEqualTo(ce);
            });

            Map<String, BorrowerRiskSnapshot> latest = new LinkedHashMap<>();
            snapshots.forEach(s -> latest.put(s.getBorrowerId(), s));
            assertThat(latest.keySet()).as("E, with a profile and nothing else, has its first snapshot too")
                    .filteredOn(b -> !b.startsWith("BOOK-")).containsExactlyInAnyOrder("A", "B", "C", "D", "E");
            assertThat(latest.get("D").getDaysPastDue()).isEqualTo(5);
            // Five days late is a slip the score counts (+20), not the watch list: D stays GREEN, QUALITY (docs/scorecard.md).
            assertThat(latest.get("D").getSegment()).isEqualTo(RiskSegment.QUALITY);
            assertThat(latest.get("B").getSegment()).isEqualTo(RiskSegment.RISK_WATCH);
            assertThat(latest.get("B").getOpenAlerts()).extracting(o -> o.getRuleId() + " " + o.getSeverity())
                    .containsExactly("BUREAU-LITIGATION HIGH", "WATCH-LIST MEDIUM");
            assertThat(latest.values()).filteredOn(s -> s.getBorrowerId().startsWith("BOOK-")).hasSize(restOfTheBook.size())
                    .allSatisfy(s -> assertThat(s.getOpenAlerts()).isEmpty());
        } finally {
            PipelineHarness.cancelAndAwait(job);
        }
    }

    @Test
    void appliesARulePublishedMidStreamWithoutRestart(@TempDir Path checkpoints) throws Exception {
        EngineConfig config = PipelineHarness.configFor(KAFKA.broker(), checkpoints);
        String tx = config.get(EngineConfig.TRANSACTIONS_TOPIC);
        String rules = config.get(EngineConfig.RULES_TOPIC);
        String alertsTopic = config.get(EngineConfig.ALERTS_TOPIC);
        String profiles = config.get(EngineConfig.PROFILES_TOPIC);
        JobClient job = PipelineHarness.startJob(config);
        try {
            KAFKA.broker().send(profiles, List.of(record(profiles, "R", Events.bareProfile("R", 0)),
                    record(profiles, "S", Events.bareProfile("S", 0))));
            PipelineHarness.awaitKnown(KAFKA.broker(), config, 2);
            KAFKA.broker().send(tx, List.of(record(tx, "R", Events.transaction("R", 1, Direction.CREDIT, 50_000).setBalanceAfterMinor(yuan(50_000)).build())));
            KAFKA.broker().send(tx, List.of(record(tx, "S", Events.transaction("S", 1, Direction.DEBIT, 10).setBalanceAfterMinor(yuan(-1)).build())));
            assertThat(PipelineHarness.readCommitted(KAFKA.broker(), alertsTopic, 1, Alert.class))
                    .as("the job is running and R raised nothing").extracting(Alert::getBorrowerId).containsExactly("S");

            Rule lowBalance = Rule.newBuilder(RuleBook.load("classpath:rules/default-rules.jsonl").get("CF-NEGATIVE-BALANCE").source())
                    .setRuleId("DESK-LOW-BALANCE").setVersion(1).setTitle("Balance below 100,000.00")
                    .setCondition(RuleCondition.newBuilder().setAnyOf(List.of(ClauseGroup.newBuilder().setAllOf(List.of(
                            Clause.newBuilder().setIndicator("balance").setComparison(Comparison.LT).setThreshold(yuan(100_000))
                                    .setClearThreshold(null).build())).build())).build())
                    .build();
            KAFKA.broker().send(rules, List.of(record(rules, "DESK-LOW-BALANCE", TestSigningKeys.SIGNER.sign(lowBalance))));
            // The rule and R's next event travel on different topics, so the event may overtake the rule; R keeps
            // paying until one of its events meets the rule. The episode opens once, whichever event that is.
            List<Alert> alerts = List.of();
            for (int day = 2; day <= 20 && alerts.size() < 2; day++) {
                KAFKA.broker().send(tx, List.of(record(tx, "R", Events.transaction("R", day, Direction.DEBIT, 1_000)
                        .setBalanceAfterMinor(yuan(50_000 - 1_000L * day)).build())));
                alerts = PipelineHarness.readCommitted(KAFKA.broker(), alertsTopic, 2, Alert.class, java.time.Duration.ofSeconds(3));
            }
            assertThat(alerts).extracting(EarlyWarningJobTest::describe)
                    .containsExactlyInAnyOrder("S CF-NEGATIVE-BALANCE OPENED LOW", "R DESK-LOW-BALANCE OPENED LOW");

            // The desk learns from the job, not from what the API sent, which versions run: the pack it started with,
            // and the published rule from its publishedAt.
            List<RuleVersionStatus> versions = PipelineHarness.awaitRecords(KAFKA.broker(), config.get(EngineConfig.RULE_VERSIONS_TOPIC),
                    RuleVersionStatus.class, java.time.Duration.ofSeconds(60),
                    reports -> reports.stream().anyMatch(r -> r.getId().equals("DESK-LOW-BALANCE")));
            assertThat(versions).filteredOn(r -> r.getId().equals("DESK-LOW-BALANCE")).singleElement().satisfies(report -> {
                assertThat(report.getStatus()).isEqualTo(VersionStatus.IN_FORCE);
                assertThat(report.getSource()).isEqualTo(VersionSource.PUBLISHED);
                assertThat(report.getInForceFrom()).isEqualTo(lowBalance.getPublishedAt());
            });
            assertThat(versions).filteredOn(r -> r.getId().equals("CF-NEGATIVE-BALANCE")).singleElement()
                    .satisfies(report -> assertThat(report.getSource()).isEqualTo(VersionSource.PACK));
        } finally {
            PipelineHarness.cancelAndAwait(job);
        }
    }

    /**
     * A job started without its state under the consumer group of the one before it (a lost checkpoint, an upgrade that
     * did not take a savepoint) still holds what the desk published: it reads the rules source again from its start,
     * whatever offsets the group committed, while its events resume where the group left off.
     */
    @Test
    void aJobStartedWithoutItsStateUnderItsOldGroupHoldsThePublishedRulesAgain(@TempDir Path checkpoints) throws Exception {
        EngineConfig config = PipelineHarness.configFor(KAFKA.broker(), checkpoints);
        String tx = config.get(EngineConfig.TRANSACTIONS_TOPIC);
        String rules = config.get(EngineConfig.RULES_TOPIC);
        String profiles = config.get(EngineConfig.PROFILES_TOPIC);
        String versions = config.get(EngineConfig.RULE_VERSIONS_TOPIC);
        Rule lowBalance = Rule.newBuilder(RuleBook.load("classpath:rules/default-rules.jsonl").get("CF-NEGATIVE-BALANCE").source())
                .setRuleId("DESK-LOW-BALANCE").setVersion(1).setTitle("Balance below 100,000.00").build();
        Predicate<RuleVersionStatus> deskRuleInForce = r -> r.getId().equals("DESK-LOW-BALANCE") && r.getStatus() == VersionStatus.IN_FORCE;

        JobClient first = PipelineHarness.startJob(config);
        try {
            KAFKA.broker().send(profiles, List.of(record(profiles, "R", Events.bareProfile("R", 0))));
            PipelineHarness.awaitKnown(KAFKA.broker(), config, 1);
            KAFKA.broker().send(rules, List.of(record(rules, "DESK-LOW-BALANCE", TestSigningKeys.SIGNER.sign(lowBalance))));
            assertThat(PipelineHarness.awaitRecords(KAFKA.broker(), versions, RuleVersionStatus.class, Duration.ofSeconds(60),
                    reports -> reports.stream().anyMatch(deskRuleInForce))).as("the first job took the rule").anyMatch(deskRuleInForce);
            awaitCommitted(config.get(EngineConfig.CONSUMER_GROUP), rules, 1);
        } finally {
            PipelineHarness.cancelAndAwait(first);
        }

        JobClient second = PipelineHarness.startJob(config); // the same group, no checkpoint restored
        try {
            KAFKA.broker().send(tx, List.of(record(tx, "R", Events.transaction("R", 1, Direction.CREDIT, 50_000)
                    .setBalanceAfterMinor(yuan(50_000)).build())));
            List<RuleVersionStatus> reports = PipelineHarness.awaitRecords(KAFKA.broker(), versions, RuleVersionStatus.class,
                    Duration.ofSeconds(60), all -> all.stream().filter(deskRuleInForce).count() >= 2);
            assertThat(reports).filteredOn(deskRuleInForce).as("the second job reports the published rule in force too").hasSize(2);
        } finally {
            PipelineHarness.cancelAndAwait(second);
        }
    }

    /** Waits until the group has committed at least this many records of the topic (Flink commits at each checkpoint). */
    private static void awaitCommitted(String group, String topic, long records) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", KAFKA.broker().bootstrapServers()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long committed = 0;
            while (System.nanoTime() < deadline) {
                committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                        .filter(e -> e.getKey().topic().equals(topic) && e.getValue() != null)
                        .mapToLong(e -> e.getValue().offset()).sum();
                if (committed >= records) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new AssertionError("group " + group + " committed " + committed + " records of " + topic + ", not " + records);
        }
    }

    /**
     * A review reaches the engine through its topic only with the desk's signature: the officer's review restarts the
     * schedule; one written by anyone else, which would put the next review off, is dead-lettered and changes nothing.
     * The review not done by its date raises REVIEW-OVERDUE the day after, and the next review closes it.
     */
    @Test
    void aSignedReviewOnItsTopicSetsTheScheduleAndAnUnsignedOneIsDeadLettered(@TempDir Path checkpoints) throws Exception {
        EngineConfig config = PipelineHarness.configFor(KAFKA.broker(), checkpoints);
        String profiles = config.get(EngineConfig.PROFILES_TOPIC);
        String reviews = config.get(EngineConfig.REVIEWS_TOPIC);
        String tx = config.get(EngineConfig.TRANSACTIONS_TOPIC);
        String alertsTopic = config.get(EngineConfig.ALERTS_TOPIC);
        JobClient job = PipelineHarness.startJob(config);
        try {
            KAFKA.broker().send(profiles, List.of(record(profiles, "V", Events.bareProfile("V", 0))));
            PipelineHarness.awaitKnown(KAFKA.broker(), config, 1);
            KAFKA.broker().send(reviews, List.of(
                    record(reviews, "V", TestSigningKeys.SIGNER.sign(Events.review("V", "RV-1", 1, 1, 10))),
                    record(reviews, "V", Events.review("V", "RV-FORGED", 1, 2, 300))));
            assertThat(PipelineHarness.readCommitted(KAFKA.broker(), config.get(EngineConfig.DEAD_LETTERS_TOPIC), 1, DeadLetter.class))
                    .singleElement().satisfies(refused -> {
                        assertThat(refused.getReasonCode()).isEqualTo(DeadLetterReason.UNSIGNED_REVIEW);
                        assertThat(refused.getRecordType()).isEqualTo("BorrowerReview");
                        assertThat(refused.getReason()).startsWith("RV-FORGED of borrower V is not taken: unsigned");
                    });
            PipelineHarness.awaitRecords(KAFKA.broker(), config.get(EngineConfig.SNAPSHOTS_TOPIC), BorrowerRiskSnapshot.class,
                    Duration.ofSeconds(60), snapshots -> snapshots.stream().anyMatch(s -> Events.date(10).equals(s.getReviewDueDate())));

            for (int day = 2; day <= 12; day++) { // V's account moves day by day
                KAFKA.broker().send(tx, List.of(record(tx, "V", Events.inflow("V", day, 1_000))));
            }
            List<Alert> overdue = awaitAlerts(alertsTopic, alerts -> alerts.stream().anyMatch(a -> a.getRuleId().equals("REVIEW-OVERDUE")));
            assertThat(overdue.stream().filter(a -> a.getRuleId().equals("REVIEW-OVERDUE"))).singleElement().satisfies(alert -> {
                assertThat(describe(alert)).isEqualTo("V REVIEW-OVERDUE OPENED LOW");
                assertThat(alert.getEventTime()).as("the day after the reviewer's date")
                        .isEqualTo(Events.date(11).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
                assertThat(alert.getExplanation().getSummary()).contains("Latest review RV-1", "(the reviewer's date)");
            });

            KAFKA.broker().send(reviews, List.of(record(reviews, "V", TestSigningKeys.SIGNER.sign(Events.review("V", "RV-2", 12, 12, -1)))));
            assertThat(awaitAlerts(alertsTopic, alerts -> alerts.stream().anyMatch(a -> a.getRuleId().equals("REVIEW-OVERDUE")
                    && a.getLifecycle() == dev.kestrel.events.AlertLifecycle.CLOSED)).stream()
                    .filter(a -> a.getRuleId().equals("REVIEW-OVERDUE")).map(EarlyWarningJobTest::describe))
                    .containsExactly("V REVIEW-OVERDUE OPENED LOW", "V REVIEW-OVERDUE CLOSED LOW");
        } finally {
            PipelineHarness.cancelAndAwait(job);
        }
    }

    @Test
    void losesAndDuplicatesNoAlertWhenTheTaskManagerDiesMidStream(@TempDir Path checkpoints, @InjectMiniCluster MiniCluster cluster)
            throws Exception {
        EngineConfig config = PipelineHarness.configFor(KAFKA.broker(), checkpoints);
        String tx = config.get(EngineConfig.TRANSACTIONS_TOPIC);
        String alertsTopic = config.get(EngineConfig.ALERTS_TOPIC);
        int borrowers = 400;
        JobClient job = PipelineHarness.startJob(config);
        try {
            List<ProducerRecord<byte[], byte[]>> masterData = new ArrayList<>(PipelineHarness.overdraftBorrowers(config, 0, borrowers / 2, 1));
            masterData.addAll(PipelineHarness.overdraftBorrowers(config, borrowers / 2, borrowers, 3));
            KAFKA.broker().send(config.get(EngineConfig.PROFILES_TOPIC), masterData);
            PipelineHarness.awaitKnown(KAFKA.broker(), config, borrowers);
            KAFKA.broker().send(tx, PipelineHarness.overdraftEpisodes(tx, 0, borrowers / 2, 1));
            assertThat(PipelineHarness.readCommitted(KAFKA.broker(), alertsTopic, 1, Alert.class)).isNotEmpty();

            // Later days: the first half moved the topic's event time to day 2, so day-1 events would now be late.
            KAFKA.broker().send(tx, PipelineHarness.overdraftEpisodes(tx, borrowers / 2, borrowers, 3));
            cluster.terminateTaskManager(0).get();
            cluster.startTaskManager();

            List<Alert> alerts = PipelineHarness.readCommitted(KAFKA.broker(), alertsTopic, 2 * borrowers, Alert.class);
            List<String> changes = alerts.stream().map(a -> a.getAlertId() + " " + a.getLifecycle()).toList();
            assertThat(new HashSet<>(changes)).as("no duplicates").hasSameSizeAs(changes);
            Set<String> expected = new HashSet<>(PipelineHarness.overdraftAlertChanges(0, borrowers / 2, 1));
            expected.addAll(PipelineHarness.overdraftAlertChanges(borrowers / 2, borrowers, 3));
            assertThat(new HashSet<>(changes)).isEqualTo(expected);
            assertThat(PipelineHarness.readCommitted(KAFKA.broker(), config.get(EngineConfig.DEAD_LETTERS_TOPIC), 0, DeadLetter.class)).isEmpty();
        } finally {
            PipelineHarness.cancelAndAwait(job);
        }
    }

    /**
     * The bank's side: the book is on 3 January. Twelve borrowers each owe an instalment due that day. Two other
     * borrowers' transactions arrive stamped 23 hours ahead, one on each partition (a producer writing local time as
     * UTC). The twelve's overdrafts later on 3 January are applied and alerted, none is refused as late, and none of
     * the twelve falls into arrears: 4 January has not begun for them.
     */
    @Test
    void twoBorrowersStampedHoursAheadDoNotRollTheRestOfTheBookIntoTheNextDay(@TempDir Path checkpoints) throws Exception {
        EngineConfig config = PipelineHarness.configFor(KAFKA.broker(), checkpoints);
        String tx = config.get(EngineConfig.TRANSACTIONS_TOPIC);
        String rp = config.get(EngineConfig.REPAYMENTS_TOPIC);
        String alertsTopic = config.get(EngineConfig.ALERTS_TOPIC);
        int dueDay = 2;
        List<String> onTime = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            onTime.add("P-" + i);
        }
        List<ProducerRecord<byte[], byte[]>> instalments = new ArrayList<>();
        List<ProducerRecord<byte[], byte[]>> morning = new ArrayList<>();
        for (int i = 0; i < onTime.size(); i++) {
            String borrower = onTime.get(i);
            instalments.add(record(rp, i % PipelineHarness.PARALLELISM, borrower, Events.scheduled(borrower, "F-" + borrower, "01", dueDay, dueDay, 100_000)));
            morning.add(record(tx, i % PipelineHarness.PARALLELISM, borrower, Events.inflow(borrower, dueDay, 1_000)));
        }
        List<String> known = new ArrayList<>(onTime);
        known.addAll(List.of("X-1", "X-2"));
        KAFKA.broker().send(config.get(EngineConfig.PROFILES_TOPIC), PipelineHarness.profiles(config, known, 0));
        KAFKA.broker().send(rp, instalments);
        KAFKA.broker().send(tx, morning);

        JobClient job = PipelineHarness.startJob(config);
        try {
            Instant ahead = Events.at(dueDay).plus(Duration.ofHours(23));
            KAFKA.broker().send(tx, List.of(
                    record(tx, 0, "X-1", Events.transaction("X-1", dueDay, Direction.DEBIT, 100).setBalanceAfterMinor(yuan(-100))
                            .setEventTime(ahead).build()),
                    record(tx, 1, "X-2", Events.transaction("X-2", dueDay, Direction.DEBIT, 100).setBalanceAfterMinor(yuan(-100))
                            .setEventTime(ahead).build())));
            // Periodic watermarks (every 200 ms) and idle partitions (1 s here) have had time to move event time,
            // were it to move. The two records are dated the next morning: they wait for their day (EventsAhead).
            Thread.sleep(3_000);

            Instant afternoon = Events.at(dueDay).plus(Duration.ofHours(5));
            List<ProducerRecord<byte[], byte[]>> overdrafts = new ArrayList<>();
            for (int i = 0; i < onTime.size(); i++) {
                String borrower = onTime.get(i);
                overdrafts.add(record(tx, i % PipelineHarness.PARALLELISM, borrower, Events.transaction(borrower, dueDay, Direction.DEBIT, 2_000)
                        .setBalanceAfterMinor(yuan(-1_000)).setEventTime(afternoon).build()));
            }
            KAFKA.broker().send(tx, overdrafts);

            List<Alert> alerts = awaitAlerts(alertsTopic, a -> a.stream()
                    .filter(x -> x.getRuleId().equals("CF-NEGATIVE-BALANCE") && onTime.contains(x.getBorrowerId())).count() == onTime.size());
            assertThat(PipelineHarness.readCommitted(KAFKA.broker(), config.get(EngineConfig.DEAD_LETTERS_TOPIC), 0, DeadLetter.class))
                    .as("nothing refused as late").extracting(DeadLetter::getReason).isEmpty();
            List<Alert> ofTheBook = alerts.stream().filter(a -> onTime.contains(a.getBorrowerId())).toList();
            assertThat(ofTheBook).filteredOn(a -> a.getRuleId().equals("CF-NEGATIVE-BALANCE"))
                    .as("every overdraft of 3 January applied, at its own time")
                    .extracting(a -> describe(a) + " " + a.getEventTime())
                    .containsExactlyInAnyOrderElementsOf(onTime.stream().map(b -> b + " CF-NEGATIVE-BALANCE OPENED LOW " + afternoon).toList());
            Instant fourthOfJanuary = Events.date(dueDay + 1).atStartOfDay(ZoneOffset.UTC).toInstant();
            assertThat(ofTheBook).extracting(Alert::getEventTime).as("nobody's 4 January begun: no arrears on the instalments due")
                    .allMatch(time -> time.isBefore(fourthOfJanuary));
            assertThat(alerts).filteredOn(a -> a.getBorrowerId().startsWith("X-"))
                    .as("the two records stamped the next morning wait for their day, which event time has not reached").isEmpty();
        } finally {
            PipelineHarness.cancelAndAwait(job);
        }
    }

    private static List<Alert> awaitAlerts(String topic, Predicate<List<Alert>> done) {
        return PipelineHarness.awaitRecords(KAFKA.broker(), topic, Alert.class, Duration.ofSeconds(60), done);
    }

    /** Bad input reaches the dead-letter topic with its reason and position, exactly once, and never fails the job. */
    @Test
    void routesEveryUnusableRecordToTheDeadLetterTopicWithItsReason(@TempDir Path checkpoints) throws Exception {
        EngineConfig config = PipelineHarness.configFor(KAFKA.broker(), checkpoints);
        String transactions = config.get(EngineConfig.TRANSACTIONS_TOPIC);
        String repayments = config.get(EngineConfig.REPAYMENTS_TOPIC);
        TransactionEvent valid = Samples.transaction();
        String profiles = config.get(EngineConfig.PROFILES_TOPIC);
        KAFKA.broker().send(profiles, List.of(record(profiles, "B-1001", Events.bareProfile("B-1001", 0))));
        KAFKA.broker().send(transactions, List.of(
                record(transactions, "B-1001", valid),
                rawRecord(transactions, "B-1002", "garbage".getBytes(StandardCharsets.UTF_8)),
                record(transactions, "B-1001", Samples.repayment()),
                record(transactions, "B-1003", TransactionEvent.newBuilder(valid).setBorrowerId(" ").build()),
                record(transactions, "B-1004", TransactionEvent.newBuilder(valid).setAmountMinor(-100L).build()),
                record(transactions, "B-1005", TransactionEvent.newBuilder(valid).setCurrency("XYZ").build())));
        KAFKA.broker().send(repayments, List.of(
                record(repayments, "B-1006", RepaymentEvent.newBuilder(Samples.repayment())
                        .setScheduleDate(LocalDate.parse("2026-04-01")).setDueDate(LocalDate.parse("2026-03-01")).build())));

        JobClient job = PipelineHarness.startJob(config);
        try {
            List<DeadLetter> deadLetters = PipelineHarness.readCommitted(KAFKA.broker(), config.get(EngineConfig.DEAD_LETTERS_TOPIC), 6, DeadLetter.class);

            Map<String, DeadLetter> byKey = deadLetters.stream().collect(Collectors.toMap(
                    d -> StandardCharsets.UTF_8.decode(d.getKey()).toString(), d -> d));
            assertThat(deadLetters).hasSize(6);
            assertThat(byKey.get("B-1002").getReasonCode()).isEqualTo(DeadLetterReason.UNDECODABLE);
            assertThat(byKey.get("B-1002").getPayload()).isEqualTo(java.nio.ByteBuffer.wrap("garbage".getBytes(StandardCharsets.UTF_8)));
            assertThat(byKey.get("B-1002").getSourceTopic()).isEqualTo(transactions);
            assertThat(byKey.get("B-1001").getReasonCode()).isEqualTo(DeadLetterReason.WRONG_TOPIC);
            assertThat(byKey.get("B-1001").getReason()).isEqualTo("RepaymentEvent does not belong on " + transactions + ", which carries TransactionEvent");
            assertThat(byKey.get("B-1003").getReason()).isEqualTo("missing borrowerId");
            assertThat(byKey.get("B-1004").getReason()).isEqualTo("amountMinor must be above 0, the direction gives the sign; got -100");
            assertThat(byKey.get("B-1005").getReason()).isEqualTo("currency: 'XYZ' is not an active ISO 4217 currency");
            assertThat(byKey.get("B-1006").getReason()).isEqualTo("dueDate 2026-03-01 is before scheduleDate 2026-04-01");
            assertThat(byKey.get("B-1006").getSourceTopic()).isEqualTo(repayments);
            assertThat(job.getJobStatus().get().isGloballyTerminalState()).isFalse();
        } finally {
            PipelineHarness.cancelAndAwait(job);
        }
    }

    /**
     * A bounded run (a backfill or a replay) reads what the topics hold when it starts, commits its alerts, and ends.
     * Here some upstream producers are on a schema registry (Apicurio, through its Confluent-compatible API) and send
     * its wire format: the engine reads it beside single-object encoding on the same topics, with the same verdicts, and
     * still accepts only the contract's released versions: a schema id the registry does not have, and a schema the
     * registry has but the contract does not, are dead-lettered, not read.
     */
    @Test
    void aBoundedRunReadsASchemaRegistrysWireFormatBesideSingleObjectEncodingAndOnlyTheContractsSchemas(@TempDir Path work)
            throws Exception {
        registry.awaitReady();
        EngineConfig config = PipelineHarness.configFor(KAFKA.broker(), work.resolve("checkpoints"))
                .with(EngineConfig.BOUNDED, "true")
                .with(EngineConfig.SCHEMA_REGISTRY, registry.confluentCompatibleUrl());
        String tx = config.get(EngineConfig.TRANSACTIONS_TOPIC);
        String profiles = config.get(EngineConfig.PROFILES_TOPIC);
        SchemaRegistry upstream = new SchemaRegistry(registry.confluentCompatibleUrl(), null);
        int profileId = upstream.register(profiles + "-value", BorrowerProfile.getClassSchema());
        int transactionId = upstream.register(tx + "-value", TransactionEvent.getClassSchema());
        // Borrowers O-0..O-5 come through the registry, O-6..O-9 in single-object encoding, on the same topics.
        KAFKA.broker().send(profiles, PipelineHarness.overdraftBorrowers(config, 0, 10, 1).stream()
                .map(r -> viaRegistryBelowSix(r, profileId)).toList());
        List<ProducerRecord<byte[], byte[]>> transactions = new ArrayList<>(PipelineHarness.overdraftEpisodes(tx, 0, 10, 1).stream()
                .map(r -> viaRegistryBelowSix(r, transactionId)).toList());
        Schema foreign = org.apache.avro.SchemaBuilder.record("TransactionEvent").namespace("dev.kestrel.events").fields()
                .requiredString("borrowerId").requiredLong("amountMinor").endRecord();
        int foreignId = upstream.register("another-teams-topic-value", foreign);
        transactions.add(rawRecord(tx, "X-FOREIGN", registryFormat(foreignId, new byte[] {6, 'X', '-', '1', 2})));
        transactions.add(rawRecord(tx, "X-UNREGISTERED", registryFormat(2_000_000_000, new byte[] {6, 'X', '-', '2', 2})));
        KAFKA.broker().send(tx, transactions);

        JobClient job = PipelineHarness.startJob(config);
        job.getJobExecutionResult().get(120, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(job.getJobStatus().get()).isEqualTo(org.apache.flink.api.common.JobStatus.FINISHED);
        List<Alert> alerts = PipelineHarness.readCommitted(KAFKA.broker(), config.get(EngineConfig.ALERTS_TOPIC), 20, Alert.class,
                Duration.ofSeconds(30));
        assertThat(alerts.stream().map(a -> a.getAlertId() + " " + a.getLifecycle()))
                .containsExactlyInAnyOrderElementsOf(PipelineHarness.overdraftAlertChanges(0, 10, 1));
        Map<String, DeadLetter> deadLetters = PipelineHarness.readCommitted(KAFKA.broker(), config.get(EngineConfig.DEAD_LETTERS_TOPIC),
                2, DeadLetter.class, Duration.ofSeconds(30)).stream()
                .collect(Collectors.toMap(d -> StandardCharsets.UTF_8.decode(d.getKey()).toString(), d -> d));
        assertThat(deadLetters).containsOnlyKeys("X-FOREIGN", "X-UNREGISTERED");
        assertThat(deadLetters.get("X-FOREIGN").getReasonCode()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
        assertThat(deadLetters.get("X-FOREIGN").getReason()).isEqualTo("schema id " + foreignId
                + " (dev.kestrel.events.TransactionEvent, fingerprint " + Long.toHexString(WireCodec.fingerprint(foreign))
                + ") is not a released version of any record in the contract");
        assertThat(deadLetters.get("X-UNREGISTERED").getReasonCode()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
        assertThat(deadLetters.get("X-UNREGISTERED").getReason()).isEqualTo("schema id 2000000000 is not registered in the schema registry");
    }

    private static ProducerRecord<byte[], byte[]> viaRegistryBelowSix(ProducerRecord<byte[], byte[]> record, int schemaId) {
        int borrower = Integer.parseInt(new String(record.key(), StandardCharsets.UTF_8).substring("O-".length()));
        return borrower < 6 ? PipelineHarness.registered(record, schemaId) : record;
    }

    private static byte[] registryFormat(int schemaId, byte[] body) {
        return java.nio.ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(schemaId).put(body).array();
    }
}
