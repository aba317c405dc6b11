package dev.kestrel.jobs.limits;

import static dev.kestrel.jobs.Events.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.Samples;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.LimitAction;
import dev.kestrel.events.LimitDecision;
import dev.kestrel.events.LimitDecisionAction;
import dev.kestrel.events.LimitRecommendation;
import dev.kestrel.events.Severity;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Limit recommendations under the operator test harness: from severe alerts to freeze, cut and withdrawal, and the
 * decisions the desk approved read back into them. Alerts and decisions wait for event time, as in the job.
 */
class LimitRecommenderTest {
    private KeyedTwoInputStreamOperatorTestHarness<String, Alert, LimitDecision, LimitRecommendation> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(new LimitRecommender(2000), LimitRecommender.SUBJECT,
                LimitRecommender.DECIDED, Types.STRING);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static Alert alert(String alertId, String ruleId, AlertLifecycle lifecycle, Severity severity, int day) {
        return Alert.newBuilder(Samples.alert()).setAlertId(alertId).setRuleId(ruleId).setTitle("Title of " + ruleId)
                .setLifecycle(lifecycle).setSeverity(severity).setScope(AlertScope.BORROWER).setBorrowerId("B-1")
                .setEventTime(at(day)).build();
    }

    /** The desk's decision on B-1's limit, approved by sue on the day. */
    private static LimitDecision decision(String decisionId, LimitDecisionAction action, Long limitMinor, int day) {
        return LimitDecision.newBuilder(Samples.limitDecision()).setDecisionId(decisionId).setBorrowerId("B-1").setAction(action)
                .setLimitMinor(limitMinor).setCurrency(limitMinor == null ? null : "CNY").setApprovedAt(at(day)).build();
    }

    /** Sends the alert, lets event time pass it, and takes what came out. */
    private List<LimitRecommendation> send(Alert alert) throws Exception {
        harness.processElement1(alert, alert.getEventTime().toEpochMilli());
        return passed(alert.getEventTime().toEpochMilli());
    }

    private List<LimitRecommendation> send(LimitDecision decision) throws Exception {
        harness.processElement2(decision, decision.getApprovedAt().toEpochMilli());
        return passed(decision.getApprovedAt().toEpochMilli());
    }

    private List<LimitRecommendation> passed(long time) throws Exception {
        harness.processBothWatermarks(new Watermark(time));
        List<LimitRecommendation> out = harness.extractOutputValues();
        harness.getOutput().clear();
        return out;
    }

    @Test
    void recommendsCuttingThenFreezingAndWithdrawsWhenTheSevereAlertsClose() throws Exception {
        List<LimitRecommendation> medium = send(alert("a-1", "CF-BURN", AlertLifecycle.OPENED, Severity.MEDIUM, 1));
        List<LimitRecommendation> high = send(alert("a-2", "REPAY-ARREARS", AlertLifecycle.OPENED, Severity.HIGH, 2));
        List<LimitRecommendation> secondHigh = send(alert("a-1", "CF-BURN", AlertLifecycle.ESCALATED, Severity.HIGH, 3));
        List<LimitRecommendation> critical = send(alert("a-2", "REPAY-ARREARS", AlertLifecycle.ESCALATED, Severity.CRITICAL, 4));
        List<LimitRecommendation> criticalClosed = send(alert("a-2", "REPAY-ARREARS", AlertLifecycle.CLOSED, Severity.CRITICAL, 5));
        List<LimitRecommendation> allClosed = send(alert("a-1", "CF-BURN", AlertLifecycle.CLOSED, Severity.HIGH, 6));

        assertThat(medium).as("a MEDIUM alert moves no limit").isEmpty();
        assertThat(high).singleElement().satisfies(r -> {
            assertThat(r.getAction()).isEqualTo(LimitAction.REDUCE_LIMIT);
            assertThat(r.getReductionBasisPoints()).isEqualTo(2000);
            assertThat(r.getBorrowerId()).isEqualTo("B-1");
            assertThat(r.getReason()).isEqualTo("Cut the limit by 20% while severe alerts are open: Title of REPAY-ARREARS (HIGH).");
            assertThat(r.getAlerts()).extracting(b -> b.getAlertId()).containsExactly("a-2");
        });
        assertThat(secondHigh).as("another severe alert joins the basis").singleElement()
                .satisfies(r -> assertThat(r.getAlerts()).extracting(b -> b.getAlertId()).containsExactly("a-1", "a-2"));
        assertThat(critical).singleElement().satisfies(r -> {
            assertThat(r.getAction()).isEqualTo(LimitAction.FREEZE_UNDRAWN);
            assertThat(r.getSeverity()).isEqualTo(Severity.CRITICAL);
            assertThat(r.getReductionBasisPoints()).isNull();
            assertThat(r.getAlerts().get(0).getAlertId()).as("the most severe first").isEqualTo("a-2");
        });
        assertThat(criticalClosed).singleElement().satisfies(r -> assertThat(r.getAction()).isEqualTo(LimitAction.REDUCE_LIMIT));
        assertThat(allClosed).singleElement().satisfies(r -> {
            assertThat(r.getAction()).isEqualTo(LimitAction.WITHDRAWN);
            assertThat(r.getRestoreSuggested()).as("nothing decided: nothing to restore").isFalse();
            assertThat(r.getAlerts()).isEmpty();
        });
        assertThat(harness.numKeyedStateEntries())
                .as("nothing kept once withdrawn but the borrower's group, and that a severe alert was seen (for a decision read late)")
                .isEqualTo(2);
    }

