package dev.kestrel.jobs.limits;

import static dev.kestrel.jobs.Events.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.Samples;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.LimitAction;
import dev.kestrel.events.LimitRecommendation;
import dev.kestrel.events.Severity;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Limit recommendations under the operator test harness: from severe alerts to freeze, cut and withdrawal. */
class LimitRecommenderTest {
    private KeyedOneInputStreamOperatorTestHarness<String, Alert, LimitRecommendation> harness;

    @BeforeEach
    void open() throws Exception {
        harness = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new LimitRecommender(2000), LimitRecommender.SUBJECT, Types.STRING);
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

    private List<LimitRecommendation> send(Alert alert) throws Exception {
        harness.processElement(alert, alert.getEventTime().toEpochMilli());
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
            assertThat(r.getAlerts()).isEmpty();
        });
        assertThat(harness.numKeyedStateEntries()).as("nothing kept once withdrawn").isZero();
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
}
