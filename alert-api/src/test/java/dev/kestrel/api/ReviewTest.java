package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.errors.ApiError;
import dev.kestrel.api.reviews.ReviewTask;
import dev.kestrel.api.reviews.ReviewView;
import dev.kestrel.contract.ApprovalSignatures;
import dev.kestrel.contract.Samples;
import dev.kestrel.contract.TestSigningKeys;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.BorrowerReview;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.IndicatorUnit;
import dev.kestrel.events.IndicatorValue;
import dev.kestrel.events.OpenAlert;
import dev.kestrel.events.ReviewKind;
import dev.kestrel.events.Severity;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bank's side of a periodic review. The engine has Jiangnan Precision's next review due in five days and Jiangnan
 * Shipping's twelve days overdue, with its REVIEW-OVERDUE alert open; ana owns Precision. She visits the plant and
 * records what she found, concluding BB+ against the BBB+ in force; the engine receives the review once, signed, on
 * the reviews topic. What the desk must not be able to do: record a review of someone else's borrower, a review dated
 * in the future, a visit without visit notes, a rating off the bank's scale, a next date before the review, or
 * anything as an auditor.
 */
@MicronautTest
class ReviewTest extends DeskTest {
    private static final ApprovalSignatures.Verifier ENGINE = ApprovalSignatures.Verifier.of(TestSigningKeys.ENGINE_KEYS);
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    @BeforeAll
    void twoBorrowersTheEngineHasReviewsDueFor() {
        DeskTestSupport.send(topics.profiles(), List.of(Samples.borrowerProfile(),
                BorrowerProfile.newBuilder(Samples.borrowerProfile()).setBorrowerId("B-1002").setName("Jiangnan Shipping Ltd.").build()));
        Instant asOf = Instant.now();
        DeskTestSupport.send(topics.snapshots(), List.of(
                BorrowerRiskSnapshot.newBuilder(Samples.borrowerRiskSnapshot()).setAsOf(asOf)
                        .setLastReviewDate(TODAY.minusMonths(11)).setReviewDueDate(TODAY.plusDays(5)).build(),
                BorrowerRiskSnapshot.newBuilder(Samples.borrowerRiskSnapshot()).setBorrowerId("B-1002").setAsOf(asOf)
                        .setLastReviewDate(TODAY.minusMonths(2)).setReviewDueDate(TODAY.minusDays(12))
                        .setIndicators(List.of(new IndicatorValue("reviewOverdueDays", IndicatorUnit.DAYS, 12L, asOf)))
                        .setOpenAlerts(List.of(new OpenAlert("a-review-1002", "REVIEW-OVERDUE", Severity.LOW))).build()));
        eventually(Duration.ofSeconds(20), "master data and the snapshots arrive", () -> {
            HttpResponse<JsonNode> view = desk.call("sue", HttpRequest.GET("/api/borrowers/B-1002"), Argument.of(JsonNode.class));
            return view.code() == 200 && view.body().get("risk") != null
                    && desk.call("sue", HttpRequest.GET("/api/borrowers/B-1001"), Argument.of(JsonNode.class)).body().get("risk") != null;
        });
        assertThat(desk.call("sue", HttpRequest.PUT("/api/borrowers/B-1001/owner", Map.of("officer", "ana", "team", "East")),
                Argument.of(String.class)).code()).isEqualTo(200);
    }

    private static Map<String, Object> visit() {
        Map<String, Object> review = new HashMap<>();
        review.put("kind", "SITE_VISIT");
        review.put("reviewDate", TODAY.minusDays(1).toString());
        review.put("findings", "Orders down a fifth on last year; receivables from two steel traders past 120 days.");
        review.put("ratingConcluded", "BB+");
        review.put("nextReviewDate", TODAY.plusMonths(3).toString());
        review.put("visitNotes", "Plant running one shift of two; finished stock fills half the yard.");
        review.put("customerFeedback", "The CFO expects the export orders back in Q3.");
        return review;
    }

    private HttpResponse<ReviewView> record(String user, String borrowerId, Map<String, Object> review) {
        return desk.call(user, HttpRequest.POST("/api/borrowers/" + borrowerId + "/reviews", review), Argument.of(ReviewView.class));
    }

    private static String message(HttpResponse<?> response) {
        return response.code() < 400 ? "" : response.getBody(ApiError.class).map(ApiError::message).orElse("");
    }

    private List<ConsumerRecord<byte[], byte[]>> onTheTopic() {
        return DeskTestSupport.kafka().readCommitted(topics.reviews(), 0, Duration.ZERO, Duration.ofSeconds(1));
    }

    @Test
    void theOwnerRecordsAVisitAndTheEngineReceivesItOnceSignedWithTheRatingInForceBesideTheOneConcluded() {
        HttpResponse<ReviewView> recorded = record("ana", "B-1001", visit());

        assertThat(recorded.code()).as(message(recorded)).isEqualTo(201);
        ReviewView review = recorded.body();
        assertThat(review.status()).isEqualTo("PUBLISHED");
        assertThat(review.reviewedBy()).isEqualTo("ana");
        assertThat(review.ratingInForce()).as("the engine's, from its snapshot").isEqualTo("BBB+");
        assertThat(review.ratingConcluded()).isEqualTo("BB+");
        assertThat(review.ratingChangeProposed()).isTrue();
        List<ConsumerRecord<byte[], byte[]>> sent = onTheTopic().stream()
                .filter(r -> ((BorrowerReview) new WireCodec().decode(r.value()).record()).getEventId().equals(review.reviewId())).toList();
        assertThat(sent).singleElement().satisfies(record -> {
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("B-1001");
            assertThat(ENGINE.problem(record.value())).as("the engine's check of the signature").isNull();
            BorrowerReview onTopic = (BorrowerReview) new WireCodec().decode(record.value()).record();
            assertThat(onTopic.getKind()).isEqualTo(ReviewKind.SITE_VISIT);
            assertThat(onTopic.getReviewDate()).isEqualTo(TODAY.minusDays(1));
            assertThat(onTopic.getNextReviewDate()).isEqualTo(TODAY.plusMonths(3));
            assertThat(onTopic.getVisitNotes()).startsWith("Plant running one shift");
        });
        assertThat(desk.get("aud", "/api/borrowers/B-1001/reviews", Argument.listOf(ReviewView.class)))
                .extracting(ReviewView::reviewId).contains(review.reviewId());
        String audit = desk.get("aud", "/api/audit?targetType=borrower-review&targetId=" + review.reviewId(), Argument.of(String.class));
        assertThat(audit).contains("\"REVIEW_RECORD\"").contains("\"ana\"").contains("SITE_VISIT");
    }