    @Test
    void givesTheSameIdToTheSameRecommendationInEveryRun() throws Exception {
        Alert high = alert("a-2", "REPAY-ARREARS", AlertLifecycle.OPENED, Severity.HIGH, 2);
        String first = send(high).get(0).getRecommendationId();
        harness.close();
        open();

        assertThat(send(high).get(0).getRecommendationId()).isEqualTo(first);
    }

    @Test
    void keysGroupAlertsByGroupAndBorrowerAlertsByBorrower() throws Exception {
        Alert onGroup = Alert.newBuilder(alert("g-1", "GRP-LIMIT-BREACH", AlertLifecycle.OPENED, Severity.HIGH, 1))
                .setScope(AlertScope.GROUP).setBorrowerId(null).setGroupId("G-17").build();

        assertThat(LimitRecommender.SUBJECT.getKey(onGroup)).isEqualTo("GROUP:G-17");
        assertThat(send(onGroup)).singleElement().satisfies(r -> {
            assertThat(r.getScope()).isEqualTo(AlertScope.GROUP);
            assertThat(r.getBorrowerId()).isNull();
            assertThat(LimitRecommender.subjectOf(r)).isEqualTo("GROUP:G-17");
        });
        assertThat(LimitRecommender.concernsALimit(Alert.newBuilder(onGroup).setScope(AlertScope.PORTFOLIO).build())).isFalse();
    }

