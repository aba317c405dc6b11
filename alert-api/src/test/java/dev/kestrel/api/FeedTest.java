package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.Samples;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.GroupRiskSnapshot;
import dev.kestrel.events.LimitAction;
import dev.kestrel.events.LimitDecisionAction;
import dev.kestrel.events.LimitDecisionInForce;
import dev.kestrel.events.LimitRecommendation;
import dev.kestrel.events.DeadLetter;
import dev.kestrel.events.Severity;
import dev.kestrel.api.alerts.AlertDetail;
import dev.kestrel.api.alerts.AlertPage;
import dev.kestrel.api.alerts.AlertStatus;
import dev.kestrel.api.alerts.AlertView;
import dev.kestrel.api.borrowers.BorrowerView;
import dev.kestrel.api.groups.GroupView;
import dev.kestrel.api.limits.LimitRecommendationView;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The engine's records reach the desk through the real broker and the real database. */
@MicronautTest
class FeedTest extends DeskTest {

    @Test
    void alertsOnKafkaAppearThroughTheApiWithTheirExplanation() {
        Alert opened = Samples.alert();
        Alert escalated = Alert.newBuilder(opened).setLifecycle(AlertLifecycle.ESCALATED).setSeverity(Severity.HIGH)
                .setEventTime(opened.getEventTime().plusSeconds(86_400)).build();
        DeskTestSupport.send(topics.alerts(), List.of(opened, escalated, opened)); // the replayed OPENED changes nothing
        DeskTestSupport.send(topics.profiles(), List.of(Samples.borrowerProfile()));

        eventually(Duration.ofSeconds(20), "the escalation is visible", () ->
                desk.call("ana", HttpRequest.GET("/api/alerts/" + opened.getAlertId()), Argument.of(AlertDetail.class))
                        .getBody().map(d -> d.alert().severity().equals("HIGH")).orElse(false));
        AlertDetail detail = desk.get("ana", "/api/alerts/" + opened.getAlertId(), Argument.of(AlertDetail.class));
        AlertView alert = detail.alert();
        assertThat(alert.status()).isEqualTo(AlertStatus.NEW);
        assertThat(alert.lifecycle()).isEqualTo("ESCALATED");
        assertThat(alert.borrowerId()).isEqualTo("B-1001");
        assertThat(alert.version()).isEqualTo(2);
        assertThat(detail.explanation().summary()).startsWith("Days past due 31 > 30");
        assertThat(detail.explanation().inputs()).singleElement()
                .satisfies(reading -> assertThat(reading.indicator()).isEqualTo("materialDaysPastDue"));
        assertThat(detail.explanation().triggeringEvents()).hasSize(1);
        assertThat(detail.history()).extracting(AlertDetail.HistoryEntry::action).containsExactly("OPENED", "ESCALATED");
        eventually(Duration.ofSeconds(20), "the borrower name joins the alert", () ->
                desk.get("ana", "/api/alerts?q=precision", Argument.of(AlertPage.class)).items().stream()
                        .anyMatch(a -> a.alertId().equals(opened.getAlertId())));
        assertThat(desk.get("ana", "/api/alerts?q=precision", Argument.of(AlertPage.class)).items())
                .allSatisfy(a -> assertThat(a.borrowerName()).contains("Precision"));
        assertThat(desk.get("ana", "/api/alerts?q=no-such-name", Argument.of(AlertPage.class)).items()).isEmpty();
    }

