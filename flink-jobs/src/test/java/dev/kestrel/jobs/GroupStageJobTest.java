package dev.kestrel.jobs;

import static dev.kestrel.jobs.Events.yuan;
import static dev.kestrel.jobs.PipelineHarness.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.GroupRiskSnapshot;
import dev.kestrel.events.LimitRecommendation;
import dev.kestrel.jobs.config.EngineConfig;
import dev.kestrel.jobs.limits.LimitRecommender;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group stage in the whole job, on the MiniCluster (RocksDB, checkpoints) with the in-process broker and the
 * shipped rule pack: a group limit breached by drawings spread over members, a member moving group with its
 * exposure, and a member going non-performing so that contagion reaches the others; read back read_committed from
 * the alert, group snapshot and limit recommendation topics.
 */
class GroupStageJobTest {
    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = PipelineHarness.miniCluster();
    private static final Duration PATIENCE = Duration.ofSeconds(180);

    @RegisterExtension
    static final KafkaBroker KAFKA = new KafkaBroker();

    private static String describe(Alert alert) {
        return (alert.getScope() == AlertScope.GROUP ? alert.getGroupId() : alert.getBorrowerId()) + " " + alert.getRuleId()
                + " " + alert.getLifecycle() + " " + alert.getSeverity();
    }

    private static <T extends SpecificRecordBase> List<T> awaitRecords(String topic, Class<T> type, Predicate<List<T>> done) {
        return PipelineHarness.awaitRecords(KAFKA.broker(), topic, type, PATIENCE, done);
    }

    private static Predicate<List<Alert>> containing(String... changes) {
        return alerts -> alerts.stream().map(GroupStageJobTest::describe).toList().containsAll(List.of(changes));
    }

    private static Map<String, GroupRiskSnapshot> latestByGroup(List<GroupRiskSnapshot> snapshots) {
        Map<String, GroupRiskSnapshot> latest = new LinkedHashMap<>();
        snapshots.forEach(s -> latest.put(s.getGroupId(), s));
        return latest;
    }