    @Test
    void aFreezeTheBankDecidedIsCarriedAndItsEndSuggestsRestoringTheLimit() throws Exception {
        // The engine recommends freezing B-1's undrawn limit; the desk approves a freeze; the arrears are cured.
        List<LimitRecommendation> recommended = send(alert("a-1", "REPAY-ARREARS", AlertLifecycle.OPENED, Severity.CRITICAL, 1));
        List<LimitRecommendation> decided = send(decision("LD-1", LimitDecisionAction.FREEZE_UNDRAWN, null, 2));
        List<LimitRecommendation> cured = send(alert("a-1", "REPAY-ARREARS", AlertLifecycle.CLOSED, Severity.CRITICAL, 3));
        List<LimitRecommendation> restored = send(decision("LD-2", LimitDecisionAction.RESTORE_LIMIT, 5_000_000_000L, 4));
        List<LimitRecommendation> again = send(decision("LD-3", LimitDecisionAction.INCREASE_LIMIT, 6_000_000_000L, 5));

        assertThat(recommended).singleElement().satisfies(r -> {
            assertThat(r.getDecisionInForce()).as("nothing decided yet").isNull();
            assertThat(r.getKeepDecisionInForce()).isFalse();
        });
        assertThat(decided).as("the standing recommendation, now knowing the freeze").singleElement().satisfies(r -> {
            assertThat(r.getAction()).isEqualTo(LimitAction.FREEZE_UNDRAWN);
            assertThat(r.getDecisionInForce().getDecisionId()).isEqualTo("LD-1");
            assertThat(r.getEventTime()).isEqualTo(at(2));
            assertThat(r.getKeepDecisionInForce()).as("the freeze in force is the one recommended").isTrue();
            assertThat(r.getReason()).isEqualTo("Keep the bank's freeze of the undrawn limit (decision LD-1, approved by sue on "
                    + at(2).toString().substring(0, 10) + " UTC) in force while critical alerts are open: Title of REPAY-ARREARS (CRITICAL). "
                    + "It answers the engine's recommendation to freeze the undrawn limit.");
        });
        assertThat(cured).singleElement().satisfies(r -> {
            assertThat(r.getAction()).isEqualTo(LimitAction.WITHDRAWN);
            assertThat(r.getRestoreSuggested()).isTrue();
            assertThat(r.getDecisionInForce().getAction()).isEqualTo(LimitDecisionAction.FREEZE_UNDRAWN);
            assertThat(r.getReason()).isEqualTo("No severe alert is open any more; the last one closed was 'Title of REPAY-ARREARS'. "
                    + "The bank's freeze of the undrawn limit (decision LD-1, approved by sue on " + at(2).toString().substring(0, 10)
                    + " UTC), which answered the engine's recommendation, has nothing behind it now: consider restoring the limit.");
        });
        assertThat(restored).as("the bank restored the limit: the suggestion is written again, ended").singleElement().satisfies(r -> {
            assertThat(r.getAction()).isEqualTo(LimitAction.WITHDRAWN);
            assertThat(r.getRestoreSuggested()).as("restored: the suggestion ends").isFalse();
            assertThat(r.getSeverity()).isEqualTo(Severity.INFO);
            assertThat(r.getDecisionInForce().getDecisionId()).isEqualTo("LD-2");
            assertThat(r.getGroupId()).as("the borrower's group, which a decision does not name").isEqualTo("G-17");
            assertThat(r.getReason()).isEqualTo("Withdrawn: no severe alert is open any more. In force: the bank's restoration of the "
                    + "limit to CNY 50,000,000.00 (decision LD-2, approved by sue on " + at(4).toString().substring(0, 10) + " UTC).");
        });
        assertThat(again).as("nothing stands any more to write again").isEmpty();
    }

    @Test
    void aFreezeDecidedOnOtherGroundsIsLeftAloneWhenTheAlertsClear() throws Exception {
        // The credit committee froze the limit over a covenant breach the engine does not see.
        send(alert("a-1", "REPAY-ARREARS", AlertLifecycle.OPENED, Severity.CRITICAL, 1));
        send(LimitDecision.newBuilder(decision("LD-1", LimitDecisionAction.FREEZE_UNDRAWN, null, 2)).setRecommendationId(null).build());

        assertThat(send(alert("a-1", "REPAY-ARREARS", AlertLifecycle.CLOSED, Severity.CRITICAL, 3))).singleElement().satisfies(r -> {
            assertThat(r.getAction()).isEqualTo(LimitAction.WITHDRAWN);
            assertThat(r.getRestoreSuggested()).as("the engine cannot judge a covenant breach").isFalse();
            assertThat(r.getReason()).doesNotContain("restoring").endsWith(" was decided on other grounds and stays.");
        });
        assertThat(send(decision("LD-2", LimitDecisionAction.RESTORE_LIMIT, 5_000_000_000L, 4))).as("nothing stands").isEmpty();
    }

    @Test
    void aFreezeApprovedAfterTheCureIsSuggestedForRestoringAtOnce() throws Exception {
        // Proposed while the arrears were open, approved the day after they were cured, or read late: the same end.
        send(alert("a-1", "REPAY-ARREARS", AlertLifecycle.OPENED, Severity.CRITICAL, 1));
        send(alert("a-1", "REPAY-ARREARS", AlertLifecycle.CLOSED, Severity.CRITICAL, 2));

        assertThat(send(decision("LD-1", LimitDecisionAction.FREEZE_UNDRAWN, null, 3))).singleElement().satisfies(r -> {
            assertThat(r.getAction()).isEqualTo(LimitAction.WITHDRAWN);
            assertThat(r.getGroupId()).isEqualTo("G-17");
            assertThat(r.getRestoreSuggested()).isTrue();
            assertThat(r.getReason()).startsWith("No severe alert is open any more. The bank's freeze").endsWith("consider restoring the limit.");
        });
    }

