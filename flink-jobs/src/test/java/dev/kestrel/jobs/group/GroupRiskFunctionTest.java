package dev.kestrel.jobs.group;

import static dev.kestrel.jobs.Events.at;
import static dev.kestrel.jobs.Events.groupLimit;
import static dev.kestrel.jobs.Events.yuan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertCategory;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.Clause;
import dev.kestrel.events.ClauseGroup;
import dev.kestrel.events.Comparison;
import dev.kestrel.events.GroupLimit;
import dev.kestrel.events.GroupRiskSnapshot;
import dev.kestrel.events.LoanCategory;
import dev.kestrel.events.Rule;
import dev.kestrel.events.RuleCondition;
import dev.kestrel.jobs.risk.AlertIds;
import dev.kestrel.jobs.rules.RuleBook;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The group stage under Flink's operator test harness with the shipped rule pack: limits, distress, contagion, moves. */
class GroupRiskFunctionTest {
    private static final String PACK = "classpath:rules/default-rules.jsonl";
    private GroupStages stages;

    @BeforeEach
    void open() throws Exception {
        stages = GroupStages.open(PACK);
    }

    @AfterEach
    void close() throws Exception {
        stages.close();
    }

    /** A member's status as the borrower stage would announce it. */
    static MemberStatus member(String borrowerId, String groupId, int day, long drawnYuan, int loanCategory, int daysPastDue) {
        MemberStatus status = new MemberStatus();
        status.borrowerId = borrowerId;
        status.groupId = groupId;
        status.eventTime = at(day).toEpochMilli();
        status.eventId = "E-" + borrowerId + "-" + day;
        status.eventType = "TransactionEvent";
        status.drawnMinor = yuan(drawnYuan);
        status.limitMinor = yuan(drawnYuan * 2);
        status.currency = "CNY";
        status.industry = "C";
        status.region = "CN-SH";
        status.loanCategory = loanCategory;
        status.daysPastDue = daysPastDue;
        return status;
    }

    static MemberStatus healthy(String borrowerId, String groupId, int day, long drawnYuan) {
        return member(borrowerId, groupId, day, drawnYuan, 1, 0);
    }

    static MemberStatus departure(String borrowerId, String groupId, int day) {
        MemberStatus status = healthy(borrowerId, groupId, day, 0);
        status.leftGroup = true;
        return status;
    }

    private List<Alert> groupAlerts() {
        List<Alert> alerts = stages.group.extractOutputValues();
        stages.group.getOutput().clear();
        return alerts;
    }

    private static String describe(Alert alert) {
        return (alert.getScope() == AlertScope.GROUP ? alert.getGroupId() : alert.getBorrowerId()) + " " + alert.getRuleId()
                + " " + alert.getLifecycle() + " " + alert.getSeverity();
    }

    private GroupRiskSnapshot latestSnapshotOf(String groupId) {
        List<GroupRiskSnapshot> snapshots = stages.groupSnapshots().stream().filter(s -> s.getGroupId().equals(groupId)).toList();
        return snapshots.get(snapshots.size() - 1);
    }

