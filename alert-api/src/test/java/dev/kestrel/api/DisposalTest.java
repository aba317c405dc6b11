package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.collections.CollectionCaseView;
import dev.kestrel.api.collections.DisposalView;
import dev.kestrel.api.errors.ApiError;
import dev.kestrel.contract.Samples;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.FacilityStatus;
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
 * The bank's side of disposing of a non-performing loan (不良资产处置). Jiangnan Shipping (B-1002, ana's) owes CNY 8
 * million on two facilities: a term loan secured by a vessel the bank lends CNY 3.5 million against, and an unsecured
 * revolving line. Its arrears turn material, then the engine classifies it substandard. Before that, the desk offers no
 * disposal; after it, four options, each with the engine's figures (exposure, arrears, collateral lending value and
 * what it leaves uncovered, repayments since, other creditors' suits) and the case's own (the demand that restarted
 * limitation). ana proposes a transfer, which sue rejects with her reason; sue proposes litigation, which she may not
 * approve herself and sam does; ana records the claim and the auction's proceeds; the engine reports the arrears
 * cleared, and recoveries can still be recorded. The auditor downloads the report with the case's whole history.
 */
@MicronautTest
class DisposalTest extends DeskTest {
    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private static final LocalDate MATERIAL = TODAY.minusDays(94);

    @BeforeAll
    void jiangnanShippingOwnedByAna() {
        DeskTestSupport.send(topics.profiles(), List.of(
                BorrowerProfile.newBuilder(Samples.borrowerProfile()).setBorrowerId("B-1002").setName("Jiangnan Shipping Ltd.").build()));
        eventually(Duration.ofSeconds(20), "the profile arrives", () ->
                desk.call("sue", HttpRequest.GET("/api/borrowers/B-1002"), Argument.of(JsonNode.class)).code() == 200);
        assertThat(desk.call("sue", HttpRequest.PUT("/api/borrowers/B-1002/owner", Map.of("officer", "ana", "team", "East")),
                Argument.of(String.class)).code()).isEqualTo(200);
    }

    private static long yuan(long yuan) {
        return yuan * 100;
    }

    /** The engine's snapshot: the secured term loan and the unsecured line, and the borrower's indicators. */
    private static BorrowerRiskSnapshot snapshot(Instant asOf, int daysPastDue, LoanCategory category, long termDrawnYuan,
                                                 long overdueYuan, LocalDate materialSince) {
        List<IndicatorValue> indicators = List.of(
                new IndicatorValue("daysPastDue", IndicatorUnit.DAYS, (long) daysPastDue, asOf),
                new IndicatorValue("overdueAmount", IndicatorUnit.MINOR_UNITS, yuan(overdueYuan), asOf),
                new IndicatorValue("inflow30d", IndicatorUnit.MINOR_UNITS, yuan(150_000), asOf),
                new IndicatorValue("outflow30d", IndicatorUnit.MINOR_UNITS, yuan(420_000), asOf),
                new IndicatorValue("lawsuits365d", IndicatorUnit.COUNT, 2L, asOf));
        return BorrowerRiskSnapshot.newBuilder(Samples.borrowerRiskSnapshot()).setBorrowerId("B-1002").setAsOf(asOf)
                .setDaysPastDue(daysPastDue).setLoanCategory(category).setMaterialArrearsSince(materialSince)
                .setDrawnMinor(yuan(termDrawnYuan + 2_000_000)).setCurrency("CNY")
                .setFacilities(List.of(
                        FacilityStatus.newBuilder().setFacilityId("F-1002-TERM").setLimitMinor(yuan(6_000_000))
                                .setDrawnMinor(yuan(termDrawnYuan)).setDaysPastDue(daysPastDue).setOverdueMinor(yuan(overdueYuan))
                                .setNonPerforming(category.compareTo(LoanCategory.SUBSTANDARD) >= 0).setCurrency("CNY")
                                .setCollateralLendingValueMinor(yuan(3_500_000)).build(),
                        FacilityStatus.newBuilder().setFacilityId("F-1002-RCF").setLimitMinor(yuan(3_000_000))
                                .setDrawnMinor(yuan(2_000_000)).setDaysPastDue(0).setOverdueMinor(0)
                                .setNonPerforming(category.compareTo(LoanCategory.SUBSTANDARD) >= 0).setCurrency("CNY").build()))
                .setIndicators(indicators).build();
    }