    @Test
    void aFreezeReadLateAfterTheCureEndsAsTheReplayEnds() throws Exception {
        send(alert("a-1", "REPAY-ARREARS", AlertLifecycle.OPENED, Severity.CRITICAL, 1));
        send(alert("a-1", "REPAY-ARREARS", AlertLifecycle.CLOSED, Severity.CRITICAL, 3));
        // Approved on day 2, while the alert was open, but read after event time passed day 3 (the outbox was stalled).
        harness.processElement2(decision("LD-1", LimitDecisionAction.FREEZE_UNDRAWN, null, 2), at(2).toEpochMilli());

        assertThat(harness.extractOutputValues()).singleElement().satisfies(r -> {
            assertThat(r.getAction()).isEqualTo(LimitAction.WITHDRAWN);
            assertThat(r.getReason()).endsWith("consider restoring the limit.");
        });
    }

    @Test
    void twoAlertsOfOneMomentGiveTheSameRecommendationsWhicheverArrivesFirst() throws Exception {
        Alert high = alert("a-1", "REPAY-ARREARS", AlertLifecycle.OPENED, Severity.HIGH, 1);
        Alert critical = alert("a-2", "GRP-CONTAGION", AlertLifecycle.OPENED, Severity.CRITICAL, 1);

        harness.processElement1(high, at(1).toEpochMilli());
        harness.processElement1(critical, at(1).toEpochMilli());
        List<String> highFirst = passed(at(1).toEpochMilli()).stream().map(LimitRecommenderTest::withoutWallClock).toList();
        harness.close();
        open();
        harness.processElement1(critical, at(1).toEpochMilli());
        harness.processElement1(high, at(1).toEpochMilli());
        List<String> criticalFirst = passed(at(1).toEpochMilli()).stream().map(LimitRecommenderTest::withoutWallClock).toList();

        assertThat(highFirst).hasSize(2).isEqualTo(criticalFirst);
    }

    @Test
    void anIncreaseDecidedWhileSevereAlertsAreOpenIsShownAsAgainstTheRecommendation() throws Exception {
        send(alert("a-1", "REPAY-ARREARS", AlertLifecycle.OPENED, Severity.CRITICAL, 1));

        assertThat(send(decision("LD-9", LimitDecisionAction.INCREASE_LIMIT, 7_000_000_000L, 2))).singleElement().satisfies(r -> {
            assertThat(r.getAction()).as("the engine still recommends the freeze").isEqualTo(LimitAction.FREEZE_UNDRAWN);
            assertThat(r.getReason()).endsWith(" Against it, in force: the bank's increase of the limit to CNY 70,000,000.00 "
                    + "(decision LD-9, approved by sue on " + at(2).toString().substring(0, 10) + " UTC).");
        });
    }

    @Test
    void aNewSevereAlertAfterTheBankCutOnTheEnginesWordDoesNotAskForASecondCut() throws Exception {
        // The engine recommends a 20% cut; the desk cuts B-1's limit from CNY 50m to 40m on it; then a second HIGH alert opens.
        send(alert("a-1", "REPAY-ARREARS", AlertLifecycle.OPENED, Severity.HIGH, 1));
        List<LimitRecommendation> cut = send(decision("LD-1", LimitDecisionAction.REDUCE_LIMIT, 4_000_000_000L, 2));
        List<LimitRecommendation> joined = send(alert("a-2", "BUREAU-DOWNGRADE", AlertLifecycle.OPENED, Severity.HIGH, 3));

        String keep = "Keep the bank's cut of the limit to CNY 40,000,000.00 (decision LD-1, approved by sue on "
                + at(2).toString().substring(0, 10) + " UTC) in force while severe alerts are open: ";
        String answers = ". It answers the engine's recommendation to cut the limit by 20%; no further cut.";
        assertThat(cut).singleElement().satisfies(r -> assertThat(r.getReason())
                .isEqualTo(keep + "Title of REPAY-ARREARS (HIGH)" + answers));
        assertThat(joined).as("a new basis, the same restriction: the cut in force answers it, not a second cut").singleElement().satisfies(r -> {
            assertThat(r.getAction()).isEqualTo(LimitAction.REDUCE_LIMIT);
            assertThat(r.getAlerts()).hasSize(2);
            assertThat(r.getReason()).startsWith(keep).endsWith(answers).doesNotContain("Cut the limit by");
            assertThat(r.getKeepDecisionInForce()).as("the page says keep the cut, not cut by 20%").isTrue();
        });
    }

