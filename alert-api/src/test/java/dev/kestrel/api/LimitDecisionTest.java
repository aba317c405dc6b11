package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.decisions.LimitDecisionView;
import dev.kestrel.api.errors.ApiError;
import dev.kestrel.api.store.Database;
import dev.kestrel.contract.ApprovalSignatures;
import dev.kestrel.contract.Samples;
import dev.kestrel.contract.TestSigningKeys;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.LimitDecision;
import dev.kestrel.events.LimitDecisionAction;
import dev.kestrel.events.LimitRecommendation;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bank's side of a limit decision. The engine recommends cutting Jiangnan Precision's limit; ana, who owns the
 * borrower, proposes a cut from CNY 50m to 40m; sue, a supervisor, reads it and approves it; the limit system receives
 * it once, signed. What the desk must not be able to do: approve one's own decision, approve something other than what
 * was read, cut a limit upwards, decide on a borrower one does not own, or send a decision twice.
 */
@MicronautTest
class LimitDecisionTest extends DeskTest {
    private static final ApprovalSignatures.Verifier LIMIT_SYSTEM = ApprovalSignatures.Verifier.of(TestSigningKeys.ENGINE_KEYS);

    @Inject
    Database database;

    @BeforeAll
    void aBorrowerWithALimitAndAnOwner() {
        DeskTestSupport.send(topics.profiles(), List.of(Samples.borrowerProfile(),
                BorrowerProfile.newBuilder(Samples.borrowerProfile()).setBorrowerId("B-1002").setName("Jiangnan Shipping Ltd.").build()));
        // The engine's latest word on B-1001: CNY 50m of limits.
        DeskTestSupport.send(topics.snapshots(), List.of(BorrowerRiskSnapshot.newBuilder(Samples.borrowerRiskSnapshot())
                .setLimitMinor(5_000_000_000L).build()));
        DeskTestSupport.send(topics.groupLimits(), List.of(Samples.groupLimit()));
        borrowersArrive("B-1001", "B-1002");
        // The engine's recommendation on B-1001, which the proposals below answer.
        DeskTestSupport.send(topics.recommendations(), List.of(LimitRecommendation.newBuilder(Samples.limitRecommendation())
                .setBorrowerId("B-1001").build()));
        eventually(Duration.ofSeconds(20), "master data and the snapshot arrive", () ->
                desk.call("sue", HttpRequest.GET("/api/borrowers/B-1001"), Argument.of(JsonNode.class)).code() == 200
                        && desk.call("sue", HttpRequest.GET("/api/borrowers/B-1001"), Argument.of(JsonNode.class)).body().get("risk") != null
                        && desk.call("sue", HttpRequest.GET("/api/groups/G-17"), Argument.of(String.class)).code() == 200
                        && desk.call("sue", HttpRequest.GET("/api/borrowers/B-1001"), Argument.of(JsonNode.class)).body()
                                .get("limitRecommendation") != null);
        assertThat(desk.call("sue", HttpRequest.PUT("/api/borrowers/B-1001/owner", Map.of("officer", "ana", "team", "East")),
                Argument.of(String.class)).code()).isEqualTo(200);
    }

    private HttpResponse<LimitDecisionView> propose(String user, Map<String, Object> proposal) {
        return desk.call(user, HttpRequest.POST("/api/limit-decisions", proposal), Argument.of(LimitDecisionView.class));
    }

    private static Map<String, Object> cut(String borrowerId, long toMinor) {
        Map<String, Object> proposal = new HashMap<>();
        proposal.put("borrowerId", borrowerId);
        proposal.put("action", "REDUCE_LIMIT");
        proposal.put("limitMinor", toMinor);
        proposal.put("currency", "CNY");
        proposal.put("recommendationId", "5d2c8a41-7e3f-3b90-a6d2-4f1e8c9b0a37");
        proposal.put("reason", "Cut from CNY 50m to 40m while the arrears last.");
        return proposal;
    }

    /** The error message of a refusal; empty for an answer that is not one. */
    private static String message(HttpResponse<?> response) {
        if (response.code() < 400) {
            return "";
        }
        return response.getBody(ApiError.class).map(ApiError::message).orElse("");
    }