    @Test
    void theEnginesGroupSnapshotAndLimitRecommendationsReachTheGroupAndBorrowerViews() {
        GroupRiskSnapshot group = Samples.groupRiskSnapshot();
        LimitRecommendation cut = Samples.limitRecommendation();
        LimitRecommendation onGroup = LimitRecommendation.newBuilder(cut).setScope(AlertScope.GROUP).setBorrowerId(null)
                .setAction(LimitAction.FREEZE_UNDRAWN).setReductionBasisPoints(null).setSeverity(Severity.CRITICAL)
                .setReason("Freeze the undrawn limit while critical alerts are open: Group limit breached (CRITICAL).").build();
        DeskTestSupport.send(topics.groupSnapshots(), List.of(group,
                GroupRiskSnapshot.newBuilder(group).setAsOf(group.getAsOf().minusSeconds(3_600)).setDrawnMinor(1L).build()));
        DeskTestSupport.send(topics.profiles(), List.of(BorrowerProfile.newBuilder(Samples.borrowerProfile()).setBorrowerId("B-1002").build()));
        DeskTestSupport.send(topics.recommendations(), List.of(cut, onGroup, onGroup)); // a replayed one changes nothing

        eventually(Duration.ofSeconds(20), "the group recommendation is visible", () ->
                desk.get("ana", "/api/groups/G-17", Argument.of(GroupView.class)).limitRecommendation() != null);
        GroupView view = desk.get("ana", "/api/groups/G-17", Argument.of(GroupView.class));
        assertThat(view.engineAsOf()).as("the newer snapshot stands").isEqualTo(group.getAsOf());
        assertThat(view.drawnMinor()).isEqualTo(18_400_000_000L);
        assertThat(view.utilisationBasisPoints()).isEqualTo(9200);
        assertThat(view.nonPerformingMembers()).isEqualTo(1);
        assertThat(view.worstLoanCategory()).isEqualTo("SUBSTANDARD");
        assertThat(view.watchGrade() + " " + view.watchGradeMemberId() + " " + view.exposureWeightedScore() + " " + view.scoredMembers())
                .as("the engine's grade of the group, as it wrote it").isEqualTo("BLACK B-1001 246 2");
        assertThat(view.members()).filteredOn(m -> m.borrowerId().equals("B-1002")).singleElement()
                .satisfies(m -> assertThat(m.watchGrade() + " " + m.score() + " " + m.material()).isEqualTo("GREEN 215 true"));
        assertThat(view.limitRecommendation().action()).isEqualTo("FREEZE_UNDRAWN");
        eventually(Duration.ofSeconds(20), "the borrower recommendation is visible", () ->
                desk.call("ana", HttpRequest.GET("/api/borrowers/B-1002"), Argument.of(BorrowerView.class))
                        .getBody().map(b -> b.limitRecommendation() != null).orElse(false));
        BorrowerView borrower = desk.get("ana", "/api/borrowers/B-1002", Argument.of(BorrowerView.class));
        assertThat(borrower.limitRecommendation().action()).isEqualTo("REDUCE_LIMIT");
        assertThat(borrower.limitRecommendation().reductionBasisPoints()).isEqualTo(2000);
        assertThat(borrower.limitRecommendation().reason()).startsWith("Cut the limit by 20%");
        assertThat(borrower.limitRecommendation().keepDecisionInForce()).as("nothing decided yet").isFalse();

        DeskTestSupport.send(topics.recommendations(), List.of(LimitRecommendation.newBuilder(cut)
                .setAction(LimitAction.WITHDRAWN).setReductionBasisPoints(null).setAlerts(List.of())
                .setEventTime(cut.getEventTime().plusSeconds(86_400)).setReason("Withdrawn: no severe alert is open any more.").build()));
        eventually(Duration.ofSeconds(20), "a withdrawn recommendation no longer stands", () ->
                desk.get("ana", "/api/borrowers/B-1002", Argument.of(BorrowerView.class)).limitRecommendation() == null);

        // The engine read back the bank's cut: its withdrawal now suggests restoring the limit, and so it stands. The
        // engine says so (restoreSuggested); the desk does not work it out from the decision.
        LimitDecisionInForce cutDecided = LimitDecisionInForce.newBuilder().setDecisionId("LD-1")
                .setAction(LimitDecisionAction.REDUCE_LIMIT).setLimitMinor(4_000_000_000L).setCurrency("CNY")
                .setRecommendationId(cut.getRecommendationId()).setApprovedBy("sue")
                .setApprovedAt(cut.getEventTime().plusSeconds(3_600)).build();
        DeskTestSupport.send(topics.recommendations(), List.of(LimitRecommendation.newBuilder(cut)
                .setAction(LimitAction.WITHDRAWN).setReductionBasisPoints(null).setAlerts(List.of()).setDecisionInForce(cutDecided)
                .setEventTime(cut.getEventTime().plusSeconds(2 * 86_400))
                .setReason("No severe alert is open any more. The bank's cut of the limit to CNY 40,000,000.00 (decision LD-1, "
                        + "approved by sue on 2026-03-02) has nothing behind it now: consider restoring the limit.")
                .setRestoreSuggested(true).build()));
        eventually(Duration.ofSeconds(20), "a withdrawal with the bank's cut in force stands", () ->
                desk.get("ana", "/api/borrowers/B-1002", Argument.of(BorrowerView.class)).limitRecommendation() != null);
        LimitRecommendationView restoring = desk.get("ana", "/api/borrowers/B-1002", Argument.of(BorrowerView.class)).limitRecommendation();
        assertThat(restoring.action()).isEqualTo("WITHDRAWN");
        assertThat(restoring.restoreSuggested()).isTrue();
        assertThat(restoring.reason()).endsWith("consider restoring the limit.");
        assertThat(restoring.decisionInForce().get("decisionId").getStringValue()).isEqualTo("LD-1");
        assertThat(restoring.decisionInForce().get("action").getStringValue()).isEqualTo("REDUCE_LIMIT");
        assertThat(restoring.decisionInForce().get("limitMinor").getNumberValue().longValue()).isEqualTo(4_000_000_000L);
        assertThat(restoring.decisionInForce().get("approvedBy").getStringValue()).isEqualTo("sue");

        // The bank restores the limit: the engine writes the withdrawal again with that decision, and the suggestion goes.
        DeskTestSupport.send(topics.recommendations(), List.of(LimitRecommendation.newBuilder(cut)
                .setAction(LimitAction.WITHDRAWN).setReductionBasisPoints(null).setAlerts(List.of()).setSeverity(Severity.INFO)
                .setDecisionInForce(LimitDecisionInForce.newBuilder(cutDecided).setDecisionId("LD-2")
                        .setAction(LimitDecisionAction.RESTORE_LIMIT).setLimitMinor(5_000_000_000L).setRecommendationId(null)
                        .setApprovedAt(cut.getEventTime().plusSeconds(3 * 86_400)).build())
                .setEventTime(cut.getEventTime().plusSeconds(3 * 86_400))
                .setReason("Withdrawn: no severe alert is open any more. In force: the bank's restoration of the limit.").build()));
        eventually(Duration.ofSeconds(20), "the suggestion to restore goes once the limit is restored", () ->
                desk.get("ana", "/api/borrowers/B-1002", Argument.of(BorrowerView.class)).limitRecommendation() == null);

        // Severe alerts again, and the bank cuts on the engine's word: the engine recommends keeping that cut, and says
        // so (keepDecisionInForce); the desk does not compare the decision with the recommendation itself.
        DeskTestSupport.send(topics.recommendations(), List.of(LimitRecommendation.newBuilder(cut)
                .setDecisionInForce(LimitDecisionInForce.newBuilder(cutDecided).setDecisionId("LD-3")
                        .setApprovedAt(cut.getEventTime().plusSeconds(4 * 86_400)).build())
                .setEventTime(cut.getEventTime().plusSeconds(4 * 86_400)).setKeepDecisionInForce(true)
                .setReason("Keep the bank's cut of the limit to CNY 40,000,000.00 (decision LD-3) in force while severe alerts are open.")
                .build()));
        eventually(Duration.ofSeconds(20), "the cut to keep stands", () ->
                desk.get("ana", "/api/borrowers/B-1002", Argument.of(BorrowerView.class)).limitRecommendation() != null);
        LimitRecommendationView keep = desk.get("ana", "/api/borrowers/B-1002", Argument.of(BorrowerView.class)).limitRecommendation();
        assertThat(keep.action()).isEqualTo("REDUCE_LIMIT");
        assertThat(keep.keepDecisionInForce()).isTrue();
        assertThat(keep.reductionBasisPoints()).as("the share already cut").isEqualTo(2000);
    }