    @Test
    void aCutDecidedOnOtherGroundsDoesNotAnswerTheEnginesRecommendation() throws Exception {
        send(alert("a-1", "REPAY-ARREARS", AlertLifecycle.OPENED, Severity.HIGH, 1));
        List<LimitRecommendation> cut = send(LimitDecision.newBuilder(decision("LD-1", LimitDecisionAction.REDUCE_LIMIT, 4_000_000_000L, 2))
                .setRecommendationId(null).build());

        assertThat(cut).singleElement().satisfies(r -> assertThat(r.getReason())
                .endsWith(" In force: the bank's cut of the limit to CNY 40,000,000.00 (decision LD-1, approved by sue on "
                        + at(2).toString().substring(0, 10) + " UTC).")
                .doesNotContain("answers"));
        assertThat(cut.get(0).getKeepDecisionInForce()).as("a cut on other grounds: the engine still recommends its own").isFalse();
    }

    @Test
    void aJobThatLostItsStateReadsTheDecisionsAgainWithoutSuggestingARestoreUntilItsAlertsClearAgain() throws Exception {
        // Started without its state, the job reads the desk's decisions on B-1 again before any alert: a freeze, then a
        // cut, both decided on the engine's recommendation while severe alerts were open.
        List<LimitRecommendation> freeze = send(decision("LD-1", LimitDecisionAction.FREEZE_UNDRAWN, null, 2));
        List<LimitRecommendation> cut = send(decision("LD-2", LimitDecisionAction.REDUCE_LIMIT, 4_000_000_000L, 3));
        // B-1's arrears raise their alert again, and are then cured.
        List<LimitRecommendation> again = send(alert("a-1", "REPAY-ARREARS", AlertLifecycle.OPENED, Severity.HIGH, 4));
        List<LimitRecommendation> cured = send(alert("a-1", "REPAY-ARREARS", AlertLifecycle.CLOSED, Severity.HIGH, 5));

        assertThat(freeze).as("no alert seen: not 'no severe alert is open any more'").isEmpty();
        assertThat(cut).isEmpty();
        assertThat(again).singleElement().satisfies(r -> {
            assertThat(r.getAction()).isEqualTo(LimitAction.REDUCE_LIMIT);
            assertThat(r.getDecisionInForce().getDecisionId()).as("remembered as in force").isEqualTo("LD-2");
        });
        assertThat(cured).singleElement().satisfies(r -> {
            assertThat(r.getAction()).isEqualTo(LimitAction.WITHDRAWN);
            assertThat(r.getRestoreSuggested()).isTrue();
        });
    }

    @Test
    void aCutAndThenARestoreDecidedLeaveAPlainWithdrawal() throws Exception {
        send(alert("a-2", "REPAY-ARREARS", AlertLifecycle.OPENED, Severity.HIGH, 1));
        List<LimitRecommendation> cut = send(decision("LD-2", LimitDecisionAction.REDUCE_LIMIT, 4_000_000_000L, 2));
        List<LimitRecommendation> restored = send(decision("LD-3", LimitDecisionAction.RESTORE_LIMIT, 5_000_000_000L, 4));
        List<LimitRecommendation> closed = send(alert("a-2", "REPAY-ARREARS", AlertLifecycle.CLOSED, Severity.HIGH, 5));

        assertThat(cut).singleElement().satisfies(r -> assertThat(r.getReason())
                .startsWith("Keep the bank's cut of the limit to CNY 40,000,000.00 (decision LD-2"));
        assertThat(restored).as("the bank restored the limit while the alert is open: the cut is still recommended")
                .singleElement().satisfies(r -> {
                    assertThat(r.getAction()).isEqualTo(LimitAction.REDUCE_LIMIT);
                    assertThat(r.getReason()).contains("Against it, in force: the bank's restoration of the limit to CNY 50,000,000.00 (decision LD-3");
                });
        assertThat(closed).singleElement().satisfies(r -> {
            assertThat(r.getAction()).isEqualTo(LimitAction.WITHDRAWN);
            assertThat(r.getReason()).as("nothing restricted: nothing to restore")
                    .startsWith("Withdrawn: no severe alert is open any more; the last one closed was 'Title of REPAY-ARREARS'. In force:")
                    .doesNotContain("restoring");
            assertThat(r.getDecisionInForce().getDecisionId()).isEqualTo("LD-3");
        });
    }