    private void sendAndWait(BorrowerRiskSnapshot snapshot) {
        DeskTestSupport.send(topics.snapshots(), List.of(snapshot));
        eventually(Duration.ofSeconds(20), "the snapshot of " + snapshot.getAsOf() + " arrives", () -> {
            JsonNode risk = desk.call("sue", HttpRequest.GET("/api/borrowers/B-1002"), Argument.of(JsonNode.class)).body().get("risk");
            JsonNode at = risk == null ? null : risk.get("asOf");
            return at != null && at.isString() && Instant.parse(at.getStringValue()).equals(snapshot.getAsOf());
        });
    }

    private HttpResponse<DisposalView> post(String user, String path, Map<String, Object> body) {
        return desk.call(user, HttpRequest.POST("/api/collections/" + caseId() + "/disposal" + path, body), Argument.of(DisposalView.class));
    }

    private static String caseId() {
        return "CC-B-1002-" + MATERIAL;
    }

    private DisposalView disposal() {
        return desk.get("aud", "/api/collections/" + caseId() + "/disposal", Argument.of(DisposalView.class));
    }

    private static String message(HttpResponse<?> response) {
        return response.code() < 400 ? "" : response.getBody(ApiError.class).map(ApiError::message).orElse("");
    }

    /** The user's approvals worklist, one line per proposal; the count of those they may decide must agree. */
    private List<String> awaiting(String user) {
        JsonNode worklist = desk.get(user, "/api/approvals", Argument.of(JsonNode.class));
        List<String> lines = new java.util.ArrayList<>();
        int mayDecide = 0;
        for (JsonNode a : worklist.get("items").values()) {
            boolean may = a.get("mayDecide").getBooleanValue();
            mayDecide += may ? 1 : 0;
            JsonNode amount = a.get("amountMinor");
            lines.add(a.get("kind").getStringValue() + " " + a.get("decisionId").getStringValue() + " " + a.get("action").getStringValue()
                    + (amount == null || amount.isNull() ? "" : " " + amount.getLongValue() + " " + a.get("currency").getStringValue())
                    + " by " + a.get("proposedBy").getStringValue() + ": " + (may ? "may decide"
                    : (a.get("yours").getBooleanValue() ? "yours, " : "") + a.get("whyNot").getStringValue()));
        }
        assertThat(worklist.get("mayDecide").getIntValue()).isEqualTo(mayDecide);
        return lines;
    }

    private static Map<String, Object> body(Object... keysAndValues) {
        Map<String, Object> body = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            body.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return body;
    }