    private List<ConsumerRecord<byte[], byte[]>> onTheTopic() {
        return DeskTestSupport.kafka().readCommitted(topics.limitDecisions(), 0, Duration.ZERO, Duration.ofSeconds(1));
    }

    @Test
    void theOwnerProposesAnotherApprovesWhatTheyReadAndTheLimitSystemReceivesItOnceSigned() {
        HttpResponse<LimitDecisionView> proposed = propose("ana", cut("B-1001", 4_000_000_000L));
        assertThat(proposed.code()).as(message(proposed)).isEqualTo(201);
        LimitDecisionView proposal = proposed.body();
        assertThat(proposal.status()).isEqualTo("PROPOSED");
        assertThat(proposal.proposedBy()).isEqualTo("ana");
        String id = proposal.decisionId();

        // ana is no supervisor; sue must name what she read, and read what is stored.
        assertThat(desk.call("ana", HttpRequest.POST("/api/limit-decisions/" + id + "/approve?reviewed=" + proposal.contentSha256(), ""),
                Argument.of(String.class)).code()).isEqualTo(403);
        HttpResponse<String> unread = desk.call("sue", HttpRequest.POST("/api/limit-decisions/" + id + "/approve", ""), Argument.of(String.class));
        assertThat(unread.code()).isEqualTo(400);
        assertThat(message(unread)).startsWith("reviewed: give the contentSha256");
        assertThat(desk.call("sue", HttpRequest.POST("/api/limit-decisions/" + id + "/approve?reviewed=" + "0".repeat(64), ""),
                Argument.of(String.class)).code()).isEqualTo(409);

        HttpResponse<LimitDecisionView> approved = desk.call("sue", HttpRequest.POST("/api/limit-decisions/" + id
                + "/approve?reviewed=" + proposal.contentSha256(), ""), Argument.of(LimitDecisionView.class));

        assertThat(approved.code()).as(message(approved)).isEqualTo(200);
        assertThat(approved.body().status()).isEqualTo("PUBLISHED");
        assertThat(approved.body().decidedBy()).isEqualTo("sue");
        List<ConsumerRecord<byte[], byte[]>> sent = onTheTopic().stream()
                .filter(r -> ((LimitDecision) new WireCodec().decode(r.value()).record()).getDecisionId().equals(id)).toList();
        assertThat(sent).singleElement().satisfies(record -> {
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("BORROWER:B-1001");
            assertThat(LIMIT_SYSTEM.problem(record.value())).as("the limit system's check of the signature").isNull();
            LimitDecision decision = (LimitDecision) new WireCodec().decode(record.value()).record();
            assertThat(decision.getAction()).isEqualTo(LimitDecisionAction.REDUCE_LIMIT);
            assertThat(decision.getLimitMinor()).isEqualTo(4_000_000_000L);
            assertThat(decision.getProposedBy()).isEqualTo("ana");
            assertThat(decision.getApprovedBy()).isEqualTo("sue");
        });
        JsonNode audit = desk.get("aud", "/api/audit?targetType=limit-decision&targetId=" + id, Argument.of(JsonNode.class));
        assertThat(audit.get("items").values()).extracting(e -> e.get("action").getStringValue() + " by " + e.get("actor").getStringValue())
                .as("the topic taking it is audited too, with the approval and the proposal")
                .containsExactly("LIMIT_DECISION_SENT by system", "LIMIT_DECISION_APPROVE by sue", "LIMIT_DECISION_PROPOSE by ana");
        // Decided is decided: no second approval, no rejection.
        assertThat(desk.call("sam", HttpRequest.POST("/api/limit-decisions/" + id + "/approve?reviewed=" + approved.body().contentSha256(), ""),
                Argument.of(String.class)).code()).isEqualTo(409);
        assertThat(desk.get("ana", "/api/limit-decisions?borrowerId=B-1001", Argument.listOf(LimitDecisionView.class)))
                .extracting(LimitDecisionView::decisionId).contains(id);
    }