    @Test
    void aDecisionOnOtherGroundsWithNoRecommendationStandingWritesNothingButIsRemembered() throws Exception {
        assertThat(send(LimitDecision.newBuilder(decision("LD-4", LimitDecisionAction.FREEZE_UNDRAWN, null, 1)).setRecommendationId(null)
                .build())).as("nothing recommended to update").isEmpty();

        assertThat(send(alert("a-3", "BUREAU-DOWNGRADE", AlertLifecycle.OPENED, Severity.HIGH, 2))).singleElement()
                .satisfies(r -> assertThat(r.getDecisionInForce().getDecisionId()).isEqualTo("LD-4"));
    }

    @Test
    void anOlderDecisionReadLateDoesNotReplaceTheNewerOne() throws Exception {
        send(alert("a-5", "REPAY-ARREARS", AlertLifecycle.OPENED, Severity.HIGH, 1));
        send(decision("LD-6", LimitDecisionAction.REDUCE_LIMIT, 4_000_000_000L, 3));
        // Approved on day 2, read after event time passed day 3: too old to be the decision in force.
        harness.processElement2(decision("LD-5", LimitDecisionAction.FREEZE_UNDRAWN, null, 2), at(2).toEpochMilli());
        assertThat(harness.extractOutputValues()).isEmpty();

        assertThat(send(alert("a-5", "REPAY-ARREARS", AlertLifecycle.CLOSED, Severity.HIGH, 4))).singleElement()
                .satisfies(r -> assertThat(r.getDecisionInForce().getDecisionId()).isEqualTo("LD-6"));
    }

    @Test
    void anAlertAndADecisionOfOneMomentGiveTheSameRecommendationsWhicheverArrivesFirst() throws Exception {
        Alert opened = alert("a-7", "REPAY-ARREARS", AlertLifecycle.OPENED, Severity.CRITICAL, 1);
        Alert closed = alert("a-7", "REPAY-ARREARS", AlertLifecycle.CLOSED, Severity.CRITICAL, 2);
        LimitDecision frozen = decision("LD-7", LimitDecisionAction.FREEZE_UNDRAWN, null, 2);

        send(opened);
        harness.processElement1(closed, at(2).toEpochMilli());
        harness.processElement2(frozen, at(2).toEpochMilli());
        List<String> alertFirst = passed(at(2).toEpochMilli()).stream().map(LimitRecommenderTest::withoutWallClock).toList();
        harness.close();
        open();
        send(opened);
        harness.processElement2(frozen, at(2).toEpochMilli());
        harness.processElement1(closed, at(2).toEpochMilli());
        List<String> decisionFirst = passed(at(2).toEpochMilli()).stream().map(LimitRecommenderTest::withoutWallClock).toList();

        assertThat(alertFirst).isEqualTo(decisionFirst);
        assertThat(alertFirst).as("the moment's decision first, then the cure: a freeze with nothing behind it")
                .hasSize(2).last().asString().contains("\"action\": \"WITHDRAWN\"", "consider restoring the limit");
    }

    private static String withoutWallClock(LimitRecommendation recommendation) {
        return LimitRecommendation.newBuilder(recommendation).setDetectedAt(java.time.Instant.EPOCH).build().toString();
    }