    @Test
    void breachesAGroupLimitMovesAMemberWithItsExposureAndSpreadsContagion(@TempDir Path checkpoints) throws Exception {
        EngineConfig config = PipelineHarness.configFor(KAFKA.broker(), checkpoints);
        String limits = config.get(EngineConfig.GROUP_LIMITS_TOPIC);
        String profiles = config.get(EngineConfig.PROFILES_TOPIC);
        String tx = config.get(EngineConfig.TRANSACTIONS_TOPIC);
        String rp = config.get(EngineConfig.REPAYMENTS_TOPIC);
        String alertsTopic = config.get(EngineConfig.ALERTS_TOPIC);
        String groupSnapshots = config.get(EngineConfig.GROUP_SNAPSHOTS_TOPIC);
        JobClient job = PipelineHarness.startJob(config);
        try {
            // Master data first, so the drawings below find their facilities.
            KAFKA.broker().send(limits, List.of(record(limits, "G-1", Events.groupLimit("G-1", 0, 10_000_000)),
                    record(limits, "G-2", Events.groupLimit("G-2", 0, 50_000_000))));
            KAFKA.broker().send(profiles, PipelineHarness.bookProfiles(config));
            KAFKA.broker().send(profiles, List.of(
                    record(profiles, "B-1", Events.profile("B-1", "G-1", 0, 6_000_000, 3_000_000)),
                    record(profiles, "B-2", Events.profile("B-2", "G-1", 0, 6_000_000, 3_000_000)),
                    record(profiles, "B-3", Events.profile("B-3", "G-1", 0, 6_000_000, 1_000_000)),
                    record(profiles, "B-4", Events.profile("B-4", "G-2", 0, 6_000_000, 1_000_000))));
            // The group stage applies members' changes once event time has passed them (in one order whatever the
            // order they arrive in): the book moves on to day 1.
            KAFKA.broker().send(tx, PipelineHarness.bookReaches(config, tx, 1));
            awaitRecords(groupSnapshots, GroupRiskSnapshot.class, s -> {
                Map<String, GroupRiskSnapshot> latest = latestByGroup(s);
                return latest.containsKey("G-1") && latest.get("G-1").getMembers().size() == 3 && latest.containsKey("G-2")
                        && latest.get("G-2").getMembers().size() == 1 && latest.get("G-1").getLimitMinor() != null;
            });

            // Drawings spread over two members take the group to 90%, then past its limit.
            KAFKA.broker().send(rp, List.of(record(rp, "B-3", Events.scheduled("B-3", "F-B-3", "01", 0, 10, 100_000))));
            KAFKA.broker().send(tx, List.of(record(tx, "B-1", Events.disbursement("B-1", 5, "F-B-1", 2_000_000)),
                    record(tx, "B-2", Events.disbursement("B-2", 6, "F-B-2", 1_500_000))));
            KAFKA.broker().send(tx, PipelineHarness.bookReaches(config, tx, 7));
            List<Alert> breach = awaitRecords(alertsTopic, Alert.class,
                    containing("G-1 GRP-LIMIT-NEAR OPENED MEDIUM", "G-1 GRP-LIMIT-BREACH OPENED HIGH"));
            assertThat(breach).extracting(GroupStageJobTest::describe)
                    .contains("G-1 GRP-LIMIT-NEAR OPENED MEDIUM", "G-1 GRP-LIMIT-BREACH OPENED HIGH");

            // B-2 moves to G-2 and takes its CNY 4,500,000.00 with it: G-1 falls to 60% of its limit. Dated on B-2's
            // day, which event time has passed: the borrower and group stages apply it at once.
            KAFKA.broker().send(profiles, List.of(record(profiles, "B-2", Events.profile("B-2", "G-2", 6, 6_000_000, 4_500_000))));
            List<Alert> moved = awaitRecords(alertsTopic, Alert.class,
                    containing("G-1 GRP-LIMIT-NEAR CLOSED MEDIUM", "G-1 GRP-LIMIT-BREACH CLOSED HIGH"));
            assertThat(moved).extracting(GroupStageJobTest::describe)
                    .contains("G-1 GRP-LIMIT-NEAR CLOSED MEDIUM", "G-1 GRP-LIMIT-BREACH CLOSED HIGH");
            Map<String, GroupRiskSnapshot> afterMove = latestByGroup(awaitRecords(groupSnapshots, GroupRiskSnapshot.class,
                    s -> latestByGroup(s).get("G-2").getMembers().size() == 2 && latestByGroup(s).get("G-1").getMembers().size() == 2));
            assertThat(afterMove.get("G-1").getDrawnMinor()).isEqualTo(yuan(5_000_000 + 1_000_000));
            assertThat(afterMove.get("G-1").getMembers()).extracting(m -> m.getBorrowerId()).containsExactly("B-1", "B-3");
            assertThat(afterMove.get("G-2").getDrawnMinor()).isEqualTo(yuan(1_000_000 + 4_500_000));
            assertThat(afterMove.get("G-2").getMembers()).extracting(m -> m.getBorrowerId()).containsExactly("B-2", "B-4");

            // Time passes: the book reaches day 102. B-3's unpaid instalment is 91 days past due on day 101, and it is
            // non-performing.
            KAFKA.broker().send(tx, PipelineHarness.bookReaches(config, tx, 102));
            List<Alert> contagion = awaitRecords(alertsTopic, Alert.class,
                    containing("G-1 GRP-CONTAGION OPENED HIGH", "B-1 GRP-CONTAGION OPENED HIGH"));
            List<String> described = contagion.stream().map(GroupStageJobTest::describe).toList();
            assertThat(described).contains("G-1 GRP-CONTAGION OPENED HIGH", "B-1 GRP-CONTAGION OPENED HIGH",
                    "B-3 CLASS-STATUS ESCALATED CRITICAL");
            assertThat(described).as("B-2 left before B-3 went bad; G-2 is not at risk")
                    .noneMatch(d -> d.startsWith("B-2 GRP-") || d.startsWith("B-4 GRP-") || d.startsWith("G-2 "));
            Alert onB1 = contagion.stream().filter(a -> describe(a).equals("B-1 GRP-CONTAGION OPENED HIGH")).findFirst().orElseThrow();
            assertThat(onB1.getGroupId()).isEqualTo("G-1");
            assertThat(onB1.getExplanation().getSummary()).contains("B-3 (SUBSTANDARD, 91 days past due");
            assertThat(described).as("each episode change once").doesNotHaveDuplicates();

            List<LimitRecommendation> recommendations = awaitRecords(config.get(EngineConfig.RECOMMENDATIONS_TOPIC),
                    LimitRecommendation.class, r -> r.stream().anyMatch(x -> "B-1".equals(x.getBorrowerId())));
            assertThat(recommendations).extracting(GroupStageJobTest::subjectAndAction)
                    .contains("GROUP:G-1 REDUCE_LIMIT", "GROUP:G-1 WITHDRAWN", "BORROWER:B-1 REDUCE_LIMIT");
        } finally {
            job.cancel().get();
        }
    }

    /** "subject action", the shape the recommendation assertions compare. */
    private static String subjectAndAction(LimitRecommendation recommendation) {
        return LimitRecommender.subjectOf(recommendation) + " " + recommendation.getAction();
    }
}