    @Test
    void raisesNearBreachThenBreachAsDrawingsSpreadOverMembersAndClosesWithHysteresis() throws Exception {
        stages.limit(groupLimit("G-1", 0, 10_000_000));
        stages.member(healthy("B-1", "G-1", 0, 5_000_000));
        stages.member(healthy("B-2", "G-1", 0, 3_000_000));
        List<Alert> at80 = groupAlerts();
        stages.member(healthy("B-2", "G-1", 2, 4_600_000));
        List<Alert> at96 = groupAlerts();
        stages.member(healthy("B-1", "G-1", 3, 6_000_000));
        List<Alert> at106 = groupAlerts();
        stages.member(healthy("B-1", "G-1", 9, 4_000_000));
        List<Alert> at86 = groupAlerts();

        assertThat(at80).isEmpty();
        assertThat(at96).extracting(GroupRiskFunctionTest::describe).containsExactly("G-1 GRP-LIMIT-NEAR OPENED MEDIUM");
        assertThat(at96.get(0).getExplanation().getSummary()).startsWith("Group limit nearly used: groupLimitUtilisation 96.00% >= 90.00% (was 80.00%).");
        assertThat(at96.get(0).getAlertId()).isEqualTo(AlertIds.of(AlertScope.GROUP, "G-1", "GRP-LIMIT-NEAR", at(2).toEpochMilli()));
        assertThat(at96.get(0).getExplanation().getTriggeringEvents()).extracting(e -> e.getEventId()).endsWith("E-B-2-2");
        assertThat(at106).extracting(GroupRiskFunctionTest::describe).containsExactly("G-1 GRP-LIMIT-BREACH OPENED HIGH");
        assertThat(at86).as("86% clears the breach, not the near breach (clear threshold 85%)")
                .extracting(GroupRiskFunctionTest::describe).containsExactly("G-1 GRP-LIMIT-BREACH CLOSED HIGH");
        GroupRiskSnapshot snapshot = latestSnapshotOf("G-1");
        assertThat(snapshot.getDrawnMinor()).isEqualTo(yuan(8_600_000));
        assertThat(snapshot.getUtilisationBasisPoints()).isEqualTo(8600L);
        assertThat(snapshot.getOpenAlerts()).extracting(a -> a.getRuleId()).containsExactly("GRP-LIMIT-NEAR");
    }

    /** Changes heard before event time passes them, in the given arrival order; then event time passes them all. */
    private static List<String> heardTogether(GroupEvent... arrivals) throws Exception {
        try (GroupStages fresh = GroupStages.open(PACK)) {
            fresh.limit(groupLimit("G-1", 0, 10_000_000));
            fresh.member(healthy("B-1", "G-1", 0, 5_000_000));
            fresh.member(healthy("B-2", "G-1", 0, 3_000_000));
            fresh.group.getOutput().clear();
            long latest = Long.MIN_VALUE;
            for (GroupEvent arrival : arrivals) {
                fresh.group.processElement(arrival, arrival.eventTimeMillis());
                latest = Math.max(latest, arrival.eventTimeMillis());
            }
            assertThat(fresh.group.extractOutputValues()).as("nothing before event time passes the changes").isEmpty();
            fresh.group.processWatermark(latest);
            return fresh.group.extractOutputValues().stream().map(a -> describe(a) + " " + a.getAlertId() + " "
                    + a.getExplanation().getSummary() + " " + a.getExplanation().getTriggeringEvents()).toList();
        }
    }

    @Test
    void aDrawingAndARepaymentOfTheSameMomentNeverShowTheGroupAtALevelItWasNotAt() throws Exception {
        // Day 2, same moment: B-1 draws up to 6,000,000 while B-2 repays down to 2,000,000. The group goes from 80% to
        // 80%; taken one after the other, the drawing alone would show 90% and open a near-limit alert for nothing.
        List<String> drawingFirst = heardTogether(GroupEvent.of(healthy("B-1", "G-1", 2, 6_000_000)),
                GroupEvent.of(healthy("B-2", "G-1", 2, 2_000_000)));
        List<String> repaymentFirst = heardTogether(GroupEvent.of(healthy("B-2", "G-1", 2, 2_000_000)),
                GroupEvent.of(healthy("B-1", "G-1", 2, 6_000_000)));

        assertThat(drawingFirst).isEmpty();
        assertThat(repaymentFirst).isEmpty();
    }

    @Test
    void twoDrawingsOfTheSameMomentRaiseOneAlertCitingBothWhicheverArrivesFirst() throws Exception {
        // Day 2, same moment: B-1 draws up to 6,000,000 and B-2 up to 3,500,000: 95% of the limit.
        List<String> b1First = heardTogether(GroupEvent.of(healthy("B-1", "G-1", 2, 6_000_000)),
                GroupEvent.of(healthy("B-2", "G-1", 2, 3_500_000)));
        List<String> b2First = heardTogether(GroupEvent.of(healthy("B-2", "G-1", 2, 3_500_000)),
                GroupEvent.of(healthy("B-1", "G-1", 2, 6_000_000)));

        assertThat(b1First).hasSize(1);
        assertThat(b1First.get(0)).startsWith("G-1 GRP-LIMIT-NEAR OPENED MEDIUM")
                .contains("groupLimitUtilisation 95.00% >= 90.00% (was 80.00%)").contains("E-B-1-2").contains("E-B-2-2");
        assertThat(b2First).as("the same alert, id, explanation and cited events whichever arrived first")
                .containsExactlyElementsOf(b1First);
    }