    /** The recommender as it was before it read decisions back: one input, the same two states. */
    private static final class OneInputRecommender extends org.apache.flink.streaming.api.functions.KeyedProcessFunction<String, Alert, LimitRecommendation> {
        @Override
        public void processElement(Alert alert, Context ctx, org.apache.flink.util.Collector<LimitRecommendation> out) throws Exception {
            getRuntimeContext().getMapState(new org.apache.flink.api.common.state.MapStateDescriptor<>("severe-alerts", Types.STRING,
                    new org.apache.flink.formats.avro.typeutils.AvroTypeInfo<>(dev.kestrel.events.RecommendationBasis.class)))
                    .put(alert.getAlertId(), new dev.kestrel.events.RecommendationBasis(alert.getAlertId(), alert.getRuleId(),
                            alert.getSeverity(), alert.getTitle()));
            getRuntimeContext().getState(new org.apache.flink.api.common.state.ValueStateDescriptor<>("last-action", Types.STRING))
                    .update(LimitAction.FREEZE_UNDRAWN.name());
        }
    }

    /** Runs an earlier recommender on the alert, takes a savepoint, and restores it into this one. */
    private void restoreFrom(org.apache.flink.streaming.api.functions.KeyedProcessFunction<String, Alert, LimitRecommendation> earlier,
                             Alert alert) throws Exception {
        var before = ProcessFunctionTestHarnesses.forKeyedProcessFunction(earlier, LimitRecommender.SUBJECT, Types.STRING);
        before.processElement(alert, alert.getEventTime().toEpochMilli());
        org.apache.flink.runtime.checkpoint.OperatorSubtaskState savepoint = before.snapshot(1, 1);
        before.close();
        harness.close();
        harness = new KeyedTwoInputStreamOperatorTestHarness<>(
                new org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator<>(new LimitRecommender(2000)),
                LimitRecommender.SUBJECT, LimitRecommender.DECIDED, Types.STRING);
        harness.setup();
        harness.initializeState(savepoint);
        harness.open();
    }

    /** The recommender as it was before it kept whether a severe alert was seen, after a withdrawal: the group alone. */
    private static final class WithdrawnBeforeSevereSeen extends org.apache.flink.streaming.api.functions.KeyedProcessFunction<String, Alert, LimitRecommendation> {
        @Override
        public void processElement(Alert alert, Context ctx, org.apache.flink.util.Collector<LimitRecommendation> out) throws Exception {
            getRuntimeContext().getState(new org.apache.flink.api.common.state.ValueStateDescriptor<>("group-id", Types.STRING))
                    .update(alert.getGroupId());
        }
    }

    @Test
    void aSavepointFromBeforeSevereSeenStillSuggestsRestoringACutApprovedAfterTheCure() throws Exception {
        // Monday the engine recommended a cut, Tuesday the arrears were cured (a plain withdrawal), Wednesday the engine
        // was upgraded through a savepoint, Thursday the desk approved the cut against Monday's recommendation.
        restoreFrom(new WithdrawnBeforeSevereSeen(), alert("a-1", "REPAY-ARREARS", AlertLifecycle.CLOSED, Severity.HIGH, 2));

        assertThat(send(decision("LD-1", LimitDecisionAction.REDUCE_LIMIT, 4_000_000_000L, 4)))
                .as("restored state from before: the cut answered the engine, and nothing is open").singleElement()
                .satisfies(r -> {
                    assertThat(r.getAction()).isEqualTo(LimitAction.WITHDRAWN);
                    assertThat(r.getRestoreSuggested()).isTrue();
                });
    }

    @Test
    void aSavepointFromBeforeDecisionsWereReadBackRestoresItsOpenAlerts() throws Exception {
        restoreFrom(new OneInputRecommender(), alert("a-9", "REPAY-ARREARS", AlertLifecycle.OPENED, Severity.CRITICAL, 1));

        assertThat(send(alert("a-9", "REPAY-ARREARS", AlertLifecycle.CLOSED, Severity.CRITICAL, 2)))
                .as("the restored freeze is withdrawn when its alert closes").singleElement().satisfies(r -> {
                    assertThat(r.getAction()).isEqualTo(LimitAction.WITHDRAWN);
                    assertThat(r.getDecisionInForce()).isNull();
                });
    }
}