    @Test
    void aDecisionSentBeforeTheApiStoppedIsMarkedPublishedNotSentAgain() {
        LimitDecisionView proposal = propose("ana", cut("B-1001", 3_500_000_000L)).body();
        String id = proposal.decisionId();
        assertThat(desk.call("sue", HttpRequest.POST("/api/limit-decisions/" + id + "/approve?reviewed=" + proposal.contentSha256(), ""),
                Argument.of(LimitDecisionView.class)).body().status()).isEqualTo("PUBLISHED");
        // As if the API had stopped after the broker took it and before it marked it: APPROVED again.
        database.inTransaction(connection -> connection.createStatement()
                .executeUpdate("UPDATE limit_decision SET status = 'APPROVED' WHERE decision_id = '" + id + "'"));

        eventually(Duration.ofSeconds(20), "the outbox's next round marks it", () ->
                desk.get("ana", "/api/limit-decisions/" + id, Argument.of(LimitDecisionView.class)).status().equals("PUBLISHED"));

        assertThat(onTheTopic()).filteredOn(r -> ((LimitDecision) new WireCodec().decode(r.value()).record()).getDecisionId().equals(id))
                .as("once on the topic, not twice").hasSize(1);
        JsonNode audit = desk.get("aud", "/api/audit?targetType=limit-decision&targetId=" + id, Argument.of(JsonNode.class));
        assertThat(audit.get("items").values()).filteredOn(e -> e.get("action").getStringValue().equals("LIMIT_DECISION_SENT"))
                .extracting(e -> e.get("after").get("alreadyOnTopic").getBooleanValue())
                .as("the latest first: found on the topic the second time, not sent again").containsExactly(true, false);
    }

    @Test
    void proposalsThatContradictTheLimitOrNameNoSubjectAreRefusedFieldByField() {
        Map<String, Object> upward = cut("B-1001", 6_000_000_000L);
        HttpResponse<LimitDecisionView> up = propose("ana", upward);
        assertThat(up.code()).isEqualTo(400);
        assertThat(message(up)).isEqualTo("limitMinor: a reduction must be below the current limit of 5000000000 CNY; got 6000000000");

        Map<String, Object> both = cut("B-1001", 1L);
        both.put("groupId", "G-17");
        assertThat(message(propose("ana", both))).startsWith("borrowerId, groupId: name the borrower or the group");
        Map<String, Object> unknownAction = cut("B-1001", 1L);
        unknownAction.put("action", "WRITE_OFF");
        assertThat(message(propose("ana", unknownAction)))
                .isEqualTo("action: 'WRITE_OFF' is not one of FREEZE_UNDRAWN, REDUCE_LIMIT, RESTORE_LIMIT, INCREASE_LIMIT");
        Map<String, Object> freeze = cut("B-1001", 1L);
        freeze.put("action", "FREEZE_UNDRAWN");
        assertThat(message(propose("ana", freeze))).isEqualTo("limitMinor and currency: a freeze keeps the limit as it is, so name no new limit");
        Map<String, Object> noReason = cut("B-1001", 1_000L);
        noReason.put("reason", "  ");
        assertThat(message(propose("ana", noReason))).isEqualTo("missing reason");
        Map<String, Object> badCurrency = cut("B-1001", 1_000L);
        badCurrency.put("currency", "cny");
        assertThat(message(propose("ana", badCurrency))).startsWith("currency: 'cny' is not an active ISO 4217 currency");
        assertThat(propose("ana", cut("NOBODY", 1_000L)).code()).isEqualTo(404);
        // The engine reads the link to its recommendation back: it must be the subject's latest one.
        Map<String, Object> stale = cut("B-1001", 1_000L);
        stale.put("recommendationId", "0b7e2c11-aaaa-4bbb-8ccc-000000000000");
        assertThat(message(propose("ana", stale))).isEqualTo("recommendationId: 0b7e2c11-aaaa-4bbb-8ccc-000000000000 is not the "
                + "engine's latest recommendation for BORROWER:B-1001; that is 5d2c8a41-7e3f-3b90-a6d2-4f1e8c9b0a37 (reload the page)");
        Map<String, Object> freezeForFraud = cut("B-1001", 1_000L);
        freezeForFraud.put("action", "FREEZE_UNDRAWN");
        freezeForFraud.remove("limitMinor");
        freezeForFraud.remove("currency");
        assertThat(message(propose("ana", freezeForFraud))).as("a freeze does not answer a recommended cut")
                .isEqualTo("recommendationId: a FREEZE_UNDRAWN does not answer the engine's REDUCE_LIMIT recommendation; "
                        + "link none for a decision on other grounds");
        Map<String, Object> increase = cut("B-1001", 6_000_000_000L);
        increase.put("action", "INCREASE_LIMIT");
        assertThat(message(propose("ana", increase))).startsWith("recommendationId: a INCREASE_LIMIT does not answer");
        Map<String, Object> othersLink = cut("B-1002", 1_000L);
        assertThat(message(propose("sue", othersLink))).as("B-1001's recommendation does not answer for B-1002")
                .isEqualTo("recommendationId: 5d2c8a41-7e3f-3b90-a6d2-4f1e8c9b0a37 is not the engine's latest recommendation for "
                        + "BORROWER:B-1002; the engine has recommended nothing on it");

        // ben is an analyst but does not own B-1001; an analyst does not decide a group's limit.
        HttpResponse<LimitDecisionView> notOwner = propose("ben", cut("B-1001", 1_000L));
        assertThat(notOwner.code()).isEqualTo(403);
        assertThat(message(notOwner)).contains("ana, who owns B-1001,");
        Map<String, Object> groupFreeze = new HashMap<>(Map.of("groupId", "G-17", "action", "FREEZE_UNDRAWN", "reason", "Contagion."));
        assertThat(propose("ana", groupFreeze).code()).isEqualTo(403);
        assertThat(desk.call("aud", HttpRequest.POST("/api/limit-decisions", cut("B-1001", 1_000L)), Argument.of(String.class)).code())
                .as("an auditor proposes nothing").isEqualTo(403);
        assertThat(desk.get("aud", "/api/limit-decisions?borrowerId=NOBODY", Argument.listOf(LimitDecisionView.class))).isEmpty();
    }