    @Test
    void aNonPerformingClaimIsDisposedOfOnTheFiguresByTwoPeopleAndItsReportHoldsTheWholeHistory() {
        sendAndWait(snapshot(NOW.minus(Duration.ofDays(60)), 35, LoanCategory.SPECIAL_MENTION, 6_000_000, 400_000, MATERIAL));
        HttpResponse<String> early = desk.call("aud", HttpRequest.GET("/api/collections/" + caseId() + "/disposal"), Argument.of(String.class));
        assertThat(early.code()).as("35 days past due is not non-performing: no disposal yet").isEqualTo(409);
        assertThat(message(early)).contains("is not non-performing");

        Instant substandard = NOW.minus(Duration.ofDays(5));
        sendAndWait(snapshot(substandard, 95, LoanCategory.SUBSTANDARD, 5_800_000, 400_000, MATERIAL));
        Map<String, Object> demand = body("outcome", "SENT", "doneOn", TODAY.minusDays(2).toString(),
                "reference", "EMS 1188 2204 5531, signed for by the CFO");
        assertThat(desk.call("ana", HttpRequest.POST("/api/collections/" + caseId() + "/steps/3", demand),
                Argument.of(CollectionCaseView.class)).code()).isEqualTo(200);
        Instant later = NOW.minus(Duration.ofDays(1));
        sendAndWait(snapshot(later, 99, LoanCategory.SUBSTANDARD, 5_500_000, 400_000, MATERIAL));

        DisposalView offered = disposal();
        assertThat(offered.nonPerformingSince()).isEqualTo(substandard);
        assertThat(offered.figures()).satisfies(f -> {
            assertThat(f.drawnMinor()).isEqualTo(yuan(7_500_000));
            assertThat(f.collateralLendingValueMinor()).as("the vessel, as the engine values it for loan-to-value").isEqualTo(yuan(3_500_000));
            assertThat(f.uncoveredMinor()).as("2.0m of the term loan and the whole unsecured line").isEqualTo(yuan(4_000_000));
            assertThat(f.nonPerformingFrom()).as("the first snapshot of the current non-performing run").isEqualTo(substandard);
            assertThat(f.drawnAtNonPerformingMinor()).isEqualTo(yuan(7_800_000));
            assertThat(f.drawnFallSinceNonPerformingMinor()).isEqualTo(yuan(300_000));
            assertThat(f.lastInterruptionOn()).isEqualTo(TODAY.minusDays(2));
            assertThat(f.lastInterruption()).as("a formal demand with its proof of delivery").isEqualTo("DEMAND");
            assertThat(f.limitationRunsTo()).as("three years from the demand (PRC Civil Code arts. 188, 195)")
                    .isEqualTo(TODAY.minusDays(2).plusYears(3));
        });
        assertThat(offered.options()).extracting(o -> o.option()).containsExactly("RESTRUCTURE", "TRANSFER", "LITIGATION", "WRITE_OFF");
        assertThat(offered.options().get(0).figures()).anySatisfy(line -> assertThat(line)
                .isEqualTo("Cash flow: in CNY 150,000.00, out CNY 420,000.00 over the last 30 days."));
        assertThat(offered.options().get(2).figures()).contains(
                "Limitation: interrupted on " + TODAY.minusDays(2) + " by a demand delivered; the three-year period runs to "
                        + TODAY.minusDays(2).plusYears(3) + " unless interrupted again (PRC Civil Code arts. 188, 195). Only the "
                        + "ladder's steps count here: a later demand made elsewhere makes the period longer.",
                "Other creditors: 2 lawsuits in 365 days.");
        assertThat(offered.options().get(3).figures()).contains("Loss if written off today, before further recovery: CNY 4,000,000.00.");

        // Who may propose, and what a proposal must say.
        assertThat(post("ben", "/decisions", body("option", "TRANSFER", "rationale", "x", "expectedRecoveryMinor", 1)).code()).isEqualTo(403);
        assertThat(message(post("ana", "/decisions", body("option", "SELL", "rationale", "x", "expectedRecoveryMinor", 1))))
                .isEqualTo("option: 'SELL' is not one of RESTRUCTURE, TRANSFER, LITIGATION, WRITE_OFF");
        assertThat(message(post("ana", "/decisions", body("option", "TRANSFER", "expectedRecoveryMinor", 1))))
                .startsWith("missing rationale");
        assertThat(message(post("ana", "/decisions", body("option", "TRANSFER", "rationale", "x", "expectedRecoveryMinor", yuan(9_000_000)))))
                .contains("is more than the claim can be");

        // ana, the owner, first proposes freezing what is left undrawn; then a transfer of the claim.
        HttpResponse<JsonNode> freeze = desk.call("ana", HttpRequest.POST("/api/limit-decisions", body("borrowerId", "B-1002",
                "action", "FREEZE_UNDRAWN", "reason", "Non-performing: nothing more is lent while the claim is worked out.")),
                Argument.of(JsonNode.class));
        assertThat(freeze.code()).isEqualTo(201);
        String freezeId = freeze.body().get("decisionId").getStringValue();
        HttpResponse<DisposalView> transfer = post("ana", "/decisions", body("option", "TRANSFER", "expectedRecoveryMinor", yuan(2_600_000),
                "rationale", "An AMC bid for the claim; quicker than court."));
        assertThat(transfer.code()).as(message(transfer)).isEqualTo(201);
        String transferId = transfer.body().decisions().get(0).decisionId();

        // Both wait for a second person, the longer waiting first; each says who may decide it, as its endpoint would.
        assertThat(awaiting("sue")).containsExactly("LIMIT_DECISION " + freezeId + " FREEZE_UNDRAWN by ana: may decide",
                "DISPOSAL " + transferId + " TRANSFER 260000000 CNY by ana: may decide");
        assertThat(awaiting("ana")).as("the proposer sees her own, waiting for a supervisor").containsExactly(
                "LIMIT_DECISION " + freezeId + " FREEZE_UNDRAWN by ana: yours, a supervisor approves a limit decision",
                "DISPOSAL " + transferId + " TRANSFER 260000000 CNY by ana: yours, a supervisor decides a disposal");
        assertThat(awaiting("ben")).as("another analyst sees no one else's proposals").isEmpty();
        assertThat(awaiting("aud")).as("the auditor sees all, and decides none").containsExactly(
                "LIMIT_DECISION " + freezeId + " FREEZE_UNDRAWN by ana: a supervisor approves a limit decision",
                "DISPOSAL " + transferId + " TRANSFER 260000000 CNY by ana: a supervisor decides a disposal");
        assertThat(awaiting("adm")).as("an administrator reads everything and decides no credit matter").containsExactly(
                "LIMIT_DECISION " + freezeId + " FREEZE_UNDRAWN by ana: a supervisor approves a limit decision",
                "DISPOSAL " + transferId + " TRANSFER 260000000 CNY by ana: a supervisor decides a disposal");
        assertThat(transfer.body().decisions().get(0).figures().get("uncoveredMinor").getLongValue())
                .as("the figures it was proposed on, kept with it").isEqualTo(yuan(4_000_000));
        assertThat(post("ana", "/decisions", body("option", "WRITE_OFF", "rationale", "x", "expectedRecoveryMinor", 0)).code())
                .as("one proposal waits at a time").isEqualTo(409);
        assertThat(post("ana", "/decisions/" + transferId + "/approve", body()).code()).as("an analyst decides nothing").isEqualTo(403);
        assertThat(message(post("sue", "/decisions/" + transferId + "/reject", body()))).isEqualTo("note: why the proposal is rejected");
        HttpResponse<DisposalView> rejected = post("sue", "/decisions/" + transferId + "/reject",
                body("note", "The bid is below the vessel's lending value: enforce first."));
        assertThat(rejected.code()).isEqualTo(200);
        assertThat(rejected.body().decisions().get(0).status()).isEqualTo("REJECTED");

        assertThat(message(post("ana", "/progress", body("onDate", TODAY.toString(), "note", "x"))))
                .startsWith("no approved disposal");
        HttpResponse<DisposalView> litigation = post("sue", "/decisions", body("option", "LITIGATION",
                "expectedRecoveryMinor", yuan(3_200_000), "rationale", "Arrest and auction the vessel; sue for the rest."));
        String litigationId = litigation.body().decisions().get(1).decisionId();
        HttpResponse<DisposalView> ownApproval = post("sue", "/decisions/" + litigationId + "/approve", body());
        assertThat(ownApproval.code()).isEqualTo(403);
        assertThat(message(ownApproval)).contains("four eyes");
        assertThat(awaiting("sue")).as("the rejected transfer has left the worklist; her own proposal she may not decide").containsExactly(
                "LIMIT_DECISION " + freezeId + " FREEZE_UNDRAWN by ana: may decide",
                "DISPOSAL " + litigationId + " LITIGATION 320000000 CNY by sue: yours, " + message(ownApproval));
        assertThat(awaiting("sam")).contains("DISPOSAL " + litigationId + " LITIGATION 320000000 CNY by sue: may decide");
        assertThat(post("sam", "/decisions/" + litigationId + "/approve", body("note", "Agreed at the credit committee.")).code()).isEqualTo(200);
        assertThat(awaiting("sam")).as("decided, so no longer waiting").containsExactly("LIMIT_DECISION " + freezeId + " FREEZE_UNDRAWN by ana: may decide");
        assertThat(post("sam", "/decisions/" + litigationId + "/approve", body()).code()).as("decided once").isEqualTo(409);

        assertThat(message(post("ana", "/progress", body("onDate", TODAY.minusDays(3).toString(), "note", "x"))))
                .contains("is not between the approval");
        assertThat(post("ana", "/progress", body("onDate", TODAY.toString(), "note", "Claim filed at the Ningbo Maritime Court; vessel arrested."))
                .code()).isEqualTo(201);
        Map<String, Object> proceeds = body("onDate", TODAY.toString(),
                "note", "<script>alert('auction')</script> Vessel auctioned.", "recoveredMinor", yuan(3_100_000));
        HttpResponse<DisposalView> auction = post("ana", "/progress", proceeds);
        assertThat(auction.code()).isEqualTo(201);
        assertThat(auction.body().figures().recoveredByDisposalMinor()).isEqualTo(yuan(3_100_000));
        HttpResponse<DisposalView> twice = post("ana", "/progress", proceeds);
        assertThat(twice.code()).as("a double click counts the proceeds once").isEqualTo(409);
        assertThat(message(twice)).contains("a recovery is counted once");

        // A write-off of the rest is proposed; the bank's books clear the arrears before anyone decides it.
        assertThat(post("ana", "/decisions", body("option", "WRITE_OFF", "expectedRecoveryMinor", 0,
                "rationale", "Nothing left to enforce against.")).code()).isEqualTo(201);
        sendAndWait(snapshot(NOW, 0, LoanCategory.SUBSTANDARD, 0, 0, null));
        DisposalView closed = disposal();
        assertThat(closed.caseStatus()).isEqualTo("CLOSED");
        String writeOffId = closed.decisions().get(2).decisionId();
        HttpResponse<DisposalView> lateApproval = post("sam", "/decisions/" + writeOffId + "/approve", body());
        assertThat(lateApproval.code()).as("not approved on figures that no longer hold").isEqualTo(409);
        assertThat(message(lateApproval)).contains("reject it");
        assertThat(post("sam", "/decisions/" + writeOffId + "/reject", body("note", "The arrears are cleared.")).code()).isEqualTo(200);
        assertThat(post("ana", "/decisions", body("option", "WRITE_OFF", "rationale", "x", "expectedRecoveryMinor", 0)).code())
                .as("nothing past due is left to decide on").isEqualTo(409);
        assertThat(post("ana", "/progress", body("onDate", TODAY.toString(), "note", "Guarantor paid after the write-off.",
                "recoveredMinor", yuan(50_000))).code()).as("recoveries go on after a write-off (账销案存)").isEqualTo(201);

        assertThat(desk.call("ana", HttpRequest.GET("/api/collections/" + caseId() + "/report"), Argument.of(String.class)).code())
                .as("the report is for supervisors and auditors").isEqualTo(403);
        HttpResponse<String> report = desk.call("aud", HttpRequest.GET("/api/collections/" + caseId() + "/report"), Argument.of(String.class));
        assertThat(report.code()).isEqualTo(200);
        assertThat(report.getHeaders().get("Content-Type")).startsWith("text/html");
        assertThat(report.getHeaders().get("Content-Disposition")).isEqualTo("attachment; filename=\"disposal-report-" + caseId() + ".html\"");
        assertThat(report.body()).contains("Disposal report (审计报告): " + caseId(), "Jiangnan Shipping Ltd.",
                "EMS 1188 2204 5531", "FORMAL_LETTER", "LITIGATION", "REJECTED", "The bid is below the vessel&#39;s lending value",
                "Agreed at the credit committee.", "Recovered in all: CNY 3,150,000.00", "COLLECTION_CASE_OPEN",
                "COLLECTION_CASE_NON_PERFORMING", "DISPOSAL_APPROVE", "COLLECTION_CASE_CLOSE", "ARREARS_CLEARED",
                "&lt;script&gt;alert(&#39;auction&#39;)&lt;/script&gt; Vessel auctioned.", "DISPOSAL_REPORT");
        assertThat(report.body()).as("a note is text, never markup").doesNotContain("<script>");
        assertThat(desk.get("aud", "/api/audit?targetType=collection-case&targetId=" + caseId(), Argument.of(String.class)))
                .as("who took the report out of the desk").contains("\"DISPOSAL_REPORT\"", "\"aud\"");
    }
}