    @Test
    void aLimitRaisedAtTheMomentOfADrawingCoversItWhicheverArrivesFirst() throws Exception {
        // Day 2, same moment: the limit goes up to 20,000,000 and B-1 draws up to 8,000,000. The limit applies first:
        // 11,000,000 of 20,000,000 is 55%, no breach of the old limit is ever seen.
        List<String> limitFirst = heardTogether(GroupEvent.of(groupLimit("G-1", 2, 20_000_000)),
                GroupEvent.of(healthy("B-1", "G-1", 2, 8_000_000)));
        List<String> drawingFirst = heardTogether(GroupEvent.of(healthy("B-1", "G-1", 2, 8_000_000)),
                GroupEvent.of(groupLimit("G-1", 2, 20_000_000)));

        assertThat(limitFirst).isEmpty();
        assertThat(drawingFirst).isEmpty();
    }

    @Test
    void aChangeEventTimeHasAlreadyPassedIsAppliedAtOnce() throws Exception {
        stages.limit(groupLimit("G-1", 0, 10_000_000));
        stages.member(healthy("B-1", "G-1", 5, 5_000_000)); // event time now at day 5
        groupAlerts();
        stages.group.processElement(GroupEvent.of(healthy("B-2", "G-1", 3, 4_600_000)), at(3).toEpochMilli());

        assertThat(groupAlerts()).as("late: nothing later is held, so nothing waits for it")
                .extracting(GroupRiskFunctionTest::describe).containsExactly("G-1 GRP-LIMIT-NEAR OPENED MEDIUM");
    }

    @Test
    void aGroupLimitCutToZeroDoesNotClearTheNearLimitAlertWhileTheUtilisationCannotBeComputed() throws Exception {
        stages.limit(groupLimit("G-1", 0, 10_000_000));
        stages.member(healthy("B-1", "G-1", 0, 9_500_000));
        List<Alert> near = groupAlerts();
        stages.limit(groupLimit("G-1", 5, 0)); // drawn over a zero limit: no utilisation to compute
        List<Alert> zeroLimit = groupAlerts();
        stages.limit(groupLimit("G-1", 9, 20_000_000));
        List<Alert> raised = groupAlerts();

        assertThat(near).extracting(GroupRiskFunctionTest::describe).containsExactly("G-1 GRP-LIMIT-NEAR OPENED MEDIUM");
        assertThat(zeroLimit).as("an unknown utilisation is not a recovery").isEmpty();
        assertThat(raised).extracting(GroupRiskFunctionTest::describe).containsExactly("G-1 GRP-LIMIT-NEAR CLOSED MEDIUM");
        assertThat(raised.get(0).getExplanation().getSummary()).isEqualTo("Cleared: groupLimitUtilisation 47.50% no longer >= 85.00%.");
    }