    @Test
    void aSupervisorCannotApproveTheirOwnDecisionAndARejectedOneIsNeverSent() {
        Map<String, Object> groupFreeze = new HashMap<>(Map.of("groupId", "G-17", "action", "FREEZE_UNDRAWN",
                "reason", "Freeze the group's undrawn limit while a member is in default."));
        LimitDecisionView proposal = propose("sue", groupFreeze).body();
        String id = proposal.decisionId();
        HttpResponse<String> own = desk.call("sue", HttpRequest.POST("/api/limit-decisions/" + id + "/approve?reviewed="
                + proposal.contentSha256(), ""), Argument.of(String.class));
        assertThat(own.code()).isEqualTo(403);
        assertThat(message(own)).isEqualTo("four eyes: sue proposed it, so someone else must approve it");
        assertThat(desk.call("ana", HttpRequest.POST("/api/limit-decisions/" + id + "/reject", Map.of("reason", "no")),
                Argument.of(String.class)).code()).as("ana neither proposed it nor supervises").isEqualTo(403);
        assertThat(message(desk.call("sam", HttpRequest.POST("/api/limit-decisions/" + id + "/reject", Map.of("reason", " ")),
                Argument.of(String.class)))).startsWith("reason: say why");

        LimitDecisionView rejected = desk.call("sam", HttpRequest.POST("/api/limit-decisions/" + id + "/reject",
                Map.of("reason", "The member's default is technical; cured tomorrow.")), Argument.of(LimitDecisionView.class)).body();

        assertThat(rejected.status()).isEqualTo("REJECTED");
        assertThat(rejected.decidedBy()).isEqualTo("sam");
        assertThat(rejected.rejectionReason()).isEqualTo("The member's default is technical; cured tomorrow.");
        assertThat(desk.call("sam", HttpRequest.POST("/api/limit-decisions/" + id + "/approve?reviewed=" + rejected.contentSha256(), ""),
                Argument.of(String.class)).code()).isEqualTo(409);
        assertThat(onTheTopic()).noneMatch(r -> ((LimitDecision) new WireCodec().decode(r.value()).record()).getDecisionId().equals(id));
        assertThat(desk.get("aud", "/api/limit-decisions?groupId=G-17&status=REJECTED", Argument.listOf(LimitDecisionView.class)))
                .extracting(LimitDecisionView::decisionId).containsExactly(id);
    }
}