    @Test
    void aRecordTheStoreRefusesIsDeadLetteredAndTheRestOfItsBatchIsStored() {
        Alert refused = Alert.newBuilder(Samples.alert()).setAlertId("nul-title").setTitle("broken \u0000 title").build();
        Alert before = Alert.newBuilder(Samples.alert()).setAlertId("before-the-nul").build();
        Alert after = Alert.newBuilder(Samples.alert()).setAlertId("after-the-nul").build();
        DeskTestSupport.send(topics.alerts(), List.of(before, refused, after));

        // The topic is shared with this class's other tests: pick this test's dead letter by its reason.
        eventually(Duration.ofSeconds(20), "the refused record is dead-lettered", () ->
                DeskTestSupport.kafka().readCommitted(topics.deadLetters(), 0, Duration.ZERO, Duration.ofMillis(500)).stream()
                        .map(r -> (DeadLetter) new WireCodec().decode(r.value()).record())
                        .anyMatch(d -> d.getReasonCode() == dev.kestrel.events.DeadLetterReason.INVALID
                                && d.getReason().startsWith("alert-api: the alert store refused a value")));
        for (String stored : List.of("before-the-nul", "after-the-nul")) {
            eventually(Duration.ofSeconds(20), stored + " is stored", () ->
                    desk.call("ana", HttpRequest.GET("/api/alerts/" + stored), Argument.of(String.class)).code() == 200);
        }
        assertThat(desk.call("ana", HttpRequest.GET("/api/alerts/nul-title"), Argument.of(String.class)).code()).isEqualTo(404);
    }