    @Test
    void aNonPerformingMemberRaisesContagionOnTheGroupAndEveryOtherMemberUntilItCures() throws Exception {
        stages.limit(groupLimit("G-1", 0, 100_000_000));
        for (String member : List.of("B-1", "B-2", "B-3")) {
            stages.member(healthy(member, "G-1", 0, 1_000_000));
        }
        stages.member(member("B-2", "G-1", 101, 1_000_000, 3, 91));
        List<Alert> nonPerforming = groupAlerts();
        stages.member(healthy("B-4", "G-1", 102, 500_000));
        List<Alert> joined = groupAlerts();
        stages.member(departure("B-3", "G-1", 103));
        List<Alert> left = groupAlerts();
        stages.member(healthy("B-2", "G-1", 120, 1_000_000));
        List<Alert> cured = groupAlerts();

        assertThat(nonPerforming).extracting(GroupRiskFunctionTest::describe).containsExactlyInAnyOrder(
                "G-1 GRP-CONTAGION OPENED HIGH", "B-1 GRP-CONTAGION OPENED HIGH", "B-3 GRP-CONTAGION OPENED HIGH");
        Alert onMember = nonPerforming.stream().filter(a -> "B-1".equals(a.getBorrowerId())).findFirst().orElseThrow();
        assertThat(onMember.getScope()).isEqualTo(AlertScope.BORROWER);
        assertThat(onMember.getGroupId()).isEqualTo("G-1");
        assertThat(onMember.getCategory()).isEqualTo(AlertCategory.CONTAGION);
        assertThat(onMember.getAlertId()).isEqualTo(AlertIds.forBorrower("B-1", "GRP-CONTAGION", at(101).toEpochMilli()));
        assertThat(onMember.getExplanation().getSummary()).startsWith("Contagion risk: B-2 (SUBSTANDARD, 91 days past due) is "
                + "non-performing or critical in Group G-1 (G-1), which shares a limit of CNY 100,000,000.00, the group of B-1.");
        assertThat(joined).extracting(GroupRiskFunctionTest::describe).containsExactly("B-4 GRP-CONTAGION OPENED HIGH");
        assertThat(joined.get(0).getExplanation().getSummary()).as("B-2's arrears told as of the group's day 102, not its own day 101")
                .startsWith("Contagion risk: B-2 (SUBSTANDARD, 92 days past due) is ");
        assertThat(left).extracting(GroupRiskFunctionTest::describe).containsExactly("B-3 GRP-CONTAGION CLOSED HIGH");
        assertThat(cured).extracting(GroupRiskFunctionTest::describe).containsExactlyInAnyOrder(
                "G-1 GRP-CONTAGION CLOSED HIGH", "B-1 GRP-CONTAGION CLOSED HIGH", "B-4 GRP-CONTAGION CLOSED HIGH");
        assertThat(latestSnapshotOf("G-1").getMembers()).extracting(m -> m.getBorrowerId()).containsExactly("B-1", "B-2", "B-4");
        assertThat(latestSnapshotOf("G-1").getOpenAlerts()).isEmpty();
    }

    @Test
    void aMemberWhoseExposureWouldTakeTheGroupTotalBeyondALongIsLeftOutNotWrapped() throws Exception {
        MemberStatus huge = healthy("B-1", "G-1", 0, 0);
        huge.drawnMinor = Long.MAX_VALUE - 100;
        stages.member(huge);
        stages.member(healthy("B-2", "G-1", 1, 2)); // 200 minor units more would wrap to a negative total
        stages.member(healthy("B-3", "G-1", 2, 0));

        GroupRiskSnapshot snapshot = latestSnapshotOf("G-1");
        assertThat(snapshot.getDrawnMinor()).isEqualTo(Long.MAX_VALUE - 100);
        assertThat(snapshot.getMembers()).extracting(m -> m.getBorrowerId()).containsExactly("B-1", "B-3");
    }

    @Test
    void aMemberMovingGroupTakesItsExposureAndDistressWithIt() throws Exception {
        stages.limit(groupLimit("G-1", 0, 10_000_000));
        stages.limit(groupLimit("G-2", 0, 10_000_000));
        stages.member(healthy("B-1", "G-1", 0, 2_000_000));
        stages.member(member("B-2", "G-1", 0, 3_000_000, 2, 15));
        stages.member(departure("B-2", "G-1", 5));
        stages.member(member("B-2", "G-2", 5, 3_000_000, 2, 15));

        GroupRiskSnapshot from = latestSnapshotOf("G-1");
        GroupRiskSnapshot to = latestSnapshotOf("G-2");
        assertThat(from.getDrawnMinor()).isEqualTo(yuan(2_000_000));
        assertThat(from.getMembers()).extracting(m -> m.getBorrowerId()).containsExactly("B-1");
        assertThat(from.getDistressedMembers()).isZero();
        assertThat(from.getWorstLoanCategory()).isEqualTo(LoanCategory.NORMAL);
        assertThat(to.getDrawnMinor()).isEqualTo(yuan(3_000_000));
        assertThat(to.getMembers()).extracting(m -> m.getBorrowerId()).containsExactly("B-2");
        assertThat(to.getDistressedMembers()).isEqualTo(1);
        assertThat(to.getWorstLoanCategory()).isEqualTo(LoanCategory.SPECIAL_MENTION);
    }

