package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.collections.CollectionCaseView;
import dev.kestrel.api.collections.CollectionCaseView.StepView;
import dev.kestrel.api.errors.ApiError;
import dev.kestrel.contract.Samples;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.IndicatorUnit;
import dev.kestrel.events.IndicatorValue;
import dev.kestrel.events.LoanCategory;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bank's side of collections (催收), written as a collections head expects it before the desk was built:
 * <ul>
 *   <li>Jiangnan Precision (B-1001, ana's) falls behind: arrears under the materiality floor open nothing; the engine's
 *   first snapshot of material arrears reaches the desk ten days late and the ladder still counts from the engine's
 *   first material day, so the reminder and the call are late at once; a dip below materiality and a new run keep the
 *   one case on its first day; non-performing is marked on the same case; paid up, the case closes with its pending
 *   steps cancelled, and a snapshot read again from before the payment opens nothing; new arrears open a new case.</li>
 *   <li>Jiangnan Shipping (B-1002, ana's) is substandard under CN on CNY 3,000 overdue for 95 days, under the floor:
 *   a case opens all the same, from the first day past due.</li>
 * </ul>
 * What the desk must not let happen: a step recorded by someone outside the borrower's portfolio, dated in the future
 * or before the arrears, backdated by an analyst beyond 30 days, a promise without its amount, a demand without proof
 * of delivery, a waiver by an analyst or by a supervisor who works the case, or anything recorded on a closed case.
 */
@MicronautTest
class CollectionTest extends DeskTest {
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @BeforeAll
    void threeBorrowersOwnedByAna() {
        DeskTestSupport.send(topics.profiles(), List.of(Samples.borrowerProfile(),
                BorrowerProfile.newBuilder(Samples.borrowerProfile()).setBorrowerId("B-1002").setName("Jiangnan Shipping Ltd.").build()));
        eventually(Duration.ofSeconds(20), "the profiles arrive", () ->
                desk.call("sue", HttpRequest.GET("/api/borrowers/B-1002"), Argument.of(JsonNode.class)).code() == 200
                        && desk.call("sue", HttpRequest.GET("/api/borrowers/B-1001"), Argument.of(JsonNode.class)).code() == 200);
        for (String borrower : List.of("B-1001", "B-1002")) {
            assertThat(desk.call("sue", HttpRequest.PUT("/api/borrowers/" + borrower + "/owner", Map.of("officer", "ana", "team", "East")),
                    Argument.of(String.class)).code()).isEqualTo(200);
        }
    }

    /** The engine's snapshot of a borrower: days past due, CNY overdue, the first day of material arrears, category. */
    private static BorrowerRiskSnapshot snapshot(String borrowerId, Instant asOf, int daysPastDue, long overdueYuan,
                                                 LocalDate materialSince, LoanCategory category) {
        return BorrowerRiskSnapshot.newBuilder(Samples.borrowerRiskSnapshot()).setBorrowerId(borrowerId).setAsOf(asOf)
                .setDaysPastDue(daysPastDue).setLoanCategory(category).setMaterialArrearsSince(materialSince)
                .setIndicators(List.of(new IndicatorValue("daysPastDue", IndicatorUnit.DAYS, (long) daysPastDue, asOf),
                        new IndicatorValue("overdueAmount", IndicatorUnit.MINOR_UNITS, overdueYuan * 100, asOf)))
                .build();
    }

    private void send(BorrowerRiskSnapshot... snapshots) {
        DeskTestSupport.send(topics.snapshots(), List.of(snapshots));
    }

    private List<CollectionCaseView> casesOf(String borrowerId) {
        return desk.get("aud", "/api/borrowers/" + borrowerId + "/collections", Argument.listOf(CollectionCaseView.class));
    }

    private void waitForSnapshot(String borrowerId, Instant asOf) {
        eventually(Duration.ofSeconds(20), "the snapshot of " + asOf + " arrives", () -> {
            JsonNode risk = desk.call("sue", HttpRequest.GET("/api/borrowers/" + borrowerId), Argument.of(JsonNode.class)).body().get("risk");
            JsonNode at = risk == null ? null : risk.get("asOf");
            return at != null && at.isString() && Instant.parse(at.getStringValue()).equals(asOf);
        });
    }

    private HttpResponse<CollectionCaseView> record(String user, String caseId, int position, Map<String, Object> step) {
        return desk.call(user, HttpRequest.POST("/api/collections/" + caseId + "/steps/" + position, step),
                Argument.of(CollectionCaseView.class));
    }

    private static String message(HttpResponse<?> response) {
        return response.code() < 400 ? "" : response.getBody(ApiError.class).map(ApiError::message).orElse("");
    }

    private static Map<String, Object> step(String outcome, LocalDate doneOn) {
        Map<String, Object> step = new HashMap<>();
        step.put("outcome", outcome);
        if (doneOn != null) {
            step.put("doneOn", doneOn.toString());
        }
        return step;
    }

    private int auditRows(String caseId, String action) {
        String audit = desk.get("aud", "/api/audit?targetType=collection-case&targetId=" + caseId, Argument.of(String.class));
        return audit.split("\"" + action + "\"", -1).length - 1;
    }

    @Test
    void aCaseOpensOnTheEnginesFirstMaterialDayKeepsItsLadderThroughADipAndClosesOnlyWhenNothingIsPastDue() {
        LocalDate material = TODAY.minusDays(10);
        Instant underFloor = NOW.minus(Duration.ofDays(20));
        send(snapshot("B-1001", underFloor, 3, 400, null, LoanCategory.SPECIAL_MENTION));
        waitForSnapshot("B-1001", underFloor);
        assertThat(casesOf("B-1001")).as("CNY 400 past due is under the materiality floor: no case").isEmpty();

        // The first snapshot with material arrears reaches the desk a day old, the arrears ten days old.
        Instant opened = NOW.minus(Duration.ofDays(1));
        BorrowerRiskSnapshot openedSnapshot = snapshot("B-1001", opened, 12, 250_000, material, LoanCategory.SPECIAL_MENTION);
        send(openedSnapshot);
        waitForSnapshot("B-1001", opened);
        assertThat(casesOf("B-1001")).singleElement().satisfies(c -> {
            assertThat(c.caseId()).isEqualTo("CC-B-1001-" + material);
            assertThat(c.status()).isEqualTo("OPEN");
            assertThat(c.openedOn()).isEqualTo("MATERIAL_ARREARS");
            assertThat(c.arrearsSince()).as("the engine's first material day, not the day the desk heard").isEqualTo(material);
            assertThat(c.openedOverdueMinor()).isEqualTo(25_000_000L);
            assertThat(c.officer()).isEqualTo("ana");
            assertThat(c.steps()).extracting(s -> s.kind() + " " + s.dueDate() + " " + s.status() + (s.late() ? " late" : ""))
                    .containsExactly("REMINDER " + material + " PENDING late", "CALL " + material.plusDays(6) + " PENDING late",
                            "FORMAL_LETTER " + material.plusDays(29) + " PENDING", "LAWYERS_LETTER " + material.plusDays(59) + " PENDING",
                            "LEGAL_ACTION " + material.plusDays(89) + " PENDING");
            assertThat(c.lateSteps()).isEqualTo(2);
            assertThat(c.nextStep().kind()).isEqualTo("REMINDER");
        });
        String caseId = "CC-B-1001-" + material;
        assertThat(record("ana", caseId, 1, Map.of("outcome", "SENT", "doneOn", material.toString(), "notes", "SMS and e-mail to the CFO"))
                .code()).isEqualTo(200);

        // Read again after a restart, with one from before it: still one case, opened once.
        send(snapshot("B-1001", underFloor, 3, 400, null, LoanCategory.SPECIAL_MENTION), openedSnapshot);
        // A part payment takes the arrears under the floor; a new instalment makes them material again from yesterday.
        Instant dip = NOW.minus(Duration.ofHours(20));
        Instant rise = NOW.minus(Duration.ofHours(16));
        send(snapshot("B-1001", dip, 13, 300, null, LoanCategory.SPECIAL_MENTION),
                snapshot("B-1001", rise, 14, 180_000, TODAY.minusDays(1), LoanCategory.SPECIAL_MENTION));
        waitForSnapshot("B-1001", rise);
        assertThat(casesOf("B-1001")).singleElement().satisfies(c -> {
            assertThat(c.caseId()).isEqualTo(caseId);
            assertThat(c.arrearsSince()).as("a dip does not put the ladder off").isEqualTo(material);
            assertThat(c.steps().get(0).status()).isEqualTo("DONE");
            assertThat(c.steps().get(1).dueDate()).isEqualTo(material.plusDays(6));
            assertThat(c.daysPastDue()).as("the engine's latest figure").isEqualTo(14);
            assertThat(c.overdueMinor()).isEqualTo(18_000_000L);
        });
        assertThat(auditRows(caseId, "COLLECTION_CASE_OPEN")).isEqualTo(1);

        Instant substandard = NOW.minus(Duration.ofHours(12));
        send(snapshot("B-1001", substandard, 95, 180_000, TODAY.minusDays(1), LoanCategory.SUBSTANDARD));
        waitForSnapshot("B-1001", substandard);
        assertThat(casesOf("B-1001")).singleElement().satisfies(c -> {
            assertThat(c.nonPerformingSince()).isEqualTo(substandard);
            assertThat(c.loanCategory()).isEqualTo("SUBSTANDARD");
        });

        Instant paid = NOW.minus(Duration.ofHours(8));
        send(snapshot("B-1001", paid, 0, 0, null, LoanCategory.SUBSTANDARD));
        waitForSnapshot("B-1001", paid);
        assertThat(casesOf("B-1001")).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo("CLOSED");
            assertThat(c.closeReason()).as("arrears paid; the engine ends a default").isEqualTo("ARREARS_CLEARED");
            assertThat(c.closedAt()).isEqualTo(paid);
            assertThat(c.steps()).extracting(StepView::status).containsExactly("DONE", "CANCELLED", "CANCELLED", "CANCELLED", "CANCELLED");
            assertThat(c.nextStep()).isNull();
        });
        HttpResponse<CollectionCaseView> onClosed = record("ana", caseId, 2, step("CONTACTED", TODAY));
        assertThat(onClosed.code()).isEqualTo(409);
        assertThat(message(onClosed)).contains("closed ARREARS_CLEARED");

        // A snapshot from before the payment, read again, does not reopen it; new arrears open a new case.
        send(snapshot("B-1001", rise, 14, 180_000, TODAY.minusDays(1), LoanCategory.SPECIAL_MENTION));
        Instant again = NOW.minus(Duration.ofHours(2));
        send(snapshot("B-1001", again, 1, 90_000, TODAY, LoanCategory.SUBSTANDARD));
        waitForSnapshot("B-1001", again);
        assertThat(casesOf("B-1001")).extracting(c -> c.caseId() + " " + c.status())
                .containsExactly("CC-B-1001-" + TODAY + " OPEN", caseId + " CLOSED");
        assertThat(desk.get("ana", "/api/collections?status=closed", Argument.listOf(CollectionCaseView.class)))
                .extracting(CollectionCaseView::caseId).contains(caseId);
        assertThat(auditRows(caseId, "COLLECTION_CASE_CLOSE")).isEqualTo(1);
        assertThat(auditRows(caseId, "COLLECTION_CASE_NON_PERFORMING")).isEqualTo(1);
    }

    @Test
    void aNonPerformingClaimUnderTheFloorHasACaseAndItsStepsAreRecordedByItsOwnerFieldByField() {
        send(snapshot("B-1002", NOW, 95, 3_000, null, LoanCategory.SUBSTANDARD));
        waitForSnapshot("B-1002", NOW);
        LocalDate firstDayPastDue = TODAY.minusDays(94);
        String caseId = "CC-B-1002-" + firstDayPastDue;
        CollectionCaseView opened = desk.get("aud", "/api/collections/" + caseId, Argument.of(CollectionCaseView.class));
        assertThat(opened.openedOn()).isEqualTo("NON_PERFORMING");
        assertThat(opened.nonPerformingSince()).isEqualTo(NOW);
        assertThat(opened.lateSteps()).as("95 days past due and nobody chased: every rung is late").isEqualTo(5);

        assertThat(record("ben", caseId, 1, step("SENT", TODAY)).code()).as("ben's portfolio holds no B-1002").isEqualTo(403);
        assertThat(record("aud", caseId, 1, step("SENT", TODAY)).code()).isEqualTo(403);
        assertThat(record("ana", "CC-nothing", 1, step("SENT", TODAY)).code()).isEqualTo(404);
        assertThat(record("ana", caseId, 9, step("SENT", TODAY)).code()).isEqualTo(404);
        assertThat(message(record("ana", caseId, 1, step("LUNCH", TODAY)))).isEqualTo("outcome: 'LUNCH' is not one of "
                + "SENT, CONTACTED, PROMISE_TO_PAY, PAID, NO_RESPONSE, DISPUTED, REFUSED, FILED, WAIVED");
        assertThat(message(record("ana", caseId, 1, step("SENT", null)))).isEqualTo("missing doneOn: the day the step was done");
        assertThat(message(record("ana", caseId, 1, step("SENT", TODAY.plusDays(1))))).startsWith("doneOn " + TODAY.plusDays(1) + " is after today");
        assertThat(message(record("ana", caseId, 1, step("SENT", firstDayPastDue.minusDays(1))))).contains("is before the arrears began");
        HttpResponse<CollectionCaseView> backdated = record("ana", caseId, 1, step("SENT", TODAY.minusDays(45)));
        assertThat(backdated.code()).isEqualTo(403);
        assertThat(message(backdated)).contains("more than 30 days ago");
        assertThat(message(record("ana", caseId, 2, step("SENT", TODAY)))).startsWith("outcome: a CALL is not SENT");
        assertThat(message(record("ana", caseId, 3, step("FILED", TODAY)))).isEqualTo("outcome: FILED is for a LEGAL_ACTION step; this one is FORMAL_LETTER");
        assertThat(message(record("ana", caseId, 5, step("FILED", TODAY)))).startsWith("reference: the court's case or filing number");

        Map<String, Object> promise = step("PROMISE_TO_PAY", TODAY);
        assertThat(message(record("ana", caseId, 2, promise))).startsWith("promisedAmountMinor: the amount promised");
        promise.put("promisedAmountMinor", 300_000);
        promise.put("promisedDate", TODAY.plusDays(200).toString());
        assertThat(message(record("ana", caseId, 2, promise))).contains("at most 180 days after it");
        promise.put("promisedDate", TODAY.plusDays(14).toString());
        promise.put("notes", "The owner promised the full arrears from a receivable due next week.");
        HttpResponse<CollectionCaseView> promised = record("ana", caseId, 2, promise);
        assertThat(promised.code()).as(message(promised)).isEqualTo(200);
        assertThat(promised.body().steps().get(1)).satisfies(s -> {
            assertThat(s.status()).isEqualTo("DONE");
            assertThat(s.outcome()).isEqualTo("PROMISE_TO_PAY");
            assertThat(s.promisedAmountMinor()).isEqualTo(300_000L);
            assertThat(s.promisedDate()).isEqualTo(TODAY.plusDays(14));
            assertThat(s.recordedBy()).isEqualTo("ana");
        });
        HttpResponse<CollectionCaseView> twice = record("ana", caseId, 2, step("CONTACTED", TODAY));
        assertThat(twice.code()).isEqualTo(409);
        assertThat(message(twice)).contains("is DONE already: recorded by ana");

        // The lawyer's letter goes out before the formal demand: accepted, and the demand stays owed.
        assertThat(message(record("ana", caseId, 4, step("SENT", TODAY)))).startsWith("reference: the proof of delivery of the LAWYERS_LETTER");
        Map<String, Object> letter = step("SENT", TODAY);
        letter.put("reference", "EMS 1188 2204 5531, signed by the CFO");
        CollectionCaseView afterLetter = record("ana", caseId, 4, letter).body();
        assertThat(afterLetter.steps()).extracting(s -> s.kind() + " " + s.status())
                .containsExactly("REMINDER PENDING", "CALL DONE", "FORMAL_LETTER PENDING", "LAWYERS_LETTER DONE", "LEGAL_ACTION PENDING");
        assertThat(afterLetter.nextStep().kind()).isEqualTo("REMINDER");

        Map<String, Object> waiver = new HashMap<>(Map.of("outcome", "WAIVED"));
        assertThat(record("ana", caseId, 5, waiver).code()).as("an analyst does not waive").isEqualTo(403);
        assertThat(message(record("sam", caseId, 5, waiver))).isEqualTo("notes: the reason the step is waived");
        waiver.put("notes", "A restructuring is under negotiation; suit would end it.");
        HttpResponse<CollectionCaseView> waived = record("sam", caseId, 5, waiver);
        assertThat(waived.code()).as(message(waived)).isEqualTo(200);
        assertThat(waived.body().steps().get(4)).satisfies(s -> {
            assertThat(s.status()).isEqualTo("WAIVED");
            assertThat(s.doneOn()).isEqualTo(TODAY);
            assertThat(s.recordedBy()).isEqualTo("sam");
        });
        // A supervisor may date a step further back; having worked the case, she may no longer waive its steps.
        assertThat(record("sue", caseId, 1, step("SENT", TODAY.minusDays(60))).code()).isEqualTo(200);
        HttpResponse<CollectionCaseView> ownWaiver = record("sue", caseId, 3, Map.of("outcome", "WAIVED", "notes", "not needed"));
        assertThat(ownWaiver.code()).isEqualTo(403);
        assertThat(message(ownWaiver)).contains("another supervisor waives");

        assertThat(desk.get("ana", "/api/collections?officer=ana", Argument.listOf(CollectionCaseView.class)))
                .filteredOn(c -> c.caseId().equals(caseId)).singleElement()
                .satisfies(c -> assertThat(c.nextStep().kind()).isEqualTo("FORMAL_LETTER"));
        assertThat(desk.get("ana", "/api/collections?officer=ben", Argument.listOf(CollectionCaseView.class))).isEmpty();
        assertThat(desk.call("ana", HttpRequest.GET("/api/collections?status=DONE"), Argument.of(String.class)).code()).isEqualTo(400);
        assertThat(auditRows(caseId, "COLLECTION_STEP_RECORD")).isEqualTo(4);
    }
}