    /**
     * Loan servicing may write the repayments topic, not the engine's alerts: an alert found there is refused, whoever
     * put it, and never reaches the desk.
     */
    @Test
    void aRecordOnATopicThatDoesNotCarryItIsRefusedNotApplied() {
        Alert forged = Alert.newBuilder(Samples.alert()).setAlertId("on-the-repayments-topic").build();
        DeskTestSupport.send(topics.repayments(), List.of(forged));

        eventually(Duration.ofSeconds(20), "the alert on the repayments topic is dead-lettered", () ->
                DeskTestSupport.kafka().readCommitted(topics.deadLetters(), 0, Duration.ZERO, Duration.ofMillis(500)).stream()
                        .map(r -> (DeadLetter) new WireCodec().decode(r.value()).record())
                        .anyMatch(d -> d.getReasonCode() == dev.kestrel.events.DeadLetterReason.WRONG_TOPIC
                                && d.getSourceTopic().equals(topics.repayments())
                                && d.getReason().equals("alert-api: Alert does not belong on " + topics.repayments()
                                        + ", which carries RepaymentEvent")));
        assertThat(desk.call("ana", HttpRequest.GET("/api/alerts/on-the-repayments-topic"), Argument.of(String.class)).code())
                .isEqualTo(404);
    }

    @Test
    void aRecordTheApiCannotReadGoesToTheDeadLetterTopicAndTheFeedGoesOn() {
        DeskTestSupport.kafka().send(topics.alerts(), List.of(new ProducerRecord<>(topics.alerts(),
                "k".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8))));
        Alert after = Alert.newBuilder(Samples.alert()).setAlertId("after-the-bad-record").build();
        DeskTestSupport.send(topics.alerts(), List.of(after));

        // The topic is shared with this class's other tests: pick this test's dead letter by what it kept.
        eventually(Duration.ofSeconds(20), "the record is dead-lettered whole", () ->
                DeskTestSupport.kafka().readCommitted(topics.deadLetters(), 0, Duration.ZERO, Duration.ofMillis(500)).stream()
                        .map(r -> (DeadLetter) new WireCodec().decode(r.value()).record())
                        .anyMatch(d -> StandardCharsets.UTF_8.decode(d.getPayload()).toString().equals("not avro")
                                && d.getSourceTopic().equals(topics.alerts()) && d.getReason().startsWith("alert-api: ")));
        eventually(Duration.ofSeconds(20), "the next alert still arrives", () ->
                desk.call("ana", HttpRequest.GET("/api/alerts/after-the-bad-record"),
                        Argument.of(String.class)).code() == 200);
    }
}