    @Test
    void theReviewTasksAreTheEnginesDueDatesOverdueFirstWithItsAlert() {
        List<ReviewTask> due = desk.get("ana", "/api/reviews/due?within=30", Argument.listOf(ReviewTask.class));

        assertThat(due).extracting(ReviewTask::borrowerId).containsSubsequence("B-1002", "B-1001");
        ReviewTask overdue = due.stream().filter(t -> t.borrowerId().equals("B-1002")).findFirst().orElseThrow();
        assertThat(overdue.dueDate()).isEqualTo(TODAY.minusDays(12));
        assertThat(overdue.overdueDays()).as("the engine's count, not the desk's").isEqualTo(12L);
        assertThat(overdue.alertId()).isEqualTo("a-review-1002");
        assertThat(overdue.officer()).isNull();
        ReviewTask coming = due.stream().filter(t -> t.borrowerId().equals("B-1001")).findFirst().orElseThrow();
        assertThat(coming.dueDate()).isEqualTo(TODAY.plusDays(5));
        assertThat(coming.officer()).isEqualTo("ana");
        assertThat(coming.alertId()).isNull();
        assertThat(coming.grade()).as("no score from the engine yet").isNull();

        assertThat(desk.get("ana", "/api/reviews/due?within=30&officer=ana", Argument.listOf(ReviewTask.class)))
                .extracting(ReviewTask::borrowerId).containsExactly("B-1001");
        assertThat(desk.get("ana", "/api/reviews/due?within=0", Argument.listOf(ReviewTask.class)))
                .as("due today or before").extracting(ReviewTask::borrowerId).containsExactly("B-1002");
    }

    @Test
    void aReviewIsRefusedFieldByFieldAndOnlyItsOwnerOrASupervisorMayRecordIt() {
        assertThat(record("ben", "B-1001", visit()).code()).as("ben owns nothing").isEqualTo(403);
        assertThat(record("aud", "B-1001", visit()).code()).as("an auditor reads, never records").isEqualTo(403);
        assertThat(record("ana", "B-404", visit()).code()).isEqualTo(404);

        Map<String, Object> future = visit();
        future.put("reviewDate", TODAY.plusDays(1).toString());
        assertThat(message(record("ana", "B-1001", future))).startsWith("reviewDate " + TODAY.plusDays(1) + " is after today");
        Map<String, Object> notADate = visit();
        notADate.put("reviewDate", "01/03/2026");
        assertThat(message(record("ana", "B-1001", notADate))).isEqualTo("reviewDate: '01/03/2026' is not a date (write 2026-03-01)");
        Map<String, Object> noNotes = visit();
        noNotes.remove("visitNotes");
        assertThat(message(record("ana", "B-1001", noNotes))).isEqualTo("visitNotes must say what was seen on a SITE_VISIT");
        Map<String, Object> offScale = visit();
        offScale.put("ratingConcluded", "7");
        assertThat(message(record("ana", "B-1001", offScale))).startsWith("ratingConcluded: '7' is not a grade of the internal scale");
        Map<String, Object> backwards = visit();
        backwards.put("nextReviewDate", TODAY.minusDays(2).toString());
        assertThat(message(record("ana", "B-1001", backwards))).startsWith("nextReviewDate " + TODAY.minusDays(2) + " is not after today");
        // A review dated far back may end an alert that has run for months: the owner alone may not, a supervisor may.
        Map<String, Object> longAgo = visit();
        longAgo.put("reviewDate", TODAY.minusDays(45).toString());
        HttpResponse<ReviewView> byOwner = record("ana", "B-1001", longAgo);
        assertThat(byOwner.code()).isEqualTo(403);
        assertThat(message(byOwner)).contains("more than 30 days ago", "a supervisor records it");
        Map<String, Object> kind = visit();
        kind.put("kind", "LUNCH");
        assertThat(message(record("ana", "B-1001", kind))).isEqualTo("kind: 'LUNCH' is not one of DESK_REVIEW, SITE_VISIT, CALL");
        Map<String, Object> empty = visit();
        empty.put("findings", "  ");
        assertThat(message(record("ana", "B-1001", empty))).isEqualTo("missing findings");

        HttpResponse<ReviewView> bySupervisor = record("sue", "B-1002", Map.of("kind", "CALL", "reviewDate", TODAY.minusDays(45).toString(),
                "findings", "Called the treasurer: the freight receivable came in.", "ratingConcluded", "BBB+"));
        assertThat(bySupervisor.code()).as(message(bySupervisor)).isEqualTo(201);
        assertThat(bySupervisor.body().ratingChangeProposed()).as("BBB+ confirmed").isFalse();
    }
}