    @Test
    void aLateOlderLimitIsIgnoredAndANewCurrencyRecountsTheMembers() throws Exception {
        stages.member(healthy("B-1", "G-1", 0, 2_000_000));
        MemberStatus inDollars = healthy("B-2", "G-1", 0, 1_000_000);
        inDollars.currency = "USD";
        stages.member(inDollars);
        stages.limit(groupLimit("G-1", 5, 10_000_000));
        stages.limit(groupLimit("G-1", 3, 1_000)); // approved earlier, arriving later
        GroupRiskSnapshot inYuan = latestSnapshotOf("G-1");
        stages.limit(GroupLimit.newBuilder(groupLimit("G-1", 6, 5_000_000)).setCurrency("USD").build());
        GroupRiskSnapshot inUsd = latestSnapshotOf("G-1");

        assertThat(inYuan.getLimitMinor()).isEqualTo(yuan(10_000_000));
        assertThat(inYuan.getDrawnMinor()).as("only CNY members count against a CNY limit").isEqualTo(yuan(2_000_000));
        assertThat(inUsd.getCurrency()).isEqualTo("USD");
        assertThat(inUsd.getDrawnMinor()).isEqualTo(yuan(1_000_000));
        assertThat(inUsd.getMembers()).hasSize(2);
    }

    @Test
    void keepsOpenEpisodesAndMembersAcrossARestore() throws Exception {
        stages.limit(groupLimit("G-1", 0, 100_000_000));
        stages.member(healthy("B-1", "G-1", 0, 1_000_000));
        stages.member(member("B-2", "G-1", 101, 1_000_000, 3, 91));
        assertThat(groupAlerts()).hasSize(2);
        OperatorSubtaskState snapshot = stages.group.snapshot(1L, at(101).toEpochMilli());
        stages.close();

        stages = GroupStages.restored(PACK, snapshot);
        stages.member(healthy("B-2", "G-1", 130, 1_000_000));

        assertThat(groupAlerts()).extracting(GroupRiskFunctionTest::describe).containsExactlyInAnyOrder(
                "G-1 GRP-CONTAGION CLOSED HIGH", "B-1 GRP-CONTAGION CLOSED HIGH");
    }

    @Test
    void appliesAGroupRulePublishedAtRunTimeFromTheNextChange() throws Exception {
        stages.limit(groupLimit("G-1", 0, 10_000_000));
        stages.member(healthy("B-1", "G-1", 0, 7_000_000));
        assertThat(groupAlerts()).isEmpty();
        Rule stricter = Rule.newBuilder(RuleBook.load(PACK).get("GRP-LIMIT-NEAR").source()).setVersion(2)
                .setCondition(RuleCondition.newBuilder().setAnyOf(List.of(ClauseGroup.newBuilder().setAllOf(List.of(
                        Clause.newBuilder().setIndicator("groupLimitUtilisation").setComparison(Comparison.GE).setThreshold(7000)
                                .setClearThreshold(null).build())).build())).build())
                .build();
        stages.rule(stricter);
        stages.member(healthy("B-1", "G-1", 1, 7_100_000));

        assertThat(groupAlerts()).singleElement().satisfies(alert -> {
            assertThat(describe(alert)).isEqualTo("G-1 GRP-LIMIT-NEAR OPENED MEDIUM");
            assertThat(alert.getRuleVersion()).isEqualTo(2);
        });
    }
}
